"""The pilot: plan, observations, incidents and evaluation."""

from __future__ import annotations

from reviewtool import db
from reviewtool.api import bp, commit, current_user, json_body, workflow
from reviewtool.errors import NotFound
from reviewtool.models import Project
from reviewtool.permissions import load_project
from reviewtool.services import pilot_work, pilots
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_view import pilot_view


def _view(project: Project) -> dict:
    view = pilot_view(db.session(), project, workflow().settings)
    if view is None:
        raise NotFound(f"Project {project.id} has no pilot plan yet.")
    return view


@bp.get("/projects/<int:project_id>/pilot")
def get_pilot(project_id: int):
    """The pilot plan with criterion ids, the freeze hash and each criterion's verdict."""
    return _view(load_project(db.session(), current_user(), project_id))


@bp.put("/projects/<int:project_id>/pilot")
def put_pilot(project_id: int):
    """Write the plan (grantmakers); once frozen, changes need a `justification`."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    pilots.save_plan(session, current_user(), project, json_body(), load_catalogues(session))
    commit()
    return _view(project)


@bp.post("/projects/<int:project_id>/pilot/observations")
def post_observation(project_id: int):
    """Record an observation (builders of the pilot): {criterion_id, value, observed_on, note}."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    observation = pilot_work.record_observation(session, current_user(), project, json_body())
    commit()
    return {"id": observation.id, "criterion_id": observation.criterion_id,
            "value": observation.value, "observed_on": observation.observed_on.isoformat(),
            "note": observation.note}, 201


@bp.post("/projects/<int:project_id>/pilot/incidents")
def post_incident(project_id: int):
    """Record an incident (builders of the pilot): {what, category, severity, occurred_on}."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    incident = pilot_work.record_incident(session, current_user(), project, json_body(),
                                          load_catalogues(session), workflow().settings)
    commit()
    return {"id": incident.id, "what": incident.what, "category": incident.category,
            "severity": incident.severity, "occurred_on": incident.occurred_on.isoformat()}, 201


@bp.get("/projects/<int:project_id>/pilot/evaluation")
def get_evaluation(project_id: int):
    """Each criterion met / not met / pending, and the pilot summary."""
    view = _view(load_project(db.session(), current_user(), project_id))
    return {"criteria": view["criteria"], "summary": view["summary"]}


@bp.post("/projects/<int:project_id>/alerts/<int:alert_id>/resolve")
def resolve_alert(project_id: int, alert_id: int):
    """Mark a pilot alert as dealt with (grantmakers)."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    pilot_work.resolve_alert(session, current_user(), project, alert_id)
    commit()
    return _view(project)
