"""The dashboard: what waits on the signed-in user, one part per role they hold.

A part is None when the user does not hold its role, so the page shows only what applies.
Every list is bounded: at most PART_ROWS rows, read in one statement with a window count of
how many there are in all, so the page can say "All N ..." and link to the full list (the
project list, or /dashboard/assignments and /dashboard/pilots), however long it grows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewtool.enums import EDITABLE_STATES, Role, State
from reviewtool.models import (
    Assignment,
    ConflictDeclaration,
    Project,
    Review,
    ReviewRound,
    Revision,
    User,
)
from reviewtool.permissions import OVERSIGHT_ROLES
from reviewtool.services.read.pilot import builder_pilots
from reviewtool.services.read.projects import project_part
from reviewtool.services.read.queue import grantmaker_queue, pipeline_by_state

PART_ROWS = 20  # rows of each list on the dashboard


def reviewer_assignments(session: Session, reviewer: User, *, limit: int = PART_ROWS,
                         offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """`limit` of the reviewer's live assignments in open rounds from `offset`, pending ones
    first, and how many they have in all: one query."""
    rows = session.execute(
        select(Project.id, Revision.title, ReviewRound.number, Assignment.due_on,
               Review.id.is_not(None).label("submitted"), func.count().over())
        .select_from(Assignment)
        .join(ReviewRound, ReviewRound.id == Assignment.round_id)
        .join(Project, Project.id == ReviewRound.project_id)
        .join(Revision, Revision.id == ReviewRound.revision_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.reviewer_id == reviewer.id, Assignment.withdrawn_at.is_(None),
               ReviewRound.status == "open")
        .order_by(Review.id.is_not(None), Assignment.due_on, Project.id, Assignment.id)
        .limit(limit).offset(offset)).all()
    today = date.today()
    return [{"project_id": pid, "title": title, "round": number, "due_on": due_on,
             "status": "submitted" if submitted else "pending",
             "days_left": (due_on - today).days if due_on else None}
            for pid, title, number, due_on, submitted, _ in rows], rows[0][5] if rows else 0


def review_progress(session: Session, grantmaker: User, *, limit: int = PART_ROWS
                    ) -> tuple[list[dict[str, Any]], int]:
    """The `limit` most recently changed projects in review with the submitted and assigned
    counts of their open round, and how many projects are in review: one statement, which
    picks the projects first (an index range, with a window count) and counts the
    assignments and reviews of those rounds only.

    A project the grantmaker declared a conflict with keeps its counts hidden."""
    shown = (select(Project.id, Project.updated_at, ReviewRound.id.label("round_id"),
                    ReviewRound.number, ReviewRound.revision_id,
                    func.count().over().label("total"))
             .join(ReviewRound, (ReviewRound.project_id == Project.id)
                   & (ReviewRound.status == "open"))
             .where(Project.state == State.REVIEW.value)
             .order_by(Project.updated_at.desc(), Project.id.desc()).limit(limit).subquery())
    conflicted = func.count(ConflictDeclaration.id) > 0
    rows = session.execute(
        select(shown.c.id, Revision.title, shown.c.number,
               func.count(Assignment.id.distinct()), func.count(Review.id.distinct()),
               conflicted, shown.c.total)
        .select_from(shown)
        .join(Revision, Revision.id == shown.c.revision_id)
        .outerjoin(Assignment, (Assignment.round_id == shown.c.round_id)
                   & Assignment.withdrawn_at.is_(None))
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .outerjoin(ConflictDeclaration, (ConflictDeclaration.project_id == shown.c.id)
                   & (ConflictDeclaration.user_id == grantmaker.id))
        .group_by(shown.c.id, shown.c.updated_at, shown.c.number, shown.c.total,
                  Revision.title)
        .order_by(shown.c.updated_at.desc(), shown.c.id.desc())).all()
    return [{"project_id": pid, "title": title, "round": number, "hidden": hidden,
             "assigned": None if hidden else assigned, "submitted": None if hidden else done}
            for pid, title, number, assigned, done, hidden, _ in rows], (
        rows[0][6] if rows else 0)


def _part(rows: list, total: int, **more: Any) -> dict[str, Any]:
    return {"rows": rows, "total": total, **more}


def dashboard(session: Session, user: User) -> dict[str, Any]:
    """Every part of `user`'s dashboard; a part is None when its role does not apply, else
    {"rows": the first PART_ROWS, "total": how many in all}."""
    parts: dict[str, Any] = dict.fromkeys(
        ("proposals", "assignments", "pilots", "in_review", "queue", "pipeline", "oversight"))
    if user.has_role(Role.PROPOSER):
        mine, total = project_part(session, user, whose="mine", limit=PART_ROWS)
        parts["proposals"] = _part(mine, total,
                                   workable=sum(p.state in EDITABLE_STATES for p in mine))
    if user.has_role(Role.REVIEWER):
        parts["assignments"] = _part(*reviewer_assignments(session, user))
    if user.has_role(Role.BUILDER):
        parts["pilots"] = _part(*builder_pilots(session, user, limit=PART_ROWS))
    if user.has_role(Role.GRANTMAKER):
        parts["in_review"] = _part(*review_progress(session, user))
        parts["queue"] = grantmaker_queue(session, user)
    if user.has_role(*OVERSIGHT_ROLES):
        parts["pipeline"] = pipeline_by_state(session, user)
        parts["oversight"] = _part(*project_part(session, user, whose="others",
                                                 limit=PART_ROWS))
    return parts
