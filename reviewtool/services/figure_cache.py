"""Pipeline-wide figures kept per process until what they are made of changes.

Every project page shows figures drawn from the whole pipeline: the reviewers' offsets (the
mean of all their scores on every project against the panel's) and where the project stands
among the other projects of its type. At 10,000 projects reading them took about 50 and 40 ms
a page (issue 13), though they change only when someone writes a review, withdraws a
reviewer, closes a round or edits a revision or a project.

Each such write sets a new token in `figure_stamps` (models/figure_stamp.py). A reader reads
the token once per unit of work and takes a figure from this process's store when it was
computed under the same token. A transaction that set a token itself (or holds unflushed
changes) neither stores nor takes: its figures include its own writes, and it may write more
under the same token before it commits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models.figure_stamp import FIGURES, FigureStamp, moved
from reviewtool.unit_memo import remember

T = TypeVar("T")
_store: dict[tuple[Any, ...], tuple[int, Any]] = {}
_lock = threading.Lock()


def cached(session: Session, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`'s answer, from this process's store when it was computed under the token
    the database holds now."""
    if moved(session) or session.new or session.dirty or session.deleted:
        return compute()
    stamp = remember(session, ("figure_stamp",), lambda: session.scalar(
        select(FigureStamp.stamp).where(FigureStamp.name == FIGURES)))
    if stamp is None:  # no token row: nothing could tell when a kept figure goes stale
        return compute()
    with _lock:
        kept = _store.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = compute()
    with _lock:
        _store[key] = (stamp, value)
    return value


def forget_all() -> None:
    """Drop every kept figure: the next reader computes them again (the query-count test
    counts that request, the most a page can cost)."""
    with _lock:
        _store.clear()
