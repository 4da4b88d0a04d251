"""The audit trail's use cases: recording account events, and verifying both chains."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import AccountEvent, User
from reviewtool.models.audit import CHAINED, event_hash

BATCH = 1000  # rows read at a time while verifying, so a long trail fits in little memory


def record_account_event(session: Session, kind: str, *, user: User | None = None,
                         actor: User | None = None, email: str = "", address: str = "",
                         data: dict[str, Any] | None = None) -> AccountEvent:
    """Add an account event to the trail (chained when the session flushes)."""
    row = AccountEvent(kind=kind, user_id=user.id if user else None,
                       actor_id=actor.id if actor else None, email=(email or "")[:254],
                       address=(address or "")[:64], data=data or {})
    session.add(row)
    return row


@dataclass(frozen=True)
class Verification:
    """How many events were checked, and the first broken one (None when intact)."""

    checked: int
    broken: str | None


def verify(session: Session) -> Verification:
    """Walk every chain from its first row; name the first row whose link or content does not
    match (a row changed, removed, inserted or reordered behind the app's back)."""
    checked = 0
    for model in CHAINED:
        previous, last_id = None, 0
        while True:
            rows = session.scalars(select(model).where(model.id > last_id)
                                   .order_by(model.id).limit(BATCH)).all()
            if not rows:
                break
            for row in rows:
                if row.prev_sha256 != previous:
                    return Verification(checked, f"{model.__tablename__} {row.id}: its link "
                                                 "to the previous event does not match (an "
                                                 "event before it was changed or removed)")
                if event_hash(previous, row.content()) != row.sha256:
                    return Verification(checked, f"{model.__tablename__} {row.id}: its content "
                                                 "does not match its hash (it was changed)")
                previous, last_id = row.sha256, row.id
                checked += 1
                session.expunge(row)  # bounded memory over a long trail
    return Verification(checked, None)

