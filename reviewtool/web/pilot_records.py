"""What the pilot's builders record: observations of its criteria and incidents. The rules
live in services/pilot_records.py; these pages only collect and lay out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.services import pilot_records
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.web.form_errors import attach
from reviewtool.web.pilot_forms import IncidentForm, ObservationForm
from reviewtool.web.pipeline import attempt, pages

bp = pages("pilot_records", __name__)


def _record(project: Project, form_class: type, template: str,
            choices: Callable[[Any, Project, Catalogues], None],
            save: Callable[[Project, dict[str, Any]], str]):
    """GET shows the form; POST saves through `save(project, payload)` and goes back to the
    pilot page, or answers 422 with the problems next to their controls."""
    pilot_records.running_pilot(actor(), project)  # 403 for others, 409 when not running
    today = date.today().isoformat()
    form = form_class() if request.method == "POST" else form_class(data={
        "criterion_id": request.args.get("criterion", ""), "observed_on": today,
        "occurred_on": today})
    choices(form, project, load_catalogues(db.session()))
    status, problems = 200, []
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            saved = attempt(save, project, form.to_payload())
            if saved.ok:
                flash(saved.value)
                return redirect(url_for("pilots.show", project_id=project.id))
            status, problems = saved.error.status, attach(form, saved.error.problems)
    return render_template(template, project=project, form=form, problems=problems), status


def _criterion_choices(form: ObservationForm, project: Project, cats: Catalogues) -> None:
    form.criterion_id.choices = [("", "Choose a criterion…")] + [
        (str(c.id), f"{'Kill' if c.kind == 'kill' else 'Success'}: {c.metric} {c.comparator} "
                    f"{c.target:g} {c.unit}".strip()) for c in project.pilot.criteria]


def _category_choices(form: IncidentForm, project: Project, cats: Catalogues) -> None:
    form.category.choices = [("", "Choose…"), *cats.choices("risk_categories")]


@bp.route("/projects/<int:project_id>/pilot/observations", methods=["GET", "POST"])
@project_route("record_pilot")
def observation(project: Project):
    """Record an observation (the pilot's builders)."""

    def save(project: Project, payload: dict[str, Any]) -> str:
        pilot_records.record_observation(db.session(), actor(), project, payload)
        return "Observation recorded."

    return _record(project, ObservationForm, "pilots/observation.html", _criterion_choices,
                   save)


@bp.route("/projects/<int:project_id>/pilot/incidents", methods=["GET", "POST"])
@project_route("record_pilot")
def incident(project: Project):
    """Record an incident (the pilot's builders)."""

    def save(project: Project, payload: dict[str, Any]) -> str:
        pilot_records.record_incident(db.session(), actor(), project, payload,
                                      load_catalogues(db.session()), workflow().settings)
        return "Incident recorded."

    return _record(project, IncidentForm, "pilots/incident.html", _category_choices, save)
