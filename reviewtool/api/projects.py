"""Projects: list, create, read, edit, fire triggers, history."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from reviewtool import db
from reviewtool.api import bp, commit, current_user, int_arg, json_body, str_arg, workflow
from reviewtool.api.serialize import event_json, project_json, project_summary, risk_model_json
from reviewtool.enums import Role, State
from reviewtool.errors import Invalid
from reviewtool.models import Project, Revision, TransitionEvent
from reviewtool.permissions import load_project, require_edit, require_role, visible_projects
from reviewtool.services import proposals, risks
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.risk_view import risk_model_view
from reviewtool.services.transitions import fire


def _risk_view(project: Project) -> dict:
    session = db.session()
    return risk_model_view(session, project.current_revision, workflow().settings,
                           load_catalogues(session))


def _out(project: Project) -> dict:
    """The project as the API returns it to the caller."""
    return project_json(project, current_user(), workflow(), _risk_view(project))


# What a transition body may carry besides trigger, comment and version.
TRANSITION_EXTRAS = ("override_rationale", "conditions", "review_by")


@bp.get("/projects")
def list_projects():
    """The projects the caller may see, newest change first (filters: state, type)."""
    page, per_page = int_arg("page", 1), int_arg("per_page", 20, high=100)
    stmt = visible_projects(current_user())
    state, project_type = str_arg("state"), str_arg("type")
    if state:
        if state not in {s.value for s in State}:
            raise Invalid(problems=[{"field": "state", "message": f"Unknown state {state!r}."}])
        stmt = stmt.where(Project.state == state)
    if project_type:
        stmt = stmt.join(Revision, (Revision.project_id == Project.id) & Revision.is_current)
        stmt = stmt.where(Revision.project_type == project_type)
    session = db.session()
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.options(selectinload(Project.owner))
                           .order_by(Project.updated_at.desc(), Project.id.desc())
                           .limit(per_page).offset((page - 1) * per_page)).unique()
    return {"items": [project_summary(p) for p in rows], "page": page, "per_page": per_page,
            "total": total}


@bp.post("/projects")
def create_project():
    """Create a draft; 201 with the project."""
    session = db.session()
    require_role(current_user(), Role.PROPOSER)  # 403 before any 422 about the body
    project = proposals.create_project(session, current_user(), json_body(),
                                       load_catalogues(session))
    commit()
    return _out(project), 201


@bp.get("/projects/<int:project_id>")
def get_project(project_id: int):
    """One project, with the triggers the caller's roles may fire now."""
    project = load_project(db.session(), current_user(), project_id)
    return _out(project)


@bp.patch("/projects/<int:project_id>")
def patch_project(project_id: int):
    """Edit the proposal; the body carries the `version` the edit started from."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    require_edit(current_user(), project)  # 403, 409 before any 422 about the body
    data = json_body()
    proposals.update_proposal(session, current_user(), project, data, load_catalogues(session),
                              expected_version=data.get("version"))
    commit()
    return _out(project)


@bp.post("/projects/<int:project_id>/transitions")
def transition(project_id: int):
    """Fire a trigger: {"trigger", "comment", "version"?}."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    data = json_body()
    fire(session, workflow(), project, data.get("trigger"), actor=current_user(),
         expected_version=data.get("version"), comment=data.get("comment", ""),
         extra={k: data[k] for k in TRANSITION_EXTRAS if k in data})
    commit()
    return _out(project)


@bp.get("/projects/<int:project_id>/history")
def history(project_id: int):
    """The project's transition events, oldest first."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    events = session.scalars(select(TransitionEvent)
                             .where(TransitionEvent.project_id == project.id)
                             .order_by(TransitionEvent.at, TransitionEvent.id))
    return [event_json(e) for e in events]


@bp.get("/projects/<int:project_id>/risks")
def get_risks(project_id: int):
    """The risk model of the current revision."""
    return risk_model_json(_risk_view(load_project(db.session(), current_user(), project_id)))


@bp.put("/projects/<int:project_id>/risks")
def put_risks(project_id: int):
    """Replace the risk model of the current revision (owner, while the proposal is editable)."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    risks.replace_risk_model(session, current_user(), project, json_body())
    commit()
    return risk_model_json(_risk_view(project))
