"""Senior-review pages: assigning reviewers, the review form, declaring a conflict, and the
review parts of the project page and the dashboard.

What each role may see of a round is decided in services/round_view.py alone; these pages
only lay it out. Every list here is read in a fixed number of queries, never one per row."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewtool import db
from reviewtool.enums import Role, State
from reviewtool.errors import Conflict, Forbidden, Invalid
from reviewtool.models import (
    Assignment,
    ConflictDeclaration,
    Project,
    Review,
    ReviewRound,
    Revision,
    User,
)
from reviewtool.models.review import CONFLICT_KINDS
from reviewtool.permissions import has_conflict, is_assigned_reviewer, is_owner, load_project
from reviewtool.services import reviews
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.risk_view import risk_model_view
from reviewtool.services.risks import categories_of
from reviewtool.services.round_view import rounds_view
from reviewtool.services.rounds import current_round, require_open_round
from reviewtool.web.helpers import commit, workflow
from reviewtool.web.review_forms import (
    AssignForm,
    ConflictForm,
    ReviewForm,
    SearchForm,
    review_form_data,
)
from reviewtool.web.revisions import changes_context

bp = Blueprint("reviews", __name__)
HIDDEN_FOR_CONFLICT = "You declared a conflict of interest; the reviews are hidden from you."
# Pydantic's generic sentences for a control left empty, said in the form's own words.
PLAIN = {"stance": "Choose a stance: optimistic, neutral or pessimistic.",
         "net_negative": "Answer “Could this project be net negative?” with yes or no.",
         "confidence": "Choose your confidence, from 1 to 5.",
         "expertise": "Choose your expertise: general, familiar or expert.",
         "no_conflict": "Tick “I have no conflict of interest with this project”, or declare "
                        "your conflict of interest below instead."}


@bp.before_request
@login_required
def require_login() -> None:
    """Every page here needs a signed-in user."""


# --- the project page and the dashboard ------------------------------------------------------

def review_section(session: Session, project: Project, viewer: User) -> dict[str, Any]:
    """What the project page's "Senior review" section shows `viewer`."""
    try:
        rounds = rounds_view(session, project, viewer)
    except Forbidden:
        return {"hidden": HIDDEN_FOR_CONFLICT, "rounds": []}
    open_round = current_round(session, project)
    mine = next((a for a in open_round.assignments if a.reviewer_id == viewer.id
                 and a.withdrawn_at is None), None) if open_round else None
    # Reviewers with a live assignment may still declare a conflict (it withdraws them).
    may_declare = (viewer.has_role(Role.REVIEWER) and not is_owner(viewer, project)
                   and is_assigned_reviewer(session, viewer, project))
    labels: dict[str, str] = {}
    for revision in project.revisions:
        labels.update({c["key"]: c["label"] for c in categories_of(revision, session)})
    return {
        "hidden": None, "rounds": rounds, "category_labels": labels,
        "risk_text": {r.id: r.description for rev in project.revisions for r in rev.risks},
        "can_assign": (open_round is not None and viewer.has_role(Role.GRANTMAKER)
                       and project.state == State.REVIEW),
        "my_assignment": mine,
        "conflict_form": conflict_form(session) if may_declare else None,
    }


def conflict_form(session: Session) -> ConflictForm:
    """The "Declare a conflict of interest" form, its kinds labelled from the catalogue."""
    form = ConflictForm()
    cats = load_catalogues(session)
    form.kind.choices = [(k, cats.label("conflict_types", k)) for k in CONFLICT_KINDS]
    return form


def reviewer_assignments(session: Session, reviewer: User) -> list[dict[str, Any]]:
    """The reviewer's live assignments in open rounds, pending ones first: one query."""
    rows = session.execute(
        select(Project.id, Revision.title, ReviewRound.number, Assignment.due_on,
               Review.id.is_not(None).label("submitted"))
        .select_from(Assignment)
        .join(ReviewRound, ReviewRound.id == Assignment.round_id)
        .join(Project, Project.id == ReviewRound.project_id)
        .join(Revision, Revision.id == ReviewRound.revision_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.reviewer_id == reviewer.id, Assignment.withdrawn_at.is_(None),
               ReviewRound.status == "open")
        .order_by(Review.id.is_not(None), Assignment.due_on, Project.id))
    today = date.today()
    return [{"project_id": pid, "title": title, "round": number, "due_on": due_on,
             "status": "submitted" if submitted else "pending",
             "days_left": (due_on - today).days if due_on else None}
            for pid, title, number, due_on, submitted in rows]


