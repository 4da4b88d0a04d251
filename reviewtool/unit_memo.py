"""Values read once per unit of work: the catalogues and a project's review rounds are read by
several parts of one page (the risk model, the review section, the trajectory, the memo's
context), and each read cost a statement (issue 13: at most 12 statements a request).

`remember(session, key, compute)` keeps the first answer in `session.info` until anything could
have changed it: a pending change in the session (new, dirty or deleted objects), a flush, an
ORM INSERT/UPDATE/DELETE statement, a commit or a rollback each forget everything. So a writer
never reads a value older than its own changes, and a read-only page reads each value once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

T = TypeVar("T")
KEY = "reviewtool.unit_memo"


def remember(session: Session, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`'s answer, computed once while nothing in the session changes."""
    if session.new or session.deleted or session.dirty:
        forget(session)
        return compute()
    store = session.info.setdefault(KEY, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def recall(session: Session, key: tuple[Any, ...]) -> Any | None:
    """The remembered answer for `key`, or None when nothing is remembered (never computes)."""
    if session.new or session.deleted or session.dirty:
        return None
    return session.info.get(KEY, {}).get(key)


def forget(session: Session, *_: Any) -> None:
    """Drop every remembered value of `session`."""
    session.info.pop(KEY, None)


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        forget(state.session)


for _name in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    event.listen(Session, _name, forget)
event.listen(Session, "do_orm_execute", _on_execute)
