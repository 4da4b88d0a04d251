"""services.outbox.deliver_due on SQLite and PostgreSQL, against a real SMTP server: sent once
and marked, retried with back-off, given up on, left alone until due, one bad message not
stopping the others, and several workers at once (SKIP LOCKED on PostgreSQL, the lease on
SQLite). Real commits, in a database of each test's own."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from reviewtool.models.review import WorkerLease
from reviewtool.services.outbox import Report, deliver_due
from tests.mail_helpers import (
    REFUSED,
    Sink,
    free_port,
    fresh_database,
    ids_of,
    mail_settings,
    migrated,
    queue_committed,
    rows,
)

MINUTE = timedelta(minutes=1)


@pytest.fixture
def database(db_kind, tmp_path):
    """(url, session factory) of a fresh, migrated database of `db_kind`."""
    with fresh_database(db_kind, tmp_path) as url, migrated(url) as factory:
        yield url, factory


@pytest.fixture
def postgresql(tmp_path):
    """The same, always PostgreSQL (skipped, saying why, without one)."""
    with fresh_database("postgresql", tmp_path) as url, migrated(url) as factory:
        yield url, factory


@pytest.fixture
def sqlite(tmp_path):
    """The same, always SQLite."""
    with fresh_database("sqlite", tmp_path) as url, migrated(url) as factory:
        yield url, factory


def later() -> datetime:
    """A moment after everything queued so far (the clock handed to deliver_due)."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)


def state(row) -> tuple:
    return (row.attempts, row.last_error, row.next_attempt_at, row.sent_at, row.failed_at)


def test_deliver_due_message_delivered_once_and_marked_sent(database):
    url, factory = database
    ids = queue_committed(factory, 2)
    queued = [row.next_attempt_at for row in rows(factory)]
    now = later()
    with Sink() as sink:
        first = deliver_due(factory, mail_settings(url, sink.port), worker_id="w1", now=now)
        second = deliver_due(factory, mail_settings(url, sink.port), worker_id="w1", now=now)
    assert (first, second) == (Report(sent=2), Report())
    assert sink.message_ids() == ids_of(ids)
    assert [(m["To"], m["From"], m["Subject"]) for m in sink.messages] == [
        ("reader0@example.org", "reviewtool@example.org", "Message 0"),
        ("reader1@example.org", "reviewtool@example.org", "Message 1")]
    assert sink.messages[0].get_content() == "Body of message 0.\r\n"  # as on the wire
    assert [state(row) for row in rows(factory)] == [
        (1, None, queued[0], now, None), (1, None, queued[1], now, None)]


def test_deliver_due_smtp_down_retries_after_backoff_then_delivers(database):
    url, factory = database
    [message_id] = queue_committed(factory, 1)
    port = free_port()  # nothing listens there yet: connection refused
    settings = mail_settings(url, port)
    now = later()
    failed = deliver_due(factory, settings, worker_id="w1", now=now)
    [row] = rows(factory)
    assert failed == Report(retried=1)
    assert state(row) == (1, f"127.0.0.1:{port}: ConnectionRefusedError: [Errno 111] "
                             "Connection refused", now + MINUTE, None, None)
    too_early = deliver_due(factory, settings, worker_id="w1", now=now + 59 * MINUTE / 60)
    with Sink(port) as sink:  # the server is up again
        delivered = deliver_due(factory, settings, worker_id="w1", now=now + MINUTE)
    [row] = rows(factory)
    assert (too_early, delivered) == (Report(), Report(sent=1))
    assert sink.message_ids() == ids_of([message_id])
    assert (row.attempts, row.sent_at, row.failed_at) == (2, now + MINUTE, None)


def test_deliver_due_eighth_failure_sets_failed_at_after_doubling_delays(database):
    url, factory = database
    queue_committed(factory, 1)
    settings = mail_settings(url, free_port())
    at, delays, reports = later(), [], []
    for _ in range(8):
        reports.append(deliver_due(factory, settings, worker_id="w1", now=at))
        [row] = rows(factory)
        if row.failed_at is None:
            delays.append(row.next_attempt_at - at)
            at = row.next_attempt_at
    assert reports == [Report(retried=1)] * 7 + [Report(failed=1)]
    assert delays == [MINUTE * n for n in (1, 2, 4, 8, 16, 32, 64)]
    assert (row.attempts, row.failed_at, row.sent_at) == (8, at, None)
    with Sink(settings.smtp_port) as sink:
        afterwards = deliver_due(factory, settings, worker_id="w1", now=at + timedelta(days=1))
    assert (afterwards, sink.message_ids()) == (Report(), [])


def test_deliver_due_message_not_yet_due_is_left_alone(database):
    url, factory = database
    now = later()
    queue_committed(factory, 1, next_attempt_at=now + 10 * MINUTE)
    with Sink() as sink:
        report = deliver_due(factory, mail_settings(url, sink.port), worker_id="w1", now=now)
    [row] = rows(factory)
    assert (report, sink.message_ids()) == (Report(), [])
    assert state(row) == (0, None, now + 10 * MINUTE, None, None)