def review_progress(session: Session, grantmaker: User) -> list[dict[str, Any]]:
    """Projects in review with submitted and assigned counts of the open round: one query.

    A project the grantmaker declared a conflict with keeps its counts hidden."""
    conflicted = func.count(ConflictDeclaration.id) > 0
    rows = session.execute(
        select(Project.id, Revision.title, ReviewRound.number,
               func.count(Assignment.id.distinct()), func.count(Review.id.distinct()),
               conflicted)
        .select_from(Project)
        .join(ReviewRound, (ReviewRound.project_id == Project.id) & (ReviewRound.status == "open"))
        .join(Revision, Revision.id == ReviewRound.revision_id)
        .outerjoin(Assignment, (Assignment.round_id == ReviewRound.id)
                   & Assignment.withdrawn_at.is_(None))
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .outerjoin(ConflictDeclaration, (ConflictDeclaration.project_id == Project.id)
                   & (ConflictDeclaration.user_id == grantmaker.id))
        .where(Project.state == State.REVIEW.value)
        .group_by(Project.id, Revision.title, ReviewRound.number)
        .order_by(Project.updated_at.desc(), Project.id.desc()).limit(100))
    return [{"project_id": pid, "title": title, "round": number, "hidden": hidden,
             "assigned": None if hidden else assigned, "submitted": None if hidden else done}
            for pid, title, number, assigned, done, hidden in rows]


# --- assigning reviewers ---------------------------------------------------------------------

def _require_assigner(session: Session, project: Project) -> ReviewRound:
    """The open round, if the current user may assign reviewers to it (403, then 409)."""
    if not current_user.has_role(Role.GRANTMAKER):
        raise Forbidden("Only grantmakers assign reviewers.")
    if has_conflict(current_user, project):
        raise Forbidden(HIDDEN_FOR_CONFLICT)
    return require_open_round(session, project)


def _render_assign(session: Session, project: Project, *, problems: list[str] | None = None,
                   status: int = 200):
    review_round = _require_assigner(session, project)
    search = SearchForm(request.args)
    q = (search.q.data or "").strip()[:200]
    candidates = reviews.reviewer_candidates(session, project, q)
    return render_template(
        "reviews/assign.html", project=project, review_round=review_round, search=search,
        q=q, candidates=candidates["items"], problems=problems or [],
        default_due=date.today() + timedelta(days=reviews.DEFAULT_DUE_DAYS),
        today=date.today(), csrf_form=AssignForm()), status


@bp.get("/projects/<int:project_id>/reviewers")
def reviewers(project_id: int):
    """Reviewer candidates for the open round, searchable, with their load and conflicts."""
    session = db.session()
    return _render_assign(session, load_project(session, current_user, project_id))


@bp.post("/projects/<int:project_id>/reviewers")
def assign(project_id: int):
    """Assign one candidate; a conflict of interest answers 409 with its reason."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    _require_assigner(session, project)
    form = AssignForm()
    if not form.validate_on_submit():
        return _render_assign(session, project, status=422, problems=[
            f"{form[name].label.text}: {error}" for name, errors in form.errors.items()
            for error in errors])
    raw = form.user_id.data or ""
    try:
        assignment = reviews.assign_reviewer(session, current_user, project,
                                             int(raw) if raw.isdigit() else raw,
                                             due_on=form.due_on.data)
    except (Conflict, Invalid) as exc:
        session.rollback()  # nothing written: the refusal is the whole answer
        project = load_project(session, current_user, project_id)
        return _render_assign(session, project, problems=exc.messages, status=exc.status)
    message = (f"{assignment.reviewer.name} is assigned to round {assignment.round.number} as "
               f"Reviewer {assignment.letter}, due {assignment.due_on.isoformat()}; "
               "they have been notified.")
    commit()
    flash(message)
    return redirect(url_for("reviews.reviewers", project_id=project_id,
                            q=request.args.get("q") or None)), 303


# --- the review form ---------------------------------------------------------------------------

def _my_assignment(session: Session, project: Project) -> tuple[ReviewRound, Assignment]:
    """The open round and the current user's live assignment in it (403, then 409)."""
    if not current_user.has_role(Role.REVIEWER):
        raise Forbidden("Only senior reviewers write reviews.")
    review_round = require_open_round(session, project)
    mine = next((a for a in review_round.assignments
                 if a.reviewer_id == current_user.id and a.withdrawn_at is None), None)
    if mine is None:
        raise Forbidden("Only reviewers assigned to the open round can review this project.")
    return review_round, mine


