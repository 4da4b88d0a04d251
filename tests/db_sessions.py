"""A session whose work is rolled back at the end, shared with the app's requests: one test's
(tests/conftest.py `session`) or one module's data set (the access matrix, every page, the
query counts)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from tests import factories


@contextmanager
def rolled_back_session(app) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back at the end.

    The app's requests get sessions on the same connection, so what the caller creates is
    what the app sees, and every commit the app makes only releases a SAVEPOINT. The
    factories write through it meanwhile."""
    database = app.extensions["reviewtool.db"]
    connection = database.engine.connect()
    outer = connection.begin()
    original = database.sessionmaker
    database.sessionmaker = sessionmaker(bind=connection, expire_on_commit=False,
                                         join_transaction_mode="create_savepoint")
    shared = database.sessionmaker()
    factories.bind(shared)
    try:
        yield shared
    finally:
        factories.bind(None)
        shared.close()
        database.sessionmaker = original
        outer.rollback()
        connection.close()
