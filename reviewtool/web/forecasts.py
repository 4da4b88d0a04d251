"""Forecast pages: a pilot's forecasts (the form while it is open, the scores once the pilot
finished) and the calibration page with its chart and the CSV of forecasts and scores. The
rules live in services/forecasts.py and permissions.py; these pages collect and lay out."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import NumberInput

from reviewtool import db, tabular
from reviewtool.errors import NotFound
from reviewtool.http.downloads import csv_file
from reviewtool.http.pipeline import actor, project_route
from reviewtool.models import Project
from reviewtool.permissions import require
from reviewtool.portfolio_charts import bar_chart
from reviewtool.services import decision_forecasts, forecasts
from reviewtool.services.decisions import latest_decision
from reviewtool.services.read.calibration import calibration_view, forecast_rows
from reviewtool.services.read.forecasts import forecasts_view
from reviewtool.web.pipeline import attempt, pages

bp = pages("forecasts", __name__)
RANGE = "give a whole percentage from 1 to 99."


def forecast_form(criteria: list[dict[str, Any]]) -> FlaskForm:
    """A form with one probability field per criterion, labelled with its question."""
    fields = {f"c{c['id']}": IntegerField(
        f"{c['question']}: probability (%)",
        validators=[InputRequired(message=RANGE), NumberRange(1, 99, message=RANGE)],
        widget=NumberInput(min=1, max=99, step=1)) for c in criteria}
    return type("ForecastForm", (FlaskForm,), fields)()


@bp.route("/projects/<int:project_id>/forecasts", methods=["GET", "POST"])
@project_route("see_reviews")
def show(project: Project):
    """The pilot's forecasts as the viewer may see them; POST locks the viewer's forecasts."""
    session = db.session()
    view = forecasts_view(session, project, actor())
    if view is None:
        raise NotFound(f"Project {project.id} has no pilot that started.")
    form = forecast_form(view["criteria"])
    status, problems = 200, []
    if form.is_submitted():
        require(actor(), "forecast", project)  # 403 before the form is read
        status = 422
        if form.validate():
            payload = {"forecasts": [{"criterion_id": c["id"],
                                      "probability": form[f"c{c['id']}"].data}
                                     for c in view["criteria"]]}
            saved = attempt(forecasts.submit, session, actor(), project, payload)
            if saved.ok:
                flash("Your forecasts are locked. They stay hidden until the pilot finishes.")
                return redirect(url_for("forecasts.show", project_id=project.id), 303)
            status, problems = saved.error.status, saved.error.messages
        else:
            problems = [f"{form[name].label.text}: {error}" for name, errors in
                        form.errors.items() for error in errors]
        view = forecasts_view(session, project, actor())
    return render_template("forecasts/show.html", project=project, view=view, form=form,
                           problems=problems), status


def _chart(title: str, figures: dict[str, Any]):
    """The calibration chart: per bin with forecasts, the mean forecast beside the observed
    frequency (with its count); a perfectly calibrated forecaster's bars are equal."""
    rows = [{"key": b["bin"], "label": f"{b['lower']}-{b['upper']} % (n={b['n']})",
             "forecast": b["mean_forecast"], "observed": b["observed_pct"]}
            for b in figures["bins"] if b["n"]]
    return bar_chart(title, rows, (("forecast", "mean forecast"),
                                   ("observed", "observed frequency")), maximum=100,
                     colours=("#0b5cad", "#9a6700"))


@bp.get("/calibration")
def calibration():
    """How calibrated forecasters are: one's own figures, everyone's for oversight roles."""
    view = calibration_view(db.session(), actor())
    charts = {}
    if view["mine"]["bins"]:
        charts["mine"] = _chart("Your calibration", view["mine"])
    if view["panel"] and view["panel"]["bins"]:
        charts["panel"] = _chart("The panel's calibration", view["panel"])
    for person in view["people"] or []:
        if person["bins"]:
            charts[person["user"]["id"]] = _chart(f"Calibration of {person['user']['name']}",
                                                  person)
    return render_template("forecasts/calibration.html", view=view, charts=charts)


@bp.get("/calibration/forecasts.csv")
def calibration_csv():
    """Forecasts and their scores as CSV (names for grantmakers and admins only)."""
    keys, rows = forecast_rows(db.session(), actor())
    return csv_file(tabular.document(keys, ([row.get(k) for k in keys] for row in rows)),
                    "reviewtool-forecasts.csv")


@bp.post("/projects/<int:project_id>/decision/outcome")
@project_route("record_outcome")
def record_outcome(project: Project):
    """Record whether a funded project met its target outcome; back to the project page."""
    session = db.session()
    answer = request.form.get("met", "")
    met = {"yes": True, "no": False}.get(answer, answer)  # anything else: the service says so
    decision_forecasts.record_outcome(session, actor(), project, {"met": met},
                                      latest_decision(session, project))
    flash("Outcome recorded; the decision's forecast is scored.")
    return redirect(url_for("projects.show", project_id=project.id), 303)
