"""The stamp of the pipeline-wide figures (services/figure_cache.py): a token that every write
to what they are made of replaces, in that write's own transaction.

Every flush that adds, changes or deletes a review, an assignment, a round, a revision or a
project, and every ORM INSERT, UPDATE or DELETE statement of one, sets a new random token.
The listeners live here, with the models, so that every process that writes (pages, API,
worker, CLI) moves the stamp, whether or not it ever reads a figure. A random token rather
than a counter: after a rollback the old token comes back, and a counter would reach the
same number again with other data behind it. A write that bypassed the ORM (none does
today; the scale demo adds its rows through the session too) would have to call `move_on`
itself."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import BigInteger, String, event, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from reviewtool.db import Base
from reviewtool.models.project import Project, Revision
from reviewtool.models.review import Assignment, Review, ReviewRound

FIGURES = "figures"
WATCHED = (Review, Assignment, ReviewRound, Revision, Project)
MOVED = "reviewtool.figure_stamp.moved"  # session.info: this transaction set a new token


class FigureStamp(Base):
    """One named token (migration 0016 makes the row "figures")."""

    __tablename__ = "figure_stamps"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)


def move_on(session: Session) -> None:
    """Set a new token in the session's transaction: every kept figure is stale."""
    session.info[MOVED] = True
    table = FigureStamp.__table__
    session.connection().execute(update(table).where(table.c.name == FIGURES)
                                 .values(stamp=secrets.randbits(62)))


def moved(session: Session) -> bool:
    """True when the session's transaction set a new token (its figures are its own)."""
    return bool(session.info.get(MOVED))


def _before_flush(session: Session, *_: Any) -> None:
    if not moved(session) and any(isinstance(obj, WATCHED) for group in
                                  (session.new, session.dirty, session.deleted)
                                  for obj in group):
        move_on(session)


def _on_execute(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if ((state.is_insert or state.is_update or state.is_delete) and not moved(state.session)
            and mapper is not None and issubclass(mapper.class_, WATCHED)):
        move_on(state.session)


def _transaction_over(session: Session, *_: Any) -> None:
    session.info.pop(MOVED, None)


event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "do_orm_execute", _on_execute)
for _name in ("after_commit", "after_rollback"):
    event.listen(Session, _name, _transaction_over)
