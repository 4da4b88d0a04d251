"""Project pages: dashboard, list, create, edit, the project page, firing triggers."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from reviewtool import db
from reviewtool.enums import EDITABLE_STATES, Role
from reviewtool.errors import Conflict, Invalid, ServiceError
from reviewtool.inputs import NUMBER_MAX, whole_number
from reviewtool.models import Project, TransitionEvent
from reviewtool.permissions import is_owner, load_project, require_edit, visible_projects
from reviewtool.services import proposals
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.risk_view import risk_model_view
from reviewtool.services.transitions import allowed_triggers, fire
from reviewtool.web.decision_forms import decision_extra, decision_section
from reviewtool.web.forms import ProposalForm, form_data_from
from reviewtool.web.helpers import commit, workflow
from reviewtool.web.pilots import builder_pilots, pilot_section
from reviewtool.web.reviews import review_progress, review_section, reviewer_assignments
from reviewtool.web.revisions import trajectory_context

bp = Blueprint("projects", __name__)
PER_PAGE = 20


@bp.before_request
@login_required
def require_login() -> None:
    """Every page here needs a signed-in user."""


def _page_arg() -> int:
    page = whole_number(request.args.get("page", "1"), low=1, high=NUMBER_MAX)
    if page is None:
        abort(404)
    return page


def _project_page(stmt, page: int) -> tuple[list[Project], int]:
    session = db.session()
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.options(selectinload(Project.owner))
                           .order_by(Project.updated_at.desc(), Project.id.desc())
                           .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique()
    return list(rows), total


@bp.get("/")
def dashboard():
    """What needs the user's action, by role."""
    mine, _ = _project_page(visible_projects(current_user)
                            .where(Project.owner_id == current_user.id), 1)
    oversight: list[Project] = []
    if current_user.has_role(Role.GRANTMAKER, Role.ADMIN):
        oversight, _ = _project_page(visible_projects(current_user)
                                     .where(Project.owner_id != current_user.id), 1)
    session = db.session()
    assignments = reviewer_assignments(session, current_user) \
        if current_user.has_role(Role.REVIEWER) else []
    in_review = review_progress(session, current_user) \
        if current_user.has_role(Role.GRANTMAKER) else []
    my_pilots = builder_pilots(session, current_user) \
        if current_user.has_role(Role.BUILDER) else []
    return render_template("projects/dashboard.html", mine=mine, oversight=oversight,
                           editable=EDITABLE_STATES, assignments=assignments,
                           in_review=in_review, my_pilots=my_pilots)


@bp.get("/projects")
def index():
    """The projects the user may see, paginated, filterable by state."""
    page = _page_arg()
    stmt = visible_projects(current_user)
    state = request.args.get("state", "")
    if state:
        stmt = stmt.where(Project.state == state)
    projects, total = _project_page(stmt, page)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("projects/index.html", projects=projects, page=page, pages=pages,
                           total=total, state=state, states=workflow().definition.states)


def _outcomes_from_request(cats: Catalogues) -> dict[str, dict[str, Any]]:
    return {key: {"chosen": request.form.get(f"outcome-{key}") == "y",
                  "measure": request.form.get(f"measure-{key}", "")[:1000]}
            for key in cats.keys("outcomes")}


def _outcomes_from_values(values: dict[str, Any], cats: Catalogues) -> dict[str, dict]:
    stored = {o["outcome"]: o.get("measure", "") for o in values.get("outcomes", [])}
    return {key: {"chosen": key in stored, "measure": stored.get(key, "")}
            for key in cats.keys("outcomes")}


def _render_form(form: ProposalForm, cats: Catalogues, outcomes: dict, *, project=None,
                 problems=(), changed=(), status: int = 200, base: str | None = None):
    # `base` is the proposal as the editor first saw it, so a stale save can say what changed.
    form.setup(cats)
    return render_template("projects/form.html", form=form, cats=cats, outcomes=outcomes,
                           project=project, problems=list(problems), changed=list(changed),
                           base=request.form.get("base", "") if base is None else base), status


