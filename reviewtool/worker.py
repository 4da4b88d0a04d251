"""Delivering the outbox outside requests, a face like the CLI.

`run_once` delivers everything due now and `run_forever` keeps doing it until SIGTERM or
SIGINT (`reviewtool worker [--once]`). For development, `install_inline` adds a thread to the
web process that delivers when a request has committed mail, at start and every poll
interval, so that `make run` needs nothing else. Both use sessions of their own from the
app's Database, never a request's."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from reviewtool.http import transaction
from reviewtool.services import outbox, reminders
from reviewtool.services.outbox import Report

log = logging.getLogger("reviewtool.worker")
POLL_SECONDS = 5.0
BATCH = 100  # messages per deliver_due call; run_once repeats while batches come back full
INLINE = "reviewtool.inline_worker"  # app.extensions key
STOP_WAIT_SECONDS = 15.0  # a stopping thread finishes its message: one SMTP exchange at most


def new_worker_id(kind: str = "worker") -> str:
    """A name for one worker, unique across hosts and processes (it shows in the log and
    holds the SQLite delivery lease)."""
    return f"{socket.gethostname()}:{os.getpid()}:{kind}:{secrets.token_hex(3)}"


def run_once(app: Flask, *, worker_id: str | None = None,
             keep_going: Callable[[], bool] = lambda: True) -> Report:
    """Queue the reminders due now (each once, whichever worker gets there first), then
    deliver every message due now; return what the delivery did."""
    database = app.extensions["reviewtool.db"]
    settings = app.extensions["reviewtool.settings"]
    worker_id = worker_id or new_worker_id()
    total = Report()
    with app.app_context():  # reminders' links start with the app's BASE_URL
        scheduled = reminders.run(database.sessionmaker)
    if scheduled:
        log.info("worker %s: queued %s reminder(s) and digest(s)", worker_id, scheduled)
    while keep_going():
        report = outbox.deliver_due(database.sessionmaker, settings, worker_id=worker_id,
                                    limit=BATCH, keep_going=keep_going)
        total += report
        if report.handled < BATCH:
            break
    return total


def run_forever(app: Flask, *, poll_seconds: float = POLL_SECONDS,
                stop: threading.Event | None = None,
                on_report: Callable[[Report], None] | None = None) -> Report:
    """Deliver what is due every `poll_seconds` until `stop` is set (SIGTERM and SIGINT set
    it when this runs in the main thread); return the total.

    A failure of the first run (a wrong DATABASE_URL, no schema) ends it at once, so a
    misconfigured worker does not look alive; later database errors are logged and the next
    poll tries again, so a database restart does not end it. A message being sent when the
    signal comes is finished and recorded first."""
    stop = stop or threading.Event()
    restore = _stop_on_signals(stop)
    worker_id = new_worker_id()
    total, first = Report(), True
    try:
        while not stop.is_set():
            try:
                report = run_once(app, worker_id=worker_id, keep_going=lambda: not stop.is_set())
            except SQLAlchemyError as exc:
                if first:
                    raise
                log.warning("mail worker: database error, trying again in %s s: %s",
                            poll_seconds, str(exc).splitlines()[0])
            else:
                if first:  # said after the first run, so that it means "works"
                    log.info("mail worker %s: delivering every %s s", worker_id, poll_seconds)
                total += report
                if on_report is not None and report.handled:
                    on_report(report)
            first = False
            stop.wait(poll_seconds)
    finally:
        restore()
    return total


def _stop_on_signals(stop: threading.Event) -> Callable[[], None]:
    """Make SIGTERM and SIGINT set `stop`; return what puts the old handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may install handlers
    signals = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.getsignal(sig) for sig in signals}

    def handle(signum: int, _frame) -> None:
        log.info("mail worker: %s received, stopping after the message at hand",
                 signal.Signals(signum).name)
        stop.set()

    for sig in signals:
        signal.signal(sig, handle)

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


class InlineWorker:
    """A daemon thread of the web process that delivers the outbox (development)."""

    def __init__(self, app: Flask, poll_seconds: float = POLL_SECONDS):
        self.app, self.poll_seconds = app, poll_seconds
        self._wake, self._stop = threading.Event(), threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    @property
    def running(self) -> bool:
        """True while this process's thread is alive."""
        return (self._thread is not None and self._pid == os.getpid()
                and self._thread.is_alive())

    def start(self) -> None:
        """Start the thread unless it runs. Lazily, on the first request: a thread started
        before gunicorn forks would not exist in the workers."""
        if self.running:
            return
        with self._lock:
            if self.running:
                return
            self._stop.clear()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="reviewtool-inline-mail",
                                            daemon=True)
            self._thread.start()

    def nudge(self) -> None:
        """A request committed mail: deliver it now rather than at the next poll."""
        self.start()
        self._wake.set()

    def stop(self, timeout: float = STOP_WAIT_SECONDS) -> None:
        """Ask the thread to finish the message at hand and end; wait up to `timeout`."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)

    def _run(self) -> None:
        worker_id = new_worker_id("inline")
        while not self._stop.is_set():
            try:
                run_once(self.app, worker_id=worker_id,
                         keep_going=lambda: not self._stop.is_set())
            except Exception:  # the thread must outlive a bad moment (database restarting)
                log.exception("inline mail worker: delivery failed; trying again in %s s",
                              self.poll_seconds)
            self._wake.wait(self.poll_seconds)
            self._wake.clear()  # cleared before the next run, which sees every commit so far


def install_inline(app: Flask, *, poll_seconds: float = POLL_SECONDS) -> InlineWorker:
    """Deliver from a thread of this process: started at the first request, nudged after
    each request that committed mail."""
    worker = InlineWorker(app, poll_seconds)
    app.extensions[INLINE] = worker
    app.before_request(worker.start)
    transaction.on_commit(app, worker.nudge)
    return worker


def inline_worker(app: Flask) -> InlineWorker | None:
    """The app's inline worker, if it has one."""
    return app.extensions.get(INLINE)