def _attach(form: ReviewForm, problems: list[dict[str, Any]], rows: list[int]) -> list[str]:
    """Put each problem next to its control; return every message for the summary."""
    messages = []
    for problem in problems:
        name = problem.get("field", "")
        message = PLAIN.get(name, problem["message"]) if problem["message"].startswith(
            f"{name} ") and name in PLAIN else problem["message"]
        parts = name.split(".")
        field = getattr(form, parts[0], None) if parts[0] != "risk_scores" else None
        if parts[0] == "risk_scores" and len(parts) > 2 and parts[1].isdigit() \
                and int(parts[1]) < len(rows):
            field = getattr(form.scores[rows[int(parts[1])]].form, parts[2], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        messages.append(message)
    return messages


def _under_review(project: Project, review_round: ReviewRound) -> Revision:
    """The revision the round reviews (reviews are pinned to it)."""
    return next(r for r in project.revisions if r.id == review_round.revision_id)


def _render_review(session: Session, project: Project, review_round: ReviewRound,
                   assignment: Assignment, form: ReviewForm, *, problems: list[str] = (),
                   status: int = 200):
    revision = _under_review(project, review_round)
    view = risk_model_view(session, revision, workflow().settings, load_catalogues(session))
    return render_template("reviews/review.html", project=project, revision=revision,
                           review_round=review_round, assignment=assignment, form=form,
                           problems=list(problems), view=view,
                           conflict_form=conflict_form(session),
                           changes=changes_context(session, current_user, project)), status


@bp.route("/projects/<int:project_id>/review", methods=["GET", "POST"])
def review(project_id: int):
    """Write or edit your review of the open round; errors come back inline with 422."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    review_round, assignment = _my_assignment(session, project)
    revision = _under_review(project, review_round)
    form = ReviewForm() if request.method == "POST" else \
        ReviewForm(data=review_form_data(assignment.review))
    form.setup(categories_of(revision, session), list(revision.risks))
    if request.method == "GET":
        return _render_review(session, project, review_round, assignment, form)
    if not form.validate_on_submit():
        return _render_review(session, project, review_round, assignment, form, status=422,
                              problems=["Please correct the marked fields."])
    data, rows = form.to_data()
    try:
        saved = reviews.submit_review(session, current_user, project, data)
    except Invalid as exc:
        session.rollback()
        project = load_project(session, current_user, project_id)
        review_round, assignment = _my_assignment(session, project)
        messages = _attach(form, exc.problems, rows)
        return _render_review(session, project, review_round, assignment, form, status=422,
                              problems=messages)
    edited = saved.version > 1
    commit()
    flash("Your review is updated." if edited else
          "Your review is submitted. The other reviews of this round are shown below.")
    return redirect(url_for("projects.show", project_id=project_id, _anchor="senior-review")), 303


@bp.post("/projects/<int:project_id>/conflicts")
def declare_conflict(project_id: int):
    """Declare a conflict of interest: you are withdrawn and the project's reviews hidden."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    form = conflict_form(session)
    if not form.validate_on_submit():
        abort(400)
    title = project.current_revision.title
    try:
        reviews.declare_conflict(session, current_user, project, form.kind.data,
                                 form.note.data or "")
    except Invalid as exc:
        session.rollback()
        return render_template("reviews/conflict.html", project=project, form=form,
                               problems=exc.messages), 422
    commit()
    flash(f"You declared a conflict of interest with “{title}”: you are withdrawn from its "
          "review and its reviews are hidden from you.")
    return redirect(url_for("projects.dashboard")), 303
