"""Notifications: queued in the outbox inside the request's transaction, delivered later by a
worker (`reviewtool worker`, or the development server's thread), so a rolled-back request
never sends mail and a request never waits for the mail server.

Delivery is at least once: a message is marked sent after the server took it, so a worker
that dies in between sends it again on the next run, with the same Message-ID. Several
workers may run at once. On PostgreSQL each claims one due message at a time with FOR UPDATE
SKIP LOCKED and holds that row lock while sending, so no two send the same message. SQLite
has no SKIP LOCKED and every transaction takes its one write lock, so there the workers take
turns through a lease (services/leases.py) and send outside any transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import mailer
from reviewtool.config import Settings
from reviewtool.errors import Conflict, NotFound
from reviewtool.models import OutboxMessage, User, utcnow
from reviewtool.models.types import is_valid_id
from reviewtool.permissions import require
from reviewtool.services import leases

log = logging.getLogger("reviewtool.outbox")
QUEUED_FLAG = "outbox_queued"  # session.info key: this transaction queued mail
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
LEASE = "outbox"

SessionFactory = Callable[[], Session]


def queue(session: Session, *, to: str, subject: str, body: str,
          project_id: int | None = None, kind: str | None = None,
          html: str | None = None) -> OutboxMessage:
    """Add a message to the outbox (a worker sends it once the transaction has committed);
    `html`, when given, goes beside the plain text as the mail's HTML part."""
    message = OutboxMessage(to_email=to, subject=subject[:300], body=body,
                            project_id=project_id, kind=kind, html_body=html)
    session.add(message)
    session.info[QUEUED_FLAG] = True  # after the commit, the faces nudge the worker
    return message


@dataclass(frozen=True)
class Report:
    """What one delivery run did: messages sent, given up on, and failed but to be retried."""

    sent: int = 0
    failed: int = 0
    retried: int = 0

    @property
    def handled(self) -> int:
        """How many messages the run attempted."""
        return self.sent + self.failed + self.retried

    def __add__(self, other: Report) -> Report:
        return Report(self.sent + other.sent, self.failed + other.failed,
                      self.retried + other.retried)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1 min, 2, 4, ... at most 6 h."""
    return min(BACKOFF_FIRST * 2 ** (attempts - 1), BACKOFF_MAX)


def deliver_due(session_factory: SessionFactory, settings: Settings, *, worker_id: str,
                limit: int = 100, now: datetime | None = None,
                keep_going: Callable[[], bool] = lambda: True) -> Report:
    """Send up to `limit` due messages, each in its own short transaction(s); return what
    happened. `now` fixes the clock (tests); `keep_going` is asked before each message (a
    worker told to stop finishes the message at hand, then returns)."""
    with session_factory() as session:
        dialect = session.get_bind().dialect.name
    deliver = _deliver_taking_turns if dialect == "sqlite" else _deliver_skipping_locked
    return deliver(session_factory, settings, worker_id, limit, now, keep_going)


def _due(now: datetime):
    return (select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
                   OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(1))


def _deliver_skipping_locked(session_factory: SessionFactory, settings: Settings,
                             worker_id: str, limit: int, now: datetime | None,
                             keep_going: Callable[[], bool]) -> Report:
    report = Report()
    while report.handled < limit and keep_going():
        with session_factory() as session, session.begin():
            at = now or utcnow()
            message = session.scalar(_due(at).with_for_update(skip_locked=True))
            if message is None:
                break
            # The row stays locked until this transaction ends: other workers skip it.
            report += _record(message, _attempt(settings, _mail(message)), at, worker_id)
    return report


def _deliver_taking_turns(session_factory: SessionFactory, settings: Settings,
                          worker_id: str, limit: int, now: datetime | None,
                          keep_going: Callable[[], bool]) -> Report:
    with session_factory() as session, session.begin():
        if not leases.take(session, LEASE, worker_id):
            log.debug("outbox: another worker holds the delivery lease; %s leaves it", worker_id)
            return Report()
    report = Report()
    try:
        while report.handled < limit and keep_going():
            with session_factory() as session, session.begin():
                message = session.scalar(_due(now or utcnow()))
                mail = _mail(message) if message is not None else None
            if mail is None:
                break
            # Sent between transactions: SQLite's write lock is never held while the SMTP
            # server answers, so requests keep writing; the lease keeps other workers out.
            error = _attempt(settings, mail)
            with session_factory() as session, session.begin():
                message = session.get(OutboxMessage, mail.outbox_id)
                if message is not None:  # nothing deletes outbox rows today; never crash on it
                    report += _record(message, error, now or utcnow(), worker_id)
                still_ours = leases.renew(session, LEASE, worker_id)
            if not still_ours:
                log.warning("outbox: %s lost the delivery lease; stopping", worker_id)
                break
    finally:
        with session_factory() as session, session.begin():
            leases.release(session, LEASE, worker_id)
    return report


def _mail(message: OutboxMessage) -> mailer.Mail:
    return mailer.Mail(outbox_id=message.id, to=message.to_email, subject=message.subject,
                       body=message.body, html=message.html_body)


def _attempt(settings: Settings, mail: mailer.Mail) -> str | None:
    """Send `mail`; the one-line reason when it failed, else None."""
    try:
        mailer.send(settings, mail)
    except mailer.MailError as exc:
        return str(exc)
    return None


def _record(message: OutboxMessage, error: str | None, at: datetime, worker_id: str) -> Report:
    """Write the attempt's outcome on the message (flushed when the caller's block commits)."""
    message.attempts += 1
    if error is None:
        message.sent_at = at
        return Report(sent=1)
    message.last_error = error
    if message.attempts >= MAX_ATTEMPTS:
        message.failed_at = at
        log.error("outbox message %s: giving up after %s attempts (%s): %s", message.id,
                  message.attempts, worker_id, error)
        return Report(failed=1)
    message.next_attempt_at = at + backoff(message.attempts)
    log.warning("outbox message %s: attempt %s failed (%s), next at %s: %s", message.id,
                message.attempts, worker_id, message.next_attempt_at.isoformat(), error)
    return Report(retried=1)


def retry(session: Session, admin: User, message_id: int) -> OutboxMessage:
    """Try a message again now, with a fresh set of attempts (admins); 409 once it was sent.
    Its last error stays until an attempt replaces it."""
    require(admin, "manage_outbox")
    message = session.get(OutboxMessage, message_id) if is_valid_id(message_id) else None
    if message is None:
        raise NotFound(f"No outbox message {message_id}.")
    if message.sent_at is not None:
        raise Conflict(f"Message {message_id} was sent already.")
    message.failed_at, message.attempts, message.next_attempt_at = None, 0, utcnow()
    session.flush()
    session.info[QUEUED_FLAG] = True  # the development worker is nudged after the commit
    return message