def test_deliver_due_refused_recipient_does_not_stop_the_others(database):
    url, factory = database
    first = queue_committed(factory, 1)
    refused = queue_committed(factory, 1, to=REFUSED)
    last = queue_committed(factory, 1)
    now = later()
    with Sink() as sink:
        report = deliver_due(factory, mail_settings(url, sink.port), worker_id="w1", now=now)
    assert report == Report(sent=2, retried=1)
    assert sink.message_ids() == ids_of(first + last)
    assert [(row.id, row.sent_at, row.last_error) for row in rows(factory)] == [
        (first[0], now, None),
        (refused[0], None, f"127.0.0.1:{sink.port}: recipient refused: {REFUSED}: 550 5.1.1 "
                           "No such user here"),
        (last[0], now, None)]


def test_deliver_due_limit_stops_after_that_many(database):
    url, factory = database
    ids = queue_committed(factory, 3)
    with Sink() as sink:
        report = deliver_due(factory, mail_settings(url, sink.port), worker_id="w1", limit=2,
                             now=later())
    assert (report, sink.message_ids()) == (Report(sent=2), ids_of(ids[:2]))


def test_deliver_due_two_workers_postgresql_send_each_of_50_exactly_once(postgresql):
    url, factory = postgresql
    ids = queue_committed(factory, 50)
    now, start = later(), threading.Barrier(2)
    reports: dict[str, Report] = {}

    def work(name: str, settings) -> None:
        start.wait(10)
        reports[name] = deliver_due(factory, settings, worker_id=name, now=now)

    with Sink(delay=0.01) as sink:  # 10 ms a message: the two workers overlap throughout
        threads = [threading.Thread(target=work, args=(name, mail_settings(url, sink.port)))
                   for name in ("w1", "w2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sorted(sink.counts().items()) == sorted((mid, 1) for mid in ids_of(ids))
    assert reports["w1"].sent + reports["w2"].sent == 50
    assert (reports["w1"].sent > 0, reports["w2"].sent > 0) == (True, True)
    assert [(row.attempts, row.sent_at) for row in rows(factory)] == [(1, now)] * 50


def test_deliver_due_postgresql_skips_the_message_another_worker_is_sending(postgresql):
    url, factory = postgresql
    ids = queue_committed(factory, 3)
    now, gate, held = later(), threading.Event(), {}
    with Sink(gate=gate) as sink:
        settings = mail_settings(url, sink.port)
        holder = threading.Thread(target=lambda: held.update(report=deliver_due(
            factory, settings, worker_id="w1", limit=1, now=now)))
        holder.start()
        assert sink.entered.wait(10), "the first worker never began sending"
        other = deliver_due(factory, settings, worker_id="w2", now=now)  # the row is locked
        gate.set()
        holder.join(20)
    assert (held["report"], other) == (Report(sent=1), Report(sent=2))
    assert sink.message_ids() == ids_of(ids[1:] + ids[:1])


def test_deliver_due_sqlite_second_worker_sends_nothing_while_lease_held(sqlite):
    url, factory = sqlite
    ids = queue_committed(factory, 3)
    now, gate, held = later(), threading.Event(), {}
    with Sink(gate=gate) as sink:
        settings = mail_settings(url, sink.port)
        holder = threading.Thread(target=lambda: held.update(report=deliver_due(
            factory, settings, worker_id="w1", now=now)))
        holder.start()
        assert sink.entered.wait(10), "the first worker never began sending"
        other = deliver_due(factory, settings, worker_id="w2", now=now)
        # While w1 waits for the SMTP server, the write lock is free: a writer gets it at once.
        probe = sqlite3.connect(make_url(url).database, timeout=0.5, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        finally:
            probe.close()
        gate.set()
        holder.join(20)
    assert (held["report"], other) == (Report(sent=3), Report())
    assert sink.message_ids() == ids_of(ids)
    with factory() as session:  # released at the end of the run
        assert session.scalar(select(func.count()).select_from(WorkerLease)) == 0


def test_deliver_due_sqlite_live_lease_of_another_keeps_out_expired_one_does_not(sqlite):
    url, factory = sqlite
    ids = queue_committed(factory, 1)
    with factory() as session:
        session.add(WorkerLease(name="outbox", holder="elsewhere:1:worker:abc",
                                expires_at=datetime.now(UTC) + timedelta(minutes=1)))
        session.commit()
    with Sink() as sink:
        settings = mail_settings(url, sink.port)
        kept_out = deliver_due(factory, settings, worker_id="w1", now=later())
        with factory() as session:  # the holder died: its lease runs out
            session.get(WorkerLease, "outbox").expires_at = datetime.now(UTC) - MINUTE
            session.commit()
        took_over = deliver_due(factory, settings, worker_id="w1", now=later())
    assert (kept_out, took_over) == (Report(), Report(sent=1))
    assert sink.message_ids() == ids_of(ids)
