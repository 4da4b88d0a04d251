"""Assigning reviewers to the open round: the candidate search with each one's load and any
conflict of interest, and the "Assign" button (grantmakers without a conflict)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.http.pipeline import actor, project_route
from reviewtool.models import Project
from reviewtool.services import reviews
from reviewtool.services.rounds import require_open_round
from reviewtool.web.form_errors import form_problems
from reviewtool.web.pipeline import attempt, pages
from reviewtool.web.review_forms import AssignForm, SearchForm

bp = pages("assignments", __name__)


def _render_assign(project: Project, *, problems: list[str] | None = None, status: int = 200):
    session = db.session()
    review_round = require_open_round(session, project)
    search = SearchForm(request.args)
    q = (search.q.data or "").strip()[:200]
    candidates = reviews.reviewer_candidates(session, project, q)
    return render_template(
        "reviews/assign.html", project=project, review_round=review_round, search=search,
        q=q, candidates=candidates["items"], problems=problems or [],
        default_due=date.today() + timedelta(days=reviews.DEFAULT_DUE_DAYS),
        today=date.today(), csrf_form=AssignForm()), status


@bp.get("/projects/<int:project_id>/reviewers")
@project_route("steward")
def reviewers(project: Project):
    """Reviewer candidates for the open round, searchable, with their load and conflicts."""
    return _render_assign(project)


@bp.post("/projects/<int:project_id>/reviewers")
@project_route("steward")
def assign(project: Project):
    """Assign one candidate; a conflict of interest answers 409 with its reason."""
    require_open_round(db.session(), project)
    form = AssignForm()
    if not form.validate_on_submit():
        return _render_assign(project, status=422, problems=form_problems(form))
    raw = form.user_id.data or ""
    assigned = attempt(reviews.assign_reviewer, db.session(), actor(), project,
                       int(raw) if raw.isdigit() else raw, due_on=form.due_on.data)
    if not assigned.ok:  # nothing written: the refusal is the whole answer
        return _render_assign(project, problems=assigned.error.messages,
                              status=assigned.error.status)
    assignment = assigned.value
    flash(f"{assignment.reviewer.name} is assigned to round {assignment.round.number} as "
          f"Reviewer {assignment.letter}, due {assignment.due_on.isoformat()}; "
          "they have been notified.")
    return redirect(url_for("assignments.reviewers", project_id=project.id,
                            q=request.args.get("q") or None)), 303
