"""What waits on a grantmaker: the queue their dashboard leads with, then the pipeline by state.

Only projects the grantmaker may steer count (not their own, not one they declared a conflict
with). Each kind is one query that joins its own rows (open rounds, projects in decision, ...)
to their project and checks who may steer it there, so only those rows are looked at, never a
list of every visible project (issue 13); a window count gives each kind's total beside its
first rows, so a page of the dashboard stays small however long a list grows."""

from __future__ import annotations

from dataclasses import dataclass
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
KINDS = ("rounds_ready", "in_decision", "alerts", "conditions_due", "renewals_due",
         "reviews_overdue")


@dataclass(frozen=True)
class Slice:
    """Which rows of each kind to read: `limit` rows from `offset`, of `kinds` only."""

    limit: int = 10
    offset: int = 0
    kinds: tuple[str, ...] = KINDS


def _steers(user: User):
    """The projects `user` sees and may steer (not theirs, no declared conflict), as a
    condition on Project for a query that joins it."""
    conflicted = exists().where(ConflictDeclaration.project_id == Project.id,
                                ConflictDeclaration.user_id == user.id)
    return and_(visible_projects(user).whereclause, Project.owner_id != user.id, ~conflicted)


def _current_title(project_id):
    return (select(Revision.title).where(Revision.project_id == project_id, Revision.is_current)
            .scalar_subquery())


def _reviewer_name(user_id):
    return select(User.name).where(User.id == user_id).scalar_subquery()


def _read(session: Session, stmt, part: Slice) -> tuple[list[dict[str, Any]], int]:
    """The slice's rows of `stmt` and how many rows it has in all (one statement)."""
    rows = [dict(row._mapping) for row in session.execute(
        stmt.add_columns(func.count().over().label("total"))
        .limit(part.limit).offset(part.offset))]
    total = rows[0]["total"] if rows else 0
    for row in rows:
        del row["total"]
    return rows, total


def _rounds_ready(steers):
    # One pass over the open rounds' live assignments, grouped: correlated counts per round
    # (assigned, then reviewed, twice over) cost 2.5 times as much at 1,669 open rounds.
    assigned, reviewed = func.count(Assignment.id), func.count(Review.id)
    return (select(ReviewRound.project_id.label("id"),
                   _current_title(ReviewRound.project_id).label("title"),
                   ReviewRound.number.label("round"), reviewed.label("reviews"))
            .join(Project, Project.id == ReviewRound.project_id)
            .join(Assignment, and_(Assignment.round_id == ReviewRound.id,
                                   Assignment.withdrawn_at.is_(None)))
            .outerjoin(Review, Review.assignment_id == Assignment.id)
            .where(ReviewRound.status == "open", steers)
            .group_by(ReviewRound.id, ReviewRound.project_id, ReviewRound.number,
                      ReviewRound.opened_at)
            .having(assigned == reviewed)
            .order_by(ReviewRound.opened_at, ReviewRound.id))


def _queries(user: User, today: date) -> dict[str, Any]:
    steers = _steers(user)
    live = and_(Assignment.round_id == ReviewRound.id, Assignment.withdrawn_at.is_(None))
    return {
        "rounds_ready": _rounds_ready(steers),
        "in_decision": select(Project.id, _current_title(Project.id).label("title"))
        .where(Project.state == "decision", steers).order_by(Project.updated_at, Project.id),
        "alerts": select(Alert.project_id.label("id"),
                         _current_title(Alert.project_id).label("title"), Alert.message,
                         Alert.created_at)
        .join(Project, Project.id == Alert.project_id)
        .where(Alert.resolved_at.is_(None), steers).order_by(Alert.created_at, Alert.id),
        # "No review yet" as NOT EXISTS, and the reviewer's name read for the shown rows
        # only: PostgreSQL's estimate of an outer join's IS NULL (one row) led it to scan
        # every user for each of 3,314 overdue assignments (383 ms at 10,000 projects).
        "reviews_overdue": select(ReviewRound.project_id.label("id"),
                                  _current_title(ReviewRound.project_id).label("title"),
                                  _reviewer_name(Assignment.reviewer_id).label("reviewer"),
                                  Assignment.due_on)
        .join(Project, Project.id == ReviewRound.project_id)
        .join(Assignment, live)
        .where(ReviewRound.status == "open", Assignment.due_on < today, steers,
               ~exists().where(Review.assignment_id == Assignment.id))
        .order_by(Assignment.due_on, Assignment.id),
    }


def grantmaker_queue(session: Session, user: User, *, today: date | None = None,
                     part: Slice = Slice()) -> dict[str, Any]:
    """Each kind of waiting work in `part`, as rows with the project's id and title, and under
    "totals" how many rows each kind has in all."""
    today = today or date.today()
    queue: dict[str, Any] = {"totals": {}}
    for kind, stmt in _queries(user, today).items():
        if kind in part.kinds:
            queue[kind], queue["totals"][kind] = _read(session, stmt, part)
    if {"conditions_due", "renewals_due"} & set(part.kinds):
        for kind, rows in _go_follow_ups(session, user, today).items():
            queue[kind] = rows[part.offset:part.offset + part.limit]
            queue["totals"][kind] = len(rows)
    return queue


def _go_follow_ups(session: Session, user: User, today: date) -> dict[str, list[dict[str, Any]]]:
    """Conditions of go decisions due within SOON_DAYS (or overdue), and renewals due. The
    due dates live in each decision's conditions, so they are picked out here, in order."""
    latest = (select(func.max(Decision.id)).where(Decision.project_id == Project.id)
              .correlate(Project).scalar_subquery())
    rows = session.execute(
        select(Project.id, _current_title(Project.id).label("title"), Decision.conditions,
               Decision.review_by)
        .join(Decision, Decision.id == latest)
        .where(Project.state == "go", _steers(user))
        .order_by(Project.id)).all()
    soon = today + timedelta(days=SOON_DAYS)
    conditions = [{"id": pid, "title": title, "text": c["text"], "due_on": c["due_on"]}
                  for pid, title, conds, _ in rows for c in conds
                  if date.fromisoformat(c["due_on"]) <= soon]
    renewals = [{"id": pid, "title": title, "review_by": review_by}
                for pid, title, _, review_by in rows if review_by and review_by < today]
    return {"conditions_due": sorted(conditions, key=lambda c: (c["due_on"], c["id"])),
            "renewals_due": renewals}


def pipeline_by_state(session: Session, user: User) -> list[tuple[str, int]]:
    """How many of the projects `user` sees are in each state: one query."""
    seen = visible_projects(user).subquery()
    return [(state, count) for state, count in session.execute(
        select(seen.c.state, func.count()).group_by(seen.c.state))]
