"""Engine and the per-request session. Services flush; the faces commit (the HTTP faces in
one place, reviewtool/http/transaction.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# The execution option that marks a connection as only reading (see reading_session).
READ_ONLY_OPTION = "reviewtool_read_only"
# Writers queue this long for SQLite's single write lock before giving up (then 503).
SQLITE_BUSY_TIMEOUT_MS = 30_000


class Base(DeclarativeBase):
    """Declarative base of every model; named constraints keep Alembic's migrations stable."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


@dataclass
class Database:
    """One engine and the factory that makes each request's session."""

    engine: Engine
    sessionmaker: sessionmaker[Session]


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling breaks SAVEPOINTs; we issue BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # IMMEDIATE takes the write lock at the start, so two writers queue behind the
        # busy timeout instead of failing halfway with "database is locked". A reading
        # connection (reading_session) begins DEFERRED: it never takes the write lock.
        reading = conn.get_execution_options().get(READ_ONLY_OPTION)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def refresh_statistics(session: Session) -> None:
    """ANALYZE, after a bulk load: SQLite has no statistics until asked, and without them it
    picks a unique index that reads every row over a covering one (issue 13: the reviewers'
    offsets took 35 ms instead of 3 at 10,000 projects). PostgreSQL's autovacuum would get
    there later; asking now means the first pages after a load are planned well too."""
    session.execute(text("ANALYZE"))


def make_engine(url: str) -> Engine:
    """Create the engine for `url`, with SQLite's pragmas (foreign keys, WAL, busy timeout)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask, url: str) -> Database:
    """Bind a Database to the app and close each request's session at teardown."""
    engine = make_engine(url)
    database = Database(engine, sessionmaker(bind=engine, expire_on_commit=False))
    app.extensions["reviewtool.db"] = database

    @app.teardown_appcontext
    def close_session(exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()

    return database


def get_db() -> Database:
    """The current app's Database."""
    return current_app.extensions["reviewtool.db"]


def current_session() -> Session | None:
    """The session of the current app context if one was made, else None."""
    return g.get("db_session")


def session() -> Session:
    """The session of the current app context, made on first use."""
    if "db_session" not in g:
        g.db_session = get_db().sessionmaker()
    return g.db_session


@contextmanager
def reading_session(database: Database) -> Iterator[Session]:
    """A session of its own, on a connection of its own, for a long read that outlives the
    request (a streamed export): on SQLite its transaction begins DEFERRED, so it never holds
    the write lock; on PostgreSQL it is READ ONLY. Rolled back and closed at the end.

    When the factory is bound to a connection rather than an engine (the tests' rolled-back
    transaction), the session joins that connection instead, so it sees what the test made."""
    bind = database.sessionmaker.kw.get("bind")
    if not isinstance(bind, Engine):
        session = database.sessionmaker()
        try:
            yield session
        finally:
            session.close()
        return
    with bind.connect() as connection:
        connection.execution_options(**{READ_ONLY_OPTION: True})
        session = Session(bind=connection)
        try:
            if bind.dialect.name == "postgresql":
                session.execute(text("SET TRANSACTION READ ONLY"))
            yield session
        finally:
            session.close()
