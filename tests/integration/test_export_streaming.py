"""Exports stream from a reading session of their own: on SQLite it never holds the write lock
(writers go on while a long export is half sent), on PostgreSQL its transaction is READ ONLY.
These use real connections, so they do not use the rolled-back `session` fixture."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from reviewtool import create_app
from reviewtool.db import reading_session
from reviewtool.migrate import upgrade
from reviewtool.models import User
from reviewtool.services import read
from reviewtool.services.accounts import create_user, issue_token
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import create_project
from tests.factories import COMPLETE, PASSWORD

SECRET = "test-secret-key-0123456789abcdef"


def _try_write(path: str) -> None:
    """Take SQLite's write lock from another connection, waiting at most half a second."""
    other = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE users SET name = name WHERE id = -1")
        other.execute("COMMIT")
    finally:
        other.close()


def test_reading_session_takes_no_write_lock_or_is_read_only(app, db_kind):
    database = app.extensions["reviewtool.db"]
    with reading_session(database) as session:
        session.execute(select(User.id)).all()  # the transaction has begun and read
        if db_kind == "sqlite":
            _try_write(database.engine.url.database)  # would be "database is locked"
        else:
            with pytest.raises(DBAPIError, match="read-only transaction"):
                session.execute(text("UPDATE users SET name = name WHERE id = -1"))


def test_a_half_sent_export_lets_writers_go_on(tmp_path, monkeypatch):
    path = tmp_path / "stream.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": SECRET,
                      "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": str(tmp_path)})
    database = app.extensions["reviewtool.db"]
    upgrade(database.engine)
    with database.sessionmaker() as session:
        owner = create_user(session, email="owner@example.org", password=PASSWORD,
                            roles=["proposer", "grantmaker"])
        cats = load_catalogues(session)
        for n in range(7):
            create_project(session, owner, {**COMPLETE, "title": f"Project {n}"}, cats)
        token = issue_token(session, owner)
        session.commit()
    monkeypatch.setattr(read.exports, "BATCH", 2)
    response = app.test_client().get("/api/v1/exports/projects.csv", buffered=False,
                                     headers={"Authorization": f"Bearer {token}"})
    chunks = iter(response.response)
    header, first_batch = next(chunks), next(chunks)  # mid-export: a cursor is open
    assert header.startswith("\ufeffid,title".encode()) and first_batch.count(b"\r\n") == 2
    _try_write(str(path))
    rest = b"".join(chunks)
    response.close()
    assert (first_batch + rest).count(b"\r\n") == 7
    database.engine.dispose()