@bp.route("/projects/new", methods=["GET", "POST"])
def new():
    """Start a draft proposal."""
    session = db.session()
    cats = load_catalogues(session)
    if not current_user.has_role(Role.PROPOSER):
        abort(403)
    form = ProposalForm(data=form_data_from(proposals.ProposalFields().model_dump()))
    if not form.validate_on_submit():
        return _render_form(form, cats, _outcomes_from_values({}, cats))
    outcomes = _outcomes_from_request(cats)
    try:
        project = proposals.create_project(session, current_user, form.to_data(outcomes), cats)
    except Invalid as exc:
        session.rollback()
        return _render_form(form, cats, outcomes, problems=exc.messages, status=422)
    commit()
    flash("Draft saved.")
    return redirect(url_for("projects.show", project_id=project.id))


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
def edit(project_id: int):
    """Edit the proposal; a stale save keeps the user's text and says what changed."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    require_edit(current_user, project)  # 403 for others; 409 when not editable now
    cats = load_catalogues(session)
    values = proposals.proposal_values(project.current_revision)
    if request.method == "GET":
        form = ProposalForm(data={**form_data_from(values), "version": project.version})
        return _render_form(form, cats, _outcomes_from_values(values, cats), project=project,
                            base=json.dumps(values))
    form = ProposalForm()
    outcomes = _outcomes_from_request(cats)
    if not form.validate_on_submit():
        return _render_form(form, cats, outcomes, project=project, status=422)
    version = int(form.version.data) if (form.version.data or "").isdigit() else -1
    try:
        proposals.update_proposal(session, current_user, project, form.to_data(outcomes), cats,
                                  expected_version=version)
    except Conflict:
        session.rollback()
        project = load_project(session, current_user, project_id)
        changed = _changed_fields(request.form.get("base", ""),
                                  proposals.proposal_values(project.current_revision))
        form.version.data = str(project.version)
        return _render_form(form, cats, outcomes, project=project, changed=changed, status=409)
    except Invalid as exc:
        session.rollback()
        return _render_form(form, cats, outcomes, project=project, problems=exc.messages,
                            status=422)
    commit()
    flash("Changes saved.")
    return redirect(url_for("projects.show", project_id=project.id))


def _changed_fields(base_json: str, current: dict[str, Any]) -> list[str]:
    """Names of the fields whose stored value differs from what the editor started from."""
    try:
        base = json.loads(base_json)
    except ValueError:
        base = None
    if not isinstance(base, dict):
        return ["(unknown: reload the page to see the current version)"]
    labels = {f: f.replace("_", " ").capitalize() for f in current}
    return [labels[f] for f in current if base.get(f) != current[f]]


@bp.get("/projects/<int:project_id>")
def show(project_id: int):
    """The project page: stepper, proposal, history, and the actions the viewer may take."""
    return _show(load_project(db.session(), current_user, project_id))


def _show(project: Project, *, errors: list[str] | None = None, status: int = 200):
    session = db.session()
    cats = load_catalogues(session)
    wf = workflow()
    history = session.scalars(select(TransitionEvent)
                              .where(TransitionEvent.project_id == project.id)
                              .order_by(TransitionEvent.at, TransitionEvent.id)).all()
    actions = [wf.trigger(t) for t in allowed_triggers(wf, current_user, project)]
    revision = project.current_revision
    return render_template(
        "projects/show.html", project=project, revision=revision, cats=cats,
        stepper=wf.stepper(project.state), history=history, actions=actions,
        state_labels=wf.state_labels(), trigger_labels=wf.trigger_labels(),
        can_edit=is_owner(current_user, project) and project.state in EDITABLE_STATES,
        missing=proposals.missing_fields(revision) if project.state == "draft" else [],
        risky=proposals.risky_needs(revision, cats), errors=errors or [],
        risk_view=risk_model_view(session, revision, wf.settings, cats),
        review=review_section(session, project, current_user),
        trajectory=trajectory_context(session, project, current_user),
        pilot_section=pilot_section(session, project, current_user, wf.settings),
        decision=decision_section(session, project, current_user)), status


@bp.post("/projects/<int:project_id>/transitions")
def transition(project_id: int):
    """Fire a trigger from the project page; refusals come back as messages on the page."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    version = request.form.get("version", "")
    override = request.form.get("override_rationale", "").strip()
    extra = {"override_rationale": override} if override else {}
    extra.update(decision_extra(request.form))  # conditions and re-review date of a go
    try:
        fire(session, workflow(), project, request.form.get("trigger", ""), actor=current_user,
             expected_version=int(version) if version.isdigit() else -1,
             comment=request.form.get("comment", ""), extra=extra or None)
    except ServiceError as exc:
        # Shown on the project page itself, with the refusal's own status (403/409/422).
        session.rollback()
        return _show(load_project(session, current_user, project_id), errors=exc.messages,
                     status=exc.status)
    commit()
    label = workflow().state_labels().get(project.state, project.state)
    flash(f"Done: the project is now at step '{label}'.")
    return redirect(url_for("projects.show", project_id=project_id)), 303
