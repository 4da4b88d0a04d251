"""Assigning reviewers, submitting and editing reviews, declaring conflicts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from reviewtool.enums import Role
from reviewtool.errors import Conflict, Invalid, NotFound
from reviewtool.models import (
    Assignment,
    ConflictDeclaration,
    Project,
    Review,
    ReviewRound,
    ReviewVersion,
    User,
    UserRole,
    utcnow,
)
from reviewtool.models.review import CONFLICT_KINDS
from reviewtool.models.round_reads import project_rounds
from reviewtool.models.types import is_valid_id
from reviewtool.permissions import has_conflict, is_assigned_reviewer, require
from reviewtool.services import project_notices
from reviewtool.services.conflicts import (
    conflict_reason,
    conflict_reasons,
)
from reviewtool.services.risks import categories_of
from reviewtool.services.rounds import current_round, require_open_round, reviewer_loads
from reviewtool.services.validation import parse

DEFAULT_DUE_DAYS = 14
CANDIDATES_MAX = 20
TEXT_MAX = 5000
Scale = Annotated[int, Field(ge=1, le=5)]


def letter_for(index: int) -> str:
    """Round-local reviewer names: A..Z, then AA, AB, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def assign_reviewer(session: Session, actor: User, project: Project, reviewer_id: Any,
                    *, due_on: date | None = None, notify: bool = True) -> Assignment:
    """Assign a reviewer to the open round; 409 with the reason on a conflict of interest."""
    require(actor, "steward", project)
    review_round = require_open_round(session, project)
    if isinstance(reviewer_id, bool) or not isinstance(reviewer_id, int):
        raise Invalid(problems=[{"field": "user_id", "message": "user_id must be the id "
                                 "(an integer) of a user with the reviewer role."}])
    # Beyond the databases' integer ids a lookup would fail (500) instead of finding no one.
    reviewer = session.get(User, reviewer_id) if is_valid_id(reviewer_id) else None
    if reviewer is None or not reviewer.is_active:
        raise Invalid(problems=[{"field": "user_id", "message": f"No user {reviewer_id}."}])
    if not reviewer.has_role(Role.REVIEWER):
        raise Invalid(problems=[{"field": "user_id", "message":
                                 f"{reviewer.name} does not hold the reviewer role."}])
    if any(a.reviewer_id == reviewer.id for a in review_round.assignments):
        raise Conflict(f"{reviewer.name} is already assigned to round {review_round.number}.")
    reason = conflict_reason(session, reviewer, project)
    if reason:
        raise Conflict(f"Conflict of interest: {reason}")
    return _assign(session, project, review_round, reviewer, assigned_by_id=actor.id,
                   due_on=due_on, notify=notify)


def _assign(session: Session, project: Project, review_round: ReviewRound, reviewer: User, *,
            assigned_by_id: int, due_on: date | None, notify: bool) -> Assignment:
    assignment = Assignment(round=review_round, reviewer=reviewer, assigned_by_id=assigned_by_id,
                            letter=letter_for(len(review_round.assignments)),
                            due_on=due_on or date.today() + timedelta(days=DEFAULT_DUE_DAYS))
    session.add(assignment)
    session.flush()
    if notify:
        project_notices.reviewer_assigned(session, project, assignment, review_round)
    return assignment


def carry_over_reviewers(session: Session, project: Project, previous: ReviewRound,
                         review_round: ReviewRound) -> list[Assignment]:
    """Re-assign the previous round's reviewers to the new round, skipping any who withdrew
    or who now have a conflict of interest; each is notified."""
    carried = []
    for old in previous.assignments:
        if old.withdrawn_at is not None or conflict_reason(session, old.reviewer, project):
            continue
        carried.append(_assign(session, project, review_round, old.reviewer,
                               assigned_by_id=old.assigned_by_id, due_on=None, notify=True))
    return carried


def unassign_reviewer(session: Session, actor: User, project: Project, reviewer_id: int) -> None:
    """Take a reviewer off the open round, unless they already submitted their review."""
    require(actor, "steward", project)
    review_round = require_open_round(session, project)
    assignment = next((a for a in review_round.assignments
                       if a.reviewer_id == reviewer_id and a.withdrawn_at is None), None)
    if assignment is None:
        raise NotFound(f"User {reviewer_id} is not assigned to round {review_round.number}.")
    if assignment.review is not None:
        raise Conflict(f"{assignment.reviewer.name} already submitted a review in round "
                       f"{review_round.number}; it stays part of the round.")
    assignment.withdrawn_at = utcnow()
    assignment.withdrawn_reason = f"removed by {actor.name}"
    session.flush()


class ReviewIn(BaseModel):
    """A review as the API and the form send it."""

    model_config = ConfigDict(extra="forbid", strict=True)
    stance: Literal["optimistic", "neutral", "pessimistic"]
    net_negative: bool
    rationale: Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX)] = ""
    concern_categories: Annotated[list[str], Field(max_length=50)] = []
    risk_scores: Annotated[list[RiskScore], Field(max_length=200)] = []
    suggested_safeguards: Annotated[list[Annotated[str, StringConstraints(
        strip_whitespace=True, min_length=1, max_length=1000)]], Field(max_length=30)] = []
    confidence: Scale
    expertise: Literal["general", "familiar", "expert"] = "familiar"
    no_conflict: Literal[True] = Field(
        description="The reviewer attests that they have no conflict of interest.")


class RiskScore(BaseModel):
    """The reviewer's own likelihood and severity for one risk of the model."""

    model_config = ConfigDict(extra="forbid", strict=True)
    risk_id: int
    likelihood: Scale
    severity: Scale


