"""Searching the audit trail (grantmakers and admins): project moves and, for admins, account
events, newest first, filtered by project, user and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from reviewtool.enums import Role
from reviewtool.errors import Invalid
from reviewtool.inputs import whole_number
from reviewtool.models import AccountEvent, TransitionEvent, User
from reviewtool.models.types import ID_MAX
from reviewtool.permissions import require
from reviewtool.services.read.rounds import iso


@dataclass(frozen=True)
class AuditQuery:
    """The filters: a project, a user (as actor or as the account concerned), a date range."""

    project_id: int | None = None
    user_id: int | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise Invalid(problems=[{"field": "to", "message": "The end date is before the "
                                                             "start date."}])


@dataclass(frozen=True)
class AuditPage:
    """One page of the trail and how many events match in all."""

    items: list[dict[str, Any]]
    page: int
    per_page: int
    total: int


def _window(stmt: Select, column: Any, query: AuditQuery) -> Select:
    if query.since:
        stmt = stmt.where(column >= datetime.combine(query.since, time(), UTC))
    if query.until:
        stmt = stmt.where(column < datetime.combine(query.until + timedelta(days=1), time(), UTC))
    return stmt


def _transitions(query: AuditQuery) -> Select:
    stmt = select(TransitionEvent)
    if query.project_id is not None:
        stmt = stmt.where(TransitionEvent.project_id == query.project_id)
    if query.user_id is not None:
        stmt = stmt.where(TransitionEvent.actor_id == query.user_id)
    return _window(stmt, TransitionEvent.at, query)


def _accounts(query: AuditQuery) -> Select | None:
    if query.project_id is not None:
        return None  # account events concern no project
    stmt = select(AccountEvent)
    if query.user_id is not None:
        stmt = stmt.where(or_(AccountEvent.user_id == query.user_id,
                              AccountEvent.actor_id == query.user_id))
    return _window(stmt, AccountEvent.at, query)


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def _transition_row(e: TransitionEvent) -> dict[str, Any]:
    return {"type": "transition", "id": e.id, "at": iso(e.at), "at_datetime": e.at,
            "actor": _person(e.actor), "project_id": e.project_id, "what": e.trigger,
            "from": e.from_state, "to": e.to_state, "comment": e.comment, "user": None,
            "address": None, "sha256": e.sha256}


def _account_row(e: AccountEvent) -> dict[str, Any]:
    return {"type": "account", "id": e.id, "at": iso(e.at), "at_datetime": e.at,
            "actor": _person(e.actor), "project_id": None, "what": e.kind, "from": None,
            "to": None, "comment": "", "user": _person(e.user) or (
                {"id": None, "name": e.email} if e.email else None),
            "address": e.address or None, "sha256": e.sha256}


def search_audit(session: Session, viewer: User, query: AuditQuery, *, page: int = 1,
                 per_page: int = 50) -> AuditPage:
    """The events matching `query`, newest first. Account events (sign-ins, addresses) are
    for admins only; grantmakers see the projects' moves."""
    require(viewer, "read_audit")
    sources = [(_transitions(query), TransitionEvent, _transition_row)]
    accounts = _accounts(query) if viewer.has_role(Role.ADMIN) else None
    if accounts is not None:
        sources.append((accounts, AccountEvent, _account_row))
    total = sum(session.scalar(select(func.count()).select_from(stmt.subquery()))
                for stmt, *_ in sources)
    # Newest first over both tables: each gives its newest page*per_page, merged here.
    wanted = page * per_page
    rows = [shape(e) for stmt, model, shape in sources
            for e in session.scalars(stmt.order_by(model.at.desc(), model.id.desc())
                                     .limit(wanted))]
    rows.sort(key=lambda r: (r["at_datetime"], r["type"], r["id"]), reverse=True)
    return AuditPage(rows[(page - 1) * per_page:wanted], page, per_page, total)


def parse_audit_query(args: Any) -> AuditQuery:
    """The filters from query parameters `project`, `user`, `from`, `to` (dates as
    YYYY-MM-DD); every problem at once, named by its parameter."""
    problems, values = [], {}
    for name, key in (("project", "project_id"), ("user", "user_id")):
        raw = (args.get(name) or "").strip()
        if raw:
            value = whole_number(raw, low=1, high=ID_MAX)
            if value is None:
                problems.append({"field": name, "message": f"{name}: give the number of a "
                                                           f"{name} (an id)."})
            values[key] = value
    for name, key in (("from", "since"), ("to", "until")):
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                values[key] = date.fromisoformat(raw)
            except ValueError:
                problems.append({"field": name, "message": f"{name}: give a date like "
                                                           "2026-12-31."})
    if problems:
        raise Invalid(problems=problems)
    return AuditQuery(**values)
