"""Consultation pages for grantmakers and admins: the list, a new consultation, its results
(every wave, the concern trajectory, the change in words), the next wave, close and remind.

The figures come from services/read/consultations.py; the trajectory chart is the
portfolio's bar chart (portfolio_charts.bar_chart), one group of bars per wave."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db, tabular
from reviewtool.http.downloads import csv_file
from reviewtool.http.pipeline import actor
from reviewtool.permissions import require
from reviewtool.portfolio_charts import bar_chart
from reviewtool.services import consultations as service
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.consultations import (
    CSV_COLUMNS,
    consultation_list,
    consultation_view,
    csv_rows,
)
from reviewtool.web.consultation_forms import ConsultationForm, WaveForm
from reviewtool.web.form_errors import attach
from reviewtool.web.pipeline import attempt, pages

bp = pages("consultations", __name__)
C = "/consultations/<int:consultation_id>"
PLAIN = {"title": "Give the consultation a title.",
         "description": "Describe the kind of project and its safeguards.",
         "closes_on": "Closing date: give a date from today on, like 2027-01-31."}


def trajectory_chart(view: dict):
    """Concern (and optimism) of each closed wave, as the portfolio draws its groups."""
    rows = [{"key": str(w["number"]), "label": f"Wave {w['number']} ({w['answered']} answers)",
             "concern_pct": w["concern_pct"], "optimism_pct": w["optimism_pct"]}
            for w in view["waves"] if w["status"] == "closed"]
    return bar_chart("Concern across waves", rows,
                     [("concern_pct", "Could be net negative"), ("optimism_pct", "Optimistic")])


@bp.get("/consultations")
def index():
    require(actor(), "run_consultations")
    session = db.session()
    return render_template("consultations/index.html",
                           consultations=consultation_list(session, load_catalogues(session)))


@bp.route("/consultations/new", methods=["GET", "POST"])
def new():
    """A new consultation; its first wave is opened on the next page."""
    require(actor(), "run_consultations")
    session = db.session()
    cats = load_catalogues(session)
    form = ConsultationForm()
    form.project_type.choices = [("", "—"), *cats.choices("project_types")]
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template("consultations/new.html", form=form, problems=[]), status
    made = attempt(service.create_consultation, session, actor(),
                   {"title": form.title.data or "", "project_type": form.project_type.data or "",
                    "description": form.description.data or ""}, cats)
    if not made.ok:
        problems = attach(form, made.error.problems, plain=PLAIN)
        return render_template("consultations/new.html", form=form,
                               problems=problems), made.error.status
    flash("The consultation is made. Open its first wave to invite the panel.")
    return redirect(url_for("consultations.new_wave", consultation_id=made.value.id)), 303


@bp.get(C)
def show(consultation_id: int):
    """The results of every wave and the change between the last two closed ones."""
    require(actor(), "run_consultations")
    session = db.session()
    view = consultation_view(session, service.load_consultation(session, consultation_id),
                             load_catalogues(session))
    return render_template("consultations/show.html", c=view, chart=trajectory_chart(view),
                           problems=[])


@bp.get(f"{C}/results.csv")
def results_csv(consultation_id: int):
    require(actor(), "run_consultations")
    session = db.session()
    view = consultation_view(session, service.load_consultation(session, consultation_id),
                             load_catalogues(session))
    return csv_file(tabular.document(CSV_COLUMNS, [[r[c] for c in CSV_COLUMNS]
                                                   for r in csv_rows(view)]),
                    f"consultation-{consultation_id}.csv")


@bp.route(f"{C}/waves/new", methods=["GET", "POST"])
def new_wave(consultation_id: int):
    """Open the next wave on a random sample of the panel (optionally by work group)."""
    require(actor(), "run_consultations")
    session = db.session()
    consultation = service.load_consultation(session, consultation_id)
    last = consultation.waves[-1].description if consultation.waves \
        else consultation.description
    form = WaveForm() if request.method == "POST" else WaveForm(data={"description": last})
    shown = {"c": consultation, "form": form}
    if request.method == "GET" or not form.validate_on_submit():
        if request.method == "POST":
            return render_template("consultations/wave.html", **shown,
                                   problems=["Please correct the marked fields."]), 422
        return render_template("consultations/wave.html", **shown, problems=[])
    opened = attempt(service.open_sampled_wave, session, actor(), consultation,
                     description=form.description.data, closes_on=form.closes_on.data,
                     size=form.sample_size.data, stratify=bool(form.stratify.data))
    if not opened.ok:
        problems = attach(form, opened.error.problems, plain=PLAIN)
        return render_template("consultations/wave.html", **shown,
                               problems=problems), opened.error.status
    wave = opened.value
    flash(f"Wave {wave.number} is open; the invitations are on their way.")
    return redirect(url_for("consultations.show", consultation_id=consultation_id)), 303


def _after(consultation_id: int, done, message: str):
    if not done.ok:  # e.g. the wave was closed meanwhile: the results, saying so (409)
        session = db.session()
        view = consultation_view(session, service.load_consultation(session, consultation_id),
                                 load_catalogues(session))
        return render_template("consultations/show.html", c=view, chart=trajectory_chart(view),
                               problems=done.error.messages), done.error.status
    flash(message.format(done.value))
    return redirect(url_for("consultations.show", consultation_id=consultation_id)), 303


@bp.post(f"{C}/waves/<int:number>/close")
def close_wave(consultation_id: int, number: int):
    require(actor(), "run_consultations")
    session = db.session()
    consultation = service.load_consultation(session, consultation_id)
    service.wave_of(consultation, number)  # 404 before anything else
    done = attempt(service.close_wave, session, actor(), consultation, number,
                   load_catalogues(session))
    return _after(consultation_id, done, f"Wave {number} is closed; its results are below.")


@bp.post(f"{C}/waves/<int:number>/reminders")
def remind(consultation_id: int, number: int):
    require(actor(), "run_consultations")
    session = db.session()
    consultation = service.load_consultation(session, consultation_id)
    service.wave_of(consultation, number)
    done = attempt(service.send_reminders, session, actor(), consultation, number)
    return _after(consultation_id, done, "Reminders sent to {} panellists who have not "
                                         "answered yet.")
