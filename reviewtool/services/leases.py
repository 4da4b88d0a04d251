"""Named leases: "one worker at a time" where the database cannot skip locked rows (SQLite).

A lease is a row (name, holder, expires_at). Taking it succeeds when it is free, expired or
already ours; the holder renews it as it goes and deletes it when done. A holder that dies
keeps nobody out for longer than the lease lasts. Times are the wall clock, never a test's
pretend "now": a lease is about which processes are alive."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewtool.models.review import WorkerLease
from reviewtool.models.types import utcnow

LEASE_TIME = timedelta(minutes=2)  # longer than one message's SMTP exchange can take


def take(session: Session, name: str, holder: str) -> bool:
    """Take or renew lease `name` for `holder`; False when someone else holds a live one.
    Flushes; the caller commits (at once: the lease only counts once committed)."""
    now = utcnow()
    lease = session.get(WorkerLease, name, with_for_update=True)
    if lease is None:
        try:
            with session.begin_nested():
                session.add(WorkerLease(name=name, holder=holder, expires_at=now + LEASE_TIME))
        except IntegrityError:  # someone inserted it first (only where writers do not queue)
            return False
        return True
    if lease.holder != holder and lease.expires_at > now:
        return False
    lease.holder, lease.expires_at = holder, now + LEASE_TIME
    session.flush()
    return True


def renew(session: Session, name: str, holder: str) -> bool:
    """Extend `holder`'s lease; False when it is no longer theirs (it ran out and was taken)."""
    result = session.execute(update(WorkerLease)
                             .where(WorkerLease.name == name, WorkerLease.holder == holder)
                             .values(expires_at=utcnow() + LEASE_TIME))
    return result.rowcount == 1


def release(session: Session, name: str, holder: str) -> None:
    """Give the lease up, if `holder` still has it."""
    session.execute(delete(WorkerLease).where(WorkerLease.name == name,
                                              WorkerLease.holder == holder))
