"""Writes that must outlast the refusal they come with.

A request's work is rolled back when it answers 400 or more (reviewtool/http/transaction.py),
but a failed sign-in must still be counted and audited: that is what the limits on failures
stand on. `keep` does the write now and notes it in the session; the rollback that comes with
the refusal then does it again in a transaction of its own and commits that. A request that
succeeds commits the write once, with everything else."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

KEPT = "reviewtool.kept_writes"  # session.info key: writes to make again after a rollback

Write = Callable[[Session], None]


def keep(session: Session, write: Write) -> None:
    """Do `write(session)` now, and once more if the request is rolled back."""
    write(session)
    session.info.setdefault(KEPT, []).append(write)


def take(session: Session) -> list[Write]:
    """The writes noted in `session`, forgetting them."""
    return session.info.pop(KEPT, [])
