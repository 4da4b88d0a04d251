"""Pilot pages: the plan (grantmakers), observations and incidents (the pilot's builders), the
pilot page, and the pilot parts of the project page and the builder's dashboard.

The rules live in services/pilots.py and services/pilot_work.py; these pages only collect and
lay out. Every list here is read in a fixed number of queries, never one per row."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import db, figures
from reviewtool.enums import Role, State
from reviewtool.errors import Conflict, Forbidden, Invalid, NotFound
from reviewtool.models import (
    Criterion,
    Observation,
    Pilot,
    Project,
    Revision,
    User,
    UserRole,
    pilot_builders,
)
from reviewtool.permissions import load_project
from reviewtool.services import pilot_work, pilots
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_view import pilot_view
from reviewtool.web.helpers import commit, workflow
from reviewtool.web.pilot_forms import IncidentForm, ObservationForm, PlanForm, plan_form_data

bp = Blueprint("pilots", __name__)
PLAN_STATES = (State.REVIEW.value, State.PILOT.value)
STALE_DAYS = 14  # a criterion not observed for this long is due again
PLAN_FIELDS = {"starts_on": "starts_on", "ends_on": "ends_on", "budget": "budget",
               "justification": "justification", "builder_id": "builders",
               "builder_ids": "builders"}
PLAIN = {"ends_on is before starts_on.": "The end date is before the start date."}


@bp.before_request
@login_required
def require_login() -> None:
    """Every page here needs a signed-in user."""


# --- the project page and the dashboard ------------------------------------------------------

def pilot_section(session: Session, project: Project, viewer: User,
                  settings: Mapping[str, Any]) -> dict[str, Any]:
    """What the project page's pilot section shows `viewer` (`view` is None without a plan)."""
    view = pilot_view(session, project, settings)
    running = project.state == State.PILOT.value and view is not None and view["frozen_at"]
    return {"view": view,
            "can_plan": viewer.has_role(Role.GRANTMAKER) and project.state in PLAN_STATES,
            "can_record": bool(running) and viewer.id in {u.id for u in project.pilot.builders}}


def builder_pilots(session: Session, builder: User, *, today: date | None = None) -> list[dict]:
    """The builder's running pilots with their criteria counts and what to record next: three
    queries whatever the number of pilots."""
    today = today or date.today()
    pilot_rows = session.execute(
        select(Pilot.id, Project.id, Revision.title, Pilot.ends_on)
        .join(Project, Project.id == Pilot.project_id)
        .join(Revision, (Revision.project_id == Project.id) & Revision.is_current)
        .join(pilot_builders, pilot_builders.c.pilot_id == Pilot.id)
        .where(pilot_builders.c.user_id == builder.id, Project.state == State.PILOT.value)
        .order_by(Pilot.ends_on, Project.id)).all()
    ids = [row[0] for row in pilot_rows]
    criteria = session.execute(
        select(Criterion.id, Criterion.pilot_id, Criterion.kind, Criterion.metric,
               Criterion.comparator, Criterion.target)
        .where(Criterion.pilot_id.in_(ids)).order_by(Criterion.position, Criterion.id)).all()
    values: dict[int, list[tuple[float, date]]] = {}
    for criterion_id, value, observed_on in session.execute(
            select(Observation.criterion_id, Observation.value, Observation.observed_on)
            .join(Criterion, Criterion.id == Observation.criterion_id)
            .where(Criterion.pilot_id.in_(ids))
            .order_by(Observation.observed_on, Observation.id)):
        values.setdefault(criterion_id, []).append((value, observed_on))
    due_since = today - timedelta(days=STALE_DAYS)
    out = {pilot_id: {"project_id": project_id, "title": title, "ends_on": ends_on,
                      "days_left": (ends_on - today).days, "met": 0, "breached": 0,
                      "pending": 0, "next": []}
           for pilot_id, project_id, title, ends_on in pilot_rows}
    for criterion_id, pilot_id, kind, metric, comparator, target in criteria:
        seen = values.get(criterion_id, [])
        verdict = figures.verdict(comparator, target, [v for v, _ in seen])
        row = out[pilot_id]
        if verdict == "pending":
            row["pending"] += 1
        elif verdict == "met":
            row["breached" if kind == "kill" else "met"] += 1
        last = max((day for _, day in seen), default=None)
        if last is None or last < due_since:
            row["next"].append({"id": criterion_id, "metric": metric, "last": last})
    return list(out.values())


