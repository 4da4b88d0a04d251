"""Projects: list, create, read, edit, fire triggers, history, risk model."""

from __future__ import annotations

from reviewtool import db
from reviewtool.api.pipeline import bp, int_arg, json_body, str_arg
from reviewtool.api.serialize import event_json, project_json, project_summary, risk_model_json
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.permissions import require
from reviewtool.services import proposals, risks
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.history import project_history
from reviewtool.services.read.projects import project_page
from reviewtool.services.read.risk_model import risk_model_view
from reviewtool.services.transitions import fire

# What a transition body may carry besides trigger, comment and version.
TRANSITION_EXTRAS = ("override_rationale", "conditions", "review_by", "outcome_probability")


def _risk_view(project: Project) -> dict:
    session = db.session()
    return risk_model_view(session, project.current_revision, workflow().settings,
                           load_catalogues(session))


def _out(project: Project) -> dict:
    """The project as the API returns it to the caller."""
    return project_json(project, actor(), workflow(), _risk_view(project))


@bp.get("/projects")
def list_projects():
    """The projects the caller may see, newest change first (filters: state, type)."""
    page = project_page(db.session(), actor(), page=int_arg("page", 1),
                        per_page=int_arg("per_page", 20, high=100), state=str_arg("state"),
                        project_type=str_arg("type"), strict=True)
    return {"items": [project_summary(p) for p in page.items], "page": page.page,
            "per_page": page.per_page, "total": page.total}


@bp.post("/projects")
def create_project():
    """Create a draft; 201 with the project."""
    require(actor(), "create_project")  # 403 before any 422 about the body
    session = db.session()
    project = proposals.create_project(session, actor(), json_body(), load_catalogues(session))
    return _out(project), 201


@bp.get("/projects/<int:project_id>")
@project_route()
def get_project(project: Project):
    """One project, with the triggers the caller's roles may fire now."""
    return _out(project)


@bp.patch("/projects/<int:project_id>")
@project_route()
def patch_project(project: Project):
    """Edit the proposal; the body carries the `version` the edit started from."""
    proposals.require_editable(actor(), project)  # 403, 409 before any 422 about the body
    data = json_body()
    session = db.session()
    proposals.update_proposal(session, actor(), project, data, load_catalogues(session),
                              expected_version=data.get("version"))
    return _out(project)


@bp.post("/projects/<int:project_id>/transitions")
@project_route()
def transition(project: Project):
    """Fire a trigger: {"trigger", "comment", "version"?}."""
    data = json_body()
    fire(db.session(), workflow(), project, data.get("trigger"), actor=actor(),
         expected_version=data.get("version"), comment=data.get("comment", ""),
         extra={k: data[k] for k in TRANSITION_EXTRAS if k in data})
    return _out(project)


@bp.get("/projects/<int:project_id>/history")
@project_route()
def history(project: Project):
    """The project's transition events, oldest first."""
    return [event_json(e) for e in project_history(db.session(), project)]


@bp.get("/projects/<int:project_id>/risks")
@project_route()
def get_risks(project: Project):
    """The risk model of the current revision."""
    return risk_model_json(_risk_view(project))


@bp.put("/projects/<int:project_id>/risks")
@project_route()
def put_risks(project: Project):
    """Replace the risk model of the current revision (owner, while the proposal is editable)."""
    risks.replace_risk_model(db.session(), actor(), project, json_body())
    return risk_model_json(_risk_view(project))