ReviewIn.model_rebuild()


def _validate(session: Session, project: Project, review_round: ReviewRound,
              data: Any) -> ReviewIn:
    review = parse(ReviewIn, data, what="the review")
    problems = []
    if review.net_negative and not review.rationale:
        problems.append({"field": "rationale", "message": "Explain why the project could be "
                         "net negative: a rationale is needed when you answer yes."})
    revision = next(r for r in project.revisions if r.id == review_round.revision_id)
    keys = {c["key"] for c in categories_of(revision, session)}
    for i, key in enumerate(review.concern_categories):
        if key not in keys:
            problems.append({"field": f"concern_categories.{i}",
                             "message": f"concern_categories.{i}: {key!r} is not a risk "
                                        "category."})
    risk_ids = {r.id for r in revision.risks}
    for i, score in enumerate(review.risk_scores):
        if score.risk_id not in risk_ids:
            problems.append({"field": f"risk_scores.{i}.risk_id",
                             "message": f"risk_scores.{i}: risk {score.risk_id} is not in the "
                                        "revision under review."})
    if problems:
        raise Invalid(problems=problems)
    return review


def my_assignment(session: Session, reviewer: User,
                  project: Project) -> tuple[ReviewRound, Assignment]:
    """The open round and `reviewer`'s live assignment in it: 409 for its reviewer between
    rounds, 403 for anyone without a live assignment in the open round."""
    review_round = current_round(session, project)
    if review_round is None and is_assigned_reviewer(reviewer, project):
        require_open_round(session, project)
    require(reviewer, "review", project)
    return review_round, next(a for a in review_round.assignments
                              if a.reviewer_id == reviewer.id and a.withdrawn_at is None)


def submit_review(session: Session, reviewer: User, project: Project, data: Any) -> Review:
    """Submit or edit the caller's review in the open round; earlier versions are kept."""
    review_round, assignment = my_assignment(session, reviewer, project)
    clean = _validate(session, project, review_round, data)
    values = clean.model_dump(exclude={"no_conflict"})
    values["concern_categories"] = sorted(set(values["concern_categories"]))
    review = assignment.review
    now = utcnow()
    if review is None:
        review = Review(assignment=assignment, revision_id=review_round.revision_id,
                        no_conflict_attested=True, submitted_at=now, **values)
        session.add(review)
    else:
        session.add(ReviewVersion(review_id=review.id, version=review.version,
                                  saved_at=review.updated_at, data=review_snapshot(review)))
        for key, value in values.items():
            setattr(review, key, value)
        review.version += 1
    review.updated_at = now
    session.flush()
    return review


def review_snapshot(review: Review) -> dict[str, Any]:
    """The reviewer's answers as plain values (kept as an earlier version on edit)."""
    return {"stance": review.stance, "net_negative": review.net_negative,
            "rationale": review.rationale, "concern_categories": list(review.concern_categories),
            "risk_scores": list(review.risk_scores),
            "suggested_safeguards": list(review.suggested_safeguards),
            "confidence": review.confidence, "expertise": review.expertise}


def declare_conflict(session: Session, user: User, project: Project, kind: Any,
                     note: Any = "") -> ConflictDeclaration:
    """Record the user's conflict with the project and withdraw their live assignments."""
    require(user, "declare_conflict", project)
    if has_conflict(user, project):
        raise Conflict("You have already declared a conflict with this project.")
    if kind not in CONFLICT_KINDS:
        raise Invalid(problems=[{"field": "kind", "message":
                                 f"kind should be one of {', '.join(CONFLICT_KINDS)}."}])
    if not isinstance(note, str) or len(note) > TEXT_MAX:
        raise Invalid(problems=[{"field": "note", "message": "note should be text."}])
    declaration = ConflictDeclaration(user_id=user.id, project_id=project.id, kind=kind,
                                      note=note.strip(), declared_by_id=user.id)
    session.add(declaration)
    for review_round in project_rounds(session, project.id):
        for assignment in review_round.assignments:
            if assignment.reviewer_id == user.id and assignment.withdrawn_at is None:
                assignment.withdrawn_at = utcnow()
                assignment.withdrawn_reason = "declared a conflict of interest"
    session.flush()
    session.expire(project, ["conflicts"])  # the next permission check must see it
    return declaration


def reviewer_candidates(session: Session, project: Project, q: str = "",
                        *, limit: int = CANDIDATES_MAX) -> dict[str, Any]:
    """Active reviewers whose name or e-mail contains `q`, for the open round: each with their
    current load, whether they are assigned already and any conflict reason. Both faces list
    candidates through this, in a fixed number of queries however many rows it returns."""
    stmt = select(User).join(UserRole).where(UserRole.role == Role.REVIEWER.value,
                                             User.is_active)
    q = q.lower()
    if q:
        stmt = stmt.where(or_(func.lower(User.name).contains(q, autoescape=True),
                              User.email.contains(q, autoescape=True)))
    users = session.scalars(stmt.order_by(User.name, User.id).limit(limit)).all()
    loads = reviewer_loads(session, [u.id for u in users])
    reasons = conflict_reasons(session, list(users), project)
    review_round = current_round(session, project)
    assigned = {a.reviewer_id for a in review_round.assignments} if review_round else set()
    return {"round": review_round.number if review_round else None,
            "items": [{"id": u.id, "name": u.name, "email": u.email,
                       "load": loads.get(u.id, 0), "assigned": u.id in assigned,
                       "conflict": reasons[u.id]} for u in users]}
