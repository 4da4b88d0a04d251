"""The one transaction of each HTTP request, for pages and JSON alike.

A request's work is committed once, after the view has answered with a success (a status
below 400), and rolled back otherwise, so a refused request writes nothing. Side effects
never run inside the request: mail is queued in the outbox within the transaction and the
hooks registered under AFTER_COMMIT (the development worker's nudge) run once it is safe.
Handlers never commit or roll back themselves; one that must show a form again after a
refusal runs the service through `attempt`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Flask, Response, current_app
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from reviewtool import db
from reviewtool.errors import ServiceError
from reviewtool.services.kept_writes import take
from reviewtool.services.outbox import QUEUED_FLAG

log = logging.getLogger(__name__)
AFTER_COMMIT = "reviewtool.after_commit"  # app.extensions key: callables run after a commit
T = TypeVar("T")


def on_commit(app: Flask, hook: Callable[[], None]) -> None:
    """Run `hook` after each request that committed queued mail."""
    app.extensions.setdefault(AFTER_COMMIT, []).append(hook)


def finish(response: Response) -> Response:
    """Commit the request's work when `response` is a success, else roll it back."""
    session = db.current_session()
    if session is None:
        return response
    if response.status_code >= 400:
        rollback()
        return response
    session.commit()
    take(session)  # committed with the rest
    if session.info.pop(QUEUED_FLAG, False):
        for hook in current_app.extensions.get(AFTER_COMMIT, ()):
            hook()
    return response


def rollback() -> None:
    """Undo the request's work (an error answer, a refused form), then make and commit the
    writes that must outlast a refusal (services/kept_writes.py: failed sign-ins)."""
    session = db.current_session()
    if session is None:
        return
    try:
        session.rollback()
    except DBAPIError:  # the connection is gone (database restarting): nothing to undo there
        session.invalidate()
        return
    kept = take(session)
    if not kept:
        return
    try:
        for write in kept:
            write(session)
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.exception("could not keep the writes of a refused request")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What a service call gave: its value, or the refusal it raised."""

    value: T | None = None
    error: ServiceError | None = None

    @property
    def ok(self) -> bool:
        """True when the service succeeded."""
        return self.error is None


def attempt(service: Callable[..., T], *args: Any, **kwargs: Any) -> Attempt[T]:
    """Call `service`; on a refusal roll back what it began, so the page shown next reads the
    database as it was, and return the refusal instead of raising it."""
    try:
        return Attempt(value=service(*args, **kwargs))
    except ServiceError as exc:
        rollback()
        return Attempt(error=exc)
