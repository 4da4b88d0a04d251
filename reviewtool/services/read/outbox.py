"""The outbox as admins see it: mail waiting to go and mail given up on, with its last error.

Never a message's text: a password reset or invitation carries a link that sets a password."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewtool.models import OutboxMessage

SHOWN = 200  # rows per list; the counts say how many there are in all


def _row(m: OutboxMessage) -> dict[str, Any]:
    return {"id": m.id, "to": m.to_email, "kind": m.kind or "", "subject": m.subject,
            "created_at": m.created_at, "attempts": m.attempts, "last_error": m.last_error,
            "next_attempt_at": m.next_attempt_at, "failed_at": m.failed_at}


def outbox_view(session: Session) -> dict[str, Any]:
    """Pending (not sent, not given up) and failed messages, oldest first, and their counts."""
    pending = (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    failed = (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_not(None))
    counts = session.execute(select(
        func.count().filter(*pending), func.count().filter(*failed),
        func.count().filter(OutboxMessage.sent_at.is_not(None)))
        .select_from(OutboxMessage)).one()
    return {
        "pending": [_row(m) for m in session.scalars(
            select(OutboxMessage).where(*pending).order_by(OutboxMessage.id).limit(SHOWN))],
        "failed": [_row(m) for m in session.scalars(
            select(OutboxMessage).where(*failed).order_by(OutboxMessage.id).limit(SHOWN))],
        "counts": {"pending": counts[0], "failed": counts[1], "sent": counts[2]},
    }
