"""What waits on a grantmaker: the queue their dashboard leads with, then the pipeline by state.

Only projects the grantmaker may steer count (not their own, not one they declared a conflict
with); each list is one query, whatever the number of projects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from reviewtool.models import (
    Alert,
    Assignment,
    ConflictDeclaration,
    Decision,
    Project,
    Review,
    ReviewRound,
    Revision,
    User,
)
from reviewtool.permissions import visible_projects

SOON_DAYS = 14  # conditions due within this many days are listed


def _steerable(user: User):
    """Projects `user` sees and may steer: not theirs, no declared conflict."""
    conflicted = exists().where(ConflictDeclaration.project_id == Project.id,
                                ConflictDeclaration.user_id == user.id)
    return (visible_projects(user).where(Project.owner_id != user.id, ~conflicted)
            .subquery())


def _titled(session: Session, stmt) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in session.execute(stmt)]


def _current_title(project_id):
    return (select(Revision.title).where(Revision.project_id == project_id, Revision.is_current)
            .scalar_subquery())


def grantmaker_queue(session: Session, user: User, *,
                     today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Each kind of waiting work, as rows with the project's id and title."""
    today = today or date.today()
    mine = _steerable(user)
    live = and_(Assignment.round_id == ReviewRound.id, Assignment.withdrawn_at.is_(None))
    assigned = select(func.count(Assignment.id)).where(live).scalar_subquery()
    reviewed = (select(func.count(Review.id)).join(Assignment, Review.assignment_id ==
                                                   Assignment.id).where(live).scalar_subquery())
    rounds = (select(ReviewRound.project_id.label("id"), _current_title(ReviewRound.project_id)
                     .label("title"), ReviewRound.number.label("round"),
                     reviewed.label("reviews"))
              .where(ReviewRound.status == "open", ReviewRound.project_id.in_(select(mine.c.id)),
                     assigned > 0, assigned == reviewed)
              .order_by(ReviewRound.opened_at))
    deciding = (select(mine.c.id, _current_title(mine.c.id).label("title"))
                .where(mine.c.state == "decision").order_by(mine.c.updated_at))
    alerts = (select(Alert.project_id.label("id"), _current_title(Alert.project_id).label("title"),
                     Alert.message, Alert.created_at)
              .where(Alert.resolved_at.is_(None), Alert.project_id.in_(select(mine.c.id)))
              .order_by(Alert.created_at))
    overdue = (select(ReviewRound.project_id.label("id"),
                      _current_title(ReviewRound.project_id).label("title"),
                      User.name.label("reviewer"), Assignment.due_on)
               .join(Assignment, live).join(User, User.id == Assignment.reviewer_id)
               .outerjoin(Review, Review.assignment_id == Assignment.id)
               .where(ReviewRound.status == "open", Review.id.is_(None),
                      Assignment.due_on < today, ReviewRound.project_id.in_(select(mine.c.id)))
               .order_by(Assignment.due_on))
    return {"rounds_ready": _titled(session, rounds), "in_decision": _titled(session, deciding),
            "alerts": _titled(session, alerts), **_go_follow_ups(session, mine, today),
            "reviews_overdue": _titled(session, overdue)}


def _go_follow_ups(session: Session, mine, today: date) -> dict[str, list[dict[str, Any]]]:
    """Conditions of go decisions due within SOON_DAYS (or overdue), and renewals due."""
    latest = (select(func.max(Decision.id)).where(Decision.project_id == Project.id)
              .correlate(Project).scalar_subquery())
    rows = session.execute(
        select(Project.id, _current_title(Project.id).label("title"), Decision.conditions,
               Decision.review_by)
        .join(Decision, Decision.id == latest)
        .where(Project.state == "go", Project.id.in_(select(mine.c.id)))
        .order_by(Project.id)).all()
    soon = today + timedelta(days=SOON_DAYS)
    conditions = [{"id": pid, "title": title, "text": c["text"], "due_on": c["due_on"]}
                  for pid, title, conds, _ in rows for c in conds
                  if date.fromisoformat(c["due_on"]) <= soon]
    renewals = [{"id": pid, "title": title, "review_by": review_by}
                for pid, title, _, review_by in rows if review_by and review_by < today]
    return {"conditions_due": sorted(conditions, key=lambda c: c["due_on"]),
            "renewals_due": renewals}


def pipeline_by_state(session: Session, user: User) -> list[tuple[str, int]]:
    """How many of the projects `user` sees are in each state: one query."""
    seen = visible_projects(user).subquery()
    return [(state, count) for state, count in session.execute(
        select(seen.c.state, func.count()).group_by(seen.c.state))]