# --- the pilot page --------------------------------------------------------------------------

def _with_pilot(project_id: int) -> Project:
    project = load_project(db.session(), current_user, project_id)
    if project.pilot is None:
        raise NotFound(f"Project {project_id} has no pilot plan yet.")
    return project


@bp.get("/projects/<int:project_id>/pilot")
def show(project_id: int):
    """The pilot: plan, freeze hash, criteria and their verdicts, alerts, incidents, changes."""
    session = db.session()
    project = _with_pilot(project_id)
    return render_template("pilots/show.html", project=project, cats=load_catalogues(session),
                           pilot=pilot_section(session, project, current_user,
                                               workflow().settings))


@bp.post("/projects/<int:project_id>/alerts/<int:alert_id>/resolve")
def resolve_alert(project_id: int, alert_id: int):
    """Mark a pilot alert as dealt with (grantmakers), then back to the pilot page."""
    session = db.session()
    pilot_work.resolve_alert(session, current_user, _with_pilot(project_id), alert_id)
    commit()
    flash("Alert marked as resolved.")
    return redirect(url_for("pilots.show", project_id=project_id)), 303


# --- the plan (grantmakers) ------------------------------------------------------------------

def _require_planner(project: Project) -> None:
    if not current_user.has_role(Role.GRANTMAKER):
        raise Forbidden("Only grantmakers write pilot plans.")
    if project.state not in PLAN_STATES:
        raise Conflict("A pilot plan can be written while the project is in review, and "
                       f"amended while the pilot runs; the project is in '{project.state}'.")


def _builder_choices(session: Session) -> list[tuple[int, str]]:
    return [(u.id, f"{u.name} ({u.email})") for u in session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.BUILDER.value, User.is_active)
        .order_by(User.name, User.id))]


def _attach(form: PlanForm, problems: list[dict], rows: list[int]) -> list[str]:
    """Put each problem next to its control; return every problem as a labelled sentence."""
    said = []
    for problem in problems:
        path = problem.get("field", "")
        text = PLAIN.get(problem["message"], problem["message"])
        if text.startswith(path):
            text = text[len(path):].lstrip(": ")
        parts = path.split(".")
        field = None
        if parts[0] == "criteria" and len(parts) > 2 and parts[1].isdigit() \
                and int(parts[1]) < len(rows):
            field = getattr(form.criteria[rows[int(parts[1])]].form, parts[2], None)
        elif parts[0] in PLAN_FIELDS:
            field = form[PLAN_FIELDS[parts[0]]]
        if field is None:
            said.append(problem["message"])
            continue
        field.errors = [*field.errors, text]
        said.append(f"{field.label.text}: {text}")
    return said


def _render_plan(session: Session, project: Project, form: PlanForm, *,
                 problems: list[str] | None = None, status: int = 200):
    form.setup(load_catalogues(session), _builder_choices(session))
    pilot = project.pilot
    frozen = pilot is not None and pilot.frozen_at is not None
    observed = frozen and any(c.observations for c in pilot.criteria)
    return render_template("pilots/plan.html", project=project, form=form, pilot=pilot,
                           frozen=frozen, observed=observed, problems=problems or []), status


