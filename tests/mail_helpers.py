"""What the mail delivery tests share: a real SMTP server (aiosmtpd) collecting what it gets,
a listener that accepts and never answers, free and closed ports, and a fresh database of a
test's own (real commits: the rolled-back `session` fixture cannot show what separate
transactions and workers do)."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from reviewtool.config import Settings
from reviewtool.db import make_engine
from reviewtool.migrate import upgrade
from reviewtool.models import OutboxMessage
from reviewtool.services import outbox
from reviewtool.services.accounts import issue_token
from reviewtool.workflow import Workflow
from tests import factories

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_PG_REASON = ("PostgreSQL: TEST_DATABASE_URL is not set (`make test` sets it when PostgreSQL "
                "answers on 127.0.0.1:5432)")
SECRET = "mail-test-secret-0123456789abcdef"
REFUSED = "bounce@example.org"  # the sink refuses this recipient with a 550


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (as of now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collect:
    """aiosmtpd handler: keeps every message, refuses REFUSED, may hold DATA until `gate`."""

    def __init__(self, sink: Sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        first = not self.sink.entered.is_set()
        self.sink.entered.set()
        while first and self.sink.gate is not None and not self.sink.gate.is_set():
            await asyncio.sleep(0.01)  # the test holds the first message; others go on
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class Sink:
    """A real SMTP server on 127.0.0.1 that collects what it receives.

    `gate`: the first message's DATA waits until it is set (a message "being sent" for as
    long as a test needs); `entered` is set when that DATA has begun; `delay` slows each
    message down (so that concurrent workers overlap)."""

    def __init__(self, port: int | None = None, *, gate: threading.Event | None = None,
                 delay: float = 0.0):
        self.port = port or free_port()
        self.gate, self.delay = gate, delay
        self.entered = threading.Event()
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self._controller = Controller(_Collect(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Sink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.gate is not None:
            self.gate.set()
        self._controller.stop()

    def message_ids(self) -> list[str]:
        """The Message-ID of every message received, in arrival order."""
        with self.lock:
            return [m["Message-ID"] for m in self.messages]

    def counts(self) -> Counter:
        """How often each Message-ID arrived."""
        return Counter(self.message_ids())

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until `count` messages arrived; False when `timeout` seconds passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return True
            time.sleep(0.05)
        return False


class SilentListener:
    """A socket that accepts connections, counts them and never says a word (a mail server
    that hangs); closing it drops the connections it holds."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)  # a blocked accept() would not notice the close
        self.port = self._server.getsockname()[1]
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:  # closed
                return
            self._held.append(conn)
            self.accepted += 1

    def __enter__(self) -> SilentListener:
        self._thread.start()
        return self

    def drop_connections(self) -> None:
        """Close every accepted connection (the client sees the server hang up)."""
        for conn in self._held:
            conn.close()

    def __exit__(self, *exc) -> None:
        self._closed.set()
        self._thread.join(5)
        self._server.close()
        self.drop_connections()


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of `kind`, dropped afterwards (PostgreSQL)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/mail-{uuid.uuid4().hex[:8]}.sqlite3"
        return
    if not PG_URL:
        pytest.skip(NO_PG_REASON)
    url = make_url(PG_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"rt_mail_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated(url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on `url`, migrated to head; the engine is disposed afterwards."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        yield sessionmaker(bind=engine, expire_on_commit=False)
    finally:
        engine.dispose()


def mail_settings(url: str, port: int | None) -> Settings:
    """Settings that send through 127.0.0.1:`port` (None: no SMTP_HOST, mail is logged)."""
    return Settings(database_url=url, secret_key=SECRET, environment="testing",
                    workflow="default", smtp_host="127.0.0.1" if port else None,
                    smtp_port=port or 25, mail_from="reviewtool@example.org")


def queue_committed(factory: sessionmaker[Session], count: int, *, to: str | None = None,
                    **columns) -> list[int]:
    """Queue `count` messages through outbox.queue, set `columns` on them, commit; their ids."""
    with factory() as session:
        messages = [outbox.queue(session, to=to or f"reader{n}@example.org",
                                 subject=f"Message {n}", body=f"Body of message {n}.")
                    for n in range(count)]
        for message in messages:
            for name, value in columns.items():
                setattr(message, name, value)
        session.commit()
        return [m.id for m in messages]


def rows(factory: sessionmaker[Session]) -> list[OutboxMessage]:
    """Every outbox row, by id, as the database has it now."""
    with factory() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def ids_of(outbox_ids: list[int]) -> list[str]:
    """The Message-IDs the outbox rows `outbox_ids` are sent with."""
    return [f"<outbox-{i}@reviewtool>" for i in outbox_ids]


@dataclass(frozen=True)
class Assignable:
    """Committed data for assigning reviewers through the API: projects in review (round 1
    open), reviewers for each (none with a conflict), and a grantmaker's API tokens."""

    project_ids: list[int]
    reviewers: list[list[tuple[int, str]]]  # per project: (user id, email)
    tokens: list[str]


def seed_assignable(factory: sessionmaker[Session], workflow: Workflow, *, projects: int = 1,
                    reviewers: int = 1, tokens: int = 1) -> Assignable:
    """Make and commit an Assignable: projects moved into review by the real triggers."""
    with factory() as session:
        factories.bind(session)
        try:
            grantmaker = factories.grantmaker()
            made = [factories.project_in_review(workflow) for _ in range(projects)]
            people = [[factories.reviewer() for _ in range(reviewers)] for _ in made]
            keys = [issue_token(session, grantmaker) for _ in range(tokens)]
            session.commit()
        finally:
            factories.bind(None)
        return Assignable(project_ids=[p.id for p in made],
                          reviewers=[[(u.id, u.email) for u in group] for group in people],
                          tokens=keys)
