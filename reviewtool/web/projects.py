"""Project pages: dashboard, list, create, edit, the project page, firing triggers."""

from __future__ import annotations

import json
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.permissions import require
from reviewtool.services import proposals
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.read import cursors
from reviewtool.services.read.dashboard import dashboard as dashboard_parts
from reviewtool.services.read.project_view import project_view
from reviewtool.services.read.projects import project_seek
from reviewtool.services.transitions import fire
from reviewtool.web.decisions import condition_rows, decision_extra
from reviewtool.web.form_errors import attach, form_problems
from reviewtool.web.pipeline import attempt, pages
from reviewtool.web.proposal_forms import ProposalForm, form_data_from
from reviewtool.web.repeat_rows import added_row
from reviewtool.web.reviews import conflict_form

bp = pages("projects", __name__)
PER_PAGE = 20


@bp.get("/")
def dashboard():
    """What needs the user's action, by role."""
    return render_template("projects/dashboard.html", parts=dashboard_parts(db.session(),
                                                                            actor()))


@bp.get("/projects")
def index():
    """The projects the user may see, a page at a time by cursor (first, previous, next,
    last), filterable by state and by whose they are (`whose`: mine or others)."""
    state, whose = request.args.get("state", ""), request.args.get("whose", "")
    cursor = request.args.get("cursor", "")
    seek: dict[str, Any] = {}
    if cursor == "last":
        seek["last"] = True
    elif cursor:
        way, position = cursors.decode(cursor)  # a damaged token: 404 saying so
        seek["after" if way == cursors.AFTER else "before"] = position
    found = project_seek(db.session(), actor(), per_page=PER_PAGE, state=state, whose=whose,
                         **seek)
    return render_template("projects/index.html", found=found, state=state, whose=whose,
                           states=workflow().definition.states)


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
    require(actor(), "create_project")
    cats = load_catalogues(db.session())
    form = ProposalForm(data=form_data_from(proposals.ProposalFields().model_dump()))
    if request.method == "GET":
        return _render_form(form, cats, _outcomes_from_values({}, cats))
    if added_row({"roles"}):  # "Add another role" without the script: nothing is saved
        form.add_blank()
        return _render_form(form, cats, _outcomes_from_request(cats))
    if not form.validate_on_submit():
        form.setup(cats)
        return _render_form(form, cats, _outcomes_from_request(cats),
                            problems=form_problems(form), status=422)
    outcomes = _outcomes_from_request(cats)
    created = attempt(proposals.create_project, db.session(), actor(), form.to_data(outcomes),
                      cats)
    if not created.ok:
        form.setup(cats)
        return _render_form(form, cats, outcomes, problems=attach(form, created.error.problems),
                            status=422)
    flash("Draft saved.")
    return redirect(url_for("projects.show", project_id=created.value.id))


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@project_route()
def edit(project: Project):
    """Edit the proposal; a stale save keeps the user's text and says what changed."""
    session = db.session()
    proposals.require_editable(actor(), project)  # 403 for others; 409 when not editable now
    cats = load_catalogues(session)
    values = proposals.proposal_values(project.current_revision)
    if request.method == "GET":
        form = ProposalForm(data={**form_data_from(values), "version": project.version})
        return _render_form(form, cats, _outcomes_from_values(values, cats), project=project,
                            base=json.dumps(values))
    form = ProposalForm()
    outcomes = _outcomes_from_request(cats)
    if added_row({"roles"}):  # "Add another role" without the script: nothing is saved
        form.add_blank()
        return _render_form(form, cats, outcomes, project=project)
    if not form.validate_on_submit():
        return _render_form(form, cats, outcomes, project=project, status=422)
    version = int(form.version.data) if (form.version.data or "").isdigit() else -1
    saved = attempt(proposals.update_proposal, session, actor(), project,
                    form.to_data(outcomes), cats, expected_version=version)
    if saved.ok:
        flash("Changes saved.")
        return redirect(url_for("projects.show", project_id=project.id))
    if saved.error.status == 409:
        changed = _changed_fields(request.form.get("base", ""),
                                  proposals.proposal_values(project.current_revision))
        form.version.data = str(project.version)
        return _render_form(form, cats, outcomes, project=project, changed=changed, status=409)
    form.setup(cats)
    return _render_form(form, cats, outcomes, project=project,
                        problems=attach(form, saved.error.problems), status=saved.error.status)


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


def _show(project: Project, *, errors: list[str] | None = None, status: int = 200,
          typed: dict[str, str] | None = None, add_condition: bool = False):
    """The project page; after a refused trigger `typed` holds what its form sent."""
    session = db.session()
    view = project_view(session, project, actor(), workflow())
    if view["review"].get("can_declare"):
        view["review"]["conflict_form"] = conflict_form(session)
    typed = typed or {}
    return render_template("projects/show.html", **view, errors=errors or [], typed=typed,
                           condition_rows=condition_rows(typed, add=add_condition)), status


@bp.get("/projects/<int:project_id>")
@project_route()
def show(project: Project):
    """The project page: stepper, proposal, history, and the actions the viewer may take."""
    return _show(project)


@bp.post("/projects/<int:project_id>/transitions")
@project_route()
def transition(project: Project):
    """Fire a trigger from the project page; refusals come back as messages on the page."""
    if added_row({"conditions"}):  # "Add another condition" without the script
        return _show(project, typed=request.form.to_dict(), add_condition=True)
    version = request.form.get("version", "")
    override = request.form.get("override_rationale", "").strip()
    extra = {"override_rationale": override} if override else {}
    extra.update(decision_extra(request.form))  # conditions and re-review date of a go
    fired = attempt(fire, db.session(), workflow(), project, request.form.get("trigger", ""),
                    actor=actor(), expected_version=int(version) if version.isdigit() else -1,
                    comment=request.form.get("comment", ""), extra=extra or None)
    if not fired.ok:
        # Shown on the project page itself, with the refusal's own status (403/409/422).
        return _show(project, errors=fired.error.messages, status=fired.error.status,
                     typed=request.form.to_dict())
    label = workflow().state_labels().get(project.state, project.state)
    flash(f"Done: the project is now at step '{label}'.")
    return redirect(url_for("projects.show", project_id=project.id)), 303
