"""The pilot: plan, observations, incidents and evaluation."""

from __future__ import annotations

from reviewtool import db
from reviewtool.api.pipeline import bp, json_body
from reviewtool.errors import NotFound
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.services import pilot_plans, pilot_records
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.pilot import pilot_view


def _view(project: Project) -> dict:
    view = pilot_view(db.session(), project, workflow().settings)
    if view is None:
        raise NotFound(f"Project {project.id} has no pilot plan yet.")
    return view


@bp.get("/projects/<int:project_id>/pilot")
@project_route()
def get_pilot(project: Project):
    """The pilot plan with criterion ids, the freeze hash and each criterion's verdict."""
    return _view(project)


@bp.put("/projects/<int:project_id>/pilot")
@project_route("plan_pilot")
def put_pilot(project: Project):
    """Write the plan (grantmakers); once frozen, changes need a `justification`."""
    session = db.session()
    pilot_plans.save_plan(session, actor(), project, json_body(), load_catalogues(session))
    return _view(project)


@bp.post("/projects/<int:project_id>/pilot/observations")
@project_route("record_pilot")
def post_observation(project: Project):
    """Record an observation (builders of the pilot): {criterion_id, value, observed_on, note}."""
    observation = pilot_records.record_observation(db.session(), actor(), project, json_body())
    return {"id": observation.id, "criterion_id": observation.criterion_id,
            "value": observation.value, "observed_on": observation.observed_on.isoformat(),
            "note": observation.note}, 201


@bp.post("/projects/<int:project_id>/pilot/incidents")
@project_route("record_pilot")
def post_incident(project: Project):
    """Record an incident (builders of the pilot): {what, category, severity, occurred_on}."""
    session = db.session()
    incident = pilot_records.record_incident(session, actor(), project, json_body(),
                                             load_catalogues(session), workflow().settings)
    return {"id": incident.id, "what": incident.what, "category": incident.category,
            "severity": incident.severity, "occurred_on": incident.occurred_on.isoformat()}, 201


@bp.get("/projects/<int:project_id>/pilot/evaluation")
@project_route()
def get_evaluation(project: Project):
    """Each criterion met / not met / pending, and the pilot summary."""
    view = _view(project)
    return {"criteria": view["criteria"], "summary": view["summary"]}


@bp.post("/projects/<int:project_id>/alerts/<int:alert_id>/resolve")
@project_route("steward")
def resolve_alert(project: Project, alert_id: int):
    """Mark a pilot alert as dealt with (grantmakers)."""
    pilot_records.resolve_alert(db.session(), actor(), project, alert_id)
    return _view(project)