@bp.route("/projects/<int:project_id>/pilot/plan", methods=["GET", "POST"])
def plan(project_id: int):
    """Write the pilot plan; once it is frozen every change needs a justification."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    _require_planner(project)
    if request.method == "GET":
        view = pilot_view(session, project, workflow().settings)
        return _render_plan(session, project, PlanForm(data=plan_form_data(view)))
    form = PlanForm()
    if not form.validate_on_submit():
        return _render_plan(session, project, form, status=422,
                            problems=[f"{form[n].label.text}: {e}" for n, errors
                                      in form.errors.items() for e in errors])
    frozen = project.pilot is not None and project.pilot.frozen_at is not None
    payload, rows = form.to_payload(frozen)
    try:
        pilots.save_plan(session, current_user, project, payload, load_catalogues(session))
    except (Invalid, Conflict) as exc:
        session.rollback()
        project = load_project(session, current_user, project_id)
        form.setup(load_catalogues(session), [])  # labels first: the problems name them
        problems = _attach(form, exc.problems, rows) if isinstance(exc, Invalid) \
            else exc.messages
        return _render_plan(session, project, form, problems=problems, status=exc.status)
    kind = project.pilot.changes[-1].kind if frozen else None
    commit()
    flash({"amendment": "Plan change logged as an amendment.",
           "deviation": "Plan change logged as a deviation."}.get(kind, "Pilot plan saved."))
    return redirect(url_for("pilots.show", project_id=project_id))


# --- the builders' work ----------------------------------------------------------------------

def _require_builder(project: Project) -> Pilot:
    pilot = project.pilot
    if pilot is None or current_user.id not in {u.id for u in pilot.builders}:
        raise Forbidden("Only the builders of this project's pilot can record its results.")
    if project.state != State.PILOT.value or pilot.frozen_at is None:
        raise Conflict("The pilot is not running, so nothing can be recorded now.")
    return pilot


def _field_problems(form, problems: list[dict]) -> list[str]:
    """Attach the service's problems to the form's controls; return them as sentences."""
    said = []
    for problem in problems:
        path = problem.get("field", "")
        field = form._fields.get(path)
        text = problem["message"]
        if field is None:
            said.append(text)
            continue
        text = text[len(path):].lstrip(": ") if text.startswith(path) else text
        field.errors = [*field.errors, text]
        said.append(f"{field.label.text}: {text}")
    return said


def _record(project_id: int, form_class, template: str, choices, save):
    """GET shows the form; POST saves through `save(session, project, payload)` and goes back
    to the pilot page, or answers 422 with the problems next to their controls."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    pilot = _require_builder(project)
    today = date.today().isoformat()
    form = form_class() if request.method == "POST" else form_class(data={
        "criterion_id": request.args.get("criterion", ""), "observed_on": today,
        "occurred_on": today})
    choices(form, pilot, load_catalogues(session))
    status, problems = 200, []
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                message = save(session, project, form.to_payload())
            except (Invalid, Conflict) as exc:
                session.rollback()
                status, problems = exc.status, _field_problems(form, exc.problems)
            else:
                commit()
                flash(message)
                return redirect(url_for("pilots.show", project_id=project_id))
    return render_template(template, project=project, form=form, problems=problems), status


def _criterion_choices(form: ObservationForm, pilot: Pilot, cats) -> None:
    form.criterion_id.choices = [("", "Choose a criterion…")] + [
        (str(c.id), f"{'Kill' if c.kind == 'kill' else 'Success'}: {c.metric} {c.comparator} "
                    f"{c.target:g} {c.unit}".strip()) for c in pilot.criteria]


def _category_choices(form: IncidentForm, pilot: Pilot, cats) -> None:
    form.category.choices = [("", "Choose…"), *cats.choices("risk_categories")]


@bp.route("/projects/<int:project_id>/pilot/observations", methods=["GET", "POST"])
def observation(project_id: int):
    """Record an observation (the pilot's builders)."""

    def save(session, project, payload):
        pilot_work.record_observation(session, current_user, project, payload)
        return "Observation recorded."

    return _record(project_id, ObservationForm, "pilots/observation.html", _criterion_choices,
                   save)


@bp.route("/projects/<int:project_id>/pilot/incidents", methods=["GET", "POST"])
def incident(project_id: int):
    """Record an incident (the pilot's builders)."""

    def save(session, project, payload):
        pilot_work.record_incident(session, current_user, project, payload,
                                   load_catalogues(session), workflow().settings)
        return "Incident recorded."

    return _record(project_id, IncidentForm, "pilots/incident.html", _category_choices, save)
