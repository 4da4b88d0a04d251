"""The audit trail: every project move (transition_events) and every account event
(account_events), each row chained to the one before it by SHA-256.

A row stores the hash of the previous row of its table and the hash of its own canonical
content with that previous hash, so changing, removing or reordering any row breaks the chain
at that row (`reviewtool audit verify`). The hashes are filled in by one `before_flush` hook,
whatever code adds the row; on PostgreSQL an advisory lock held until commit lets one writer
extend a chain at a time (SQLite's BEGIN IMMEDIATE already does), and triggers refuse UPDATE
and DELETE on both tables (migration 0007)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, inspect, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow
from reviewtool.models.user import User


def event_hash(previous: str | None, content: dict[str, Any]) -> str:
    """SHA-256 of the previous row's hash and this row's canonical content."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous or ''}\n{canonical}".encode()).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class TransitionEvent(Base):
    """Who moved which project from where to where, when, with which trigger, and why."""

    __tablename__ = "transition_events"
    # Whether a project was ever submitted (a grantmaker's visibility rule, on every list and
    # page): one probe of this index per withdrawn row (migration 0017; without it PostgreSQL
    # read every event, 12 ms a statement at 10,000 projects).
    __table_args__ = (Index("ix_transition_events_trigger_project", "trigger", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: a project with a history cannot be deleted (and its events never are).
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    override_rationale: Mapped[str | None] = mapped_column(Text)
    prev_sha256: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User] = relationship(lazy="joined")

    def content(self) -> dict[str, Any]:
        """What the row says, in a fixed shape: the text its hash is taken of."""
        return {"project_id": self.project_id, "actor_id": self.actor_id, "at": _iso(self.at),
                "from": self.from_state, "to": self.to_state, "trigger": self.trigger,
                "comment": self.comment or "", "override_rationale": self.override_rationale}


class AccountEvent(Base):
    """Something that happened to an account: a sign-in, a failure, a lockout, a password
    change or reset, a disable or enable, a role change, a token created or revoked."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    # The account concerned (None for a sign-in attempt with an unknown e-mail) and who acted
    # (None when nobody was signed in); `email` is what was typed, `address` the client's IP.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_sha256: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")

    def content(self) -> dict[str, Any]:
        """What the row says, in a fixed shape: the text its hash is taken of."""
        return {"at": _iso(self.at), "kind": self.kind, "user_id": self.user_id,
                "actor_id": self.actor_id, "email": self.email or "",
                "address": self.address or "", "data": self.data or {}}


CHAINED = (TransitionEvent, AccountEvent)
# pg_advisory_xact_lock keys, one per chain (arbitrary constants, fixed forever).
LOCK_KEYS = {TransitionEvent: 7_310_001, AccountEvent: 7_310_002}


@event.listens_for(Session, "before_flush")
def _chain_new_events(session: Session, flush_context: Any, instances: Any) -> None:
    """Give every new audit row its place in its table's chain, in the order they were added."""
    for model in CHAINED:
        pending = sorted((o for o in session.new if isinstance(o, model)),
                         key=lambda o: inspect(o).insert_order)
        if not pending:
            continue
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": LOCK_KEYS[model]})
        tail = connection.execute(select(model.sha256).order_by(model.id.desc())
                                  .limit(1)).scalar()
        for row in pending:
            row.at = row.at or utcnow()
            row.prev_sha256 = tail
            row.sha256 = tail = event_hash(tail, row.content())
