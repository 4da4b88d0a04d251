"""Notifications: queued in the outbox inside the request's transaction, delivered after it
commits (SMTP when SMTP_HOST is set, otherwise written to the log), so a rolled-back request
never sends mail and a failed delivery can be retried from the database."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.config import Settings
from reviewtool.models import OutboxMessage, utcnow

log = logging.getLogger("reviewtool.outbox")
QUEUED_FLAG = "outbox_queued"  # session.info key: this transaction queued mail


def queue(session: Session, *, to: str, subject: str, body: str,
          project_id: int | None = None) -> OutboxMessage:
    """Add a message to the outbox (sent after the transaction commits)."""
    message = OutboxMessage(to_email=to, subject=subject[:300], body=body,
                            project_id=project_id)
    session.add(message)
    session.info[QUEUED_FLAG] = True  # after the commit, the faces nudge the worker
    return message


def deliver_pending(session: Session, settings: Settings, *, limit: int = 100) -> int:
    """Send unsent messages; return how many went out. Commits after each one."""
    pending = session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
                              .order_by(OutboxMessage.id).limit(limit)).all()
    sent = 0
    for message in pending:
        try:
            _send(message, settings)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("could not send outbox message %s: %s", message.id, exc)
            break
        message.sent_at = utcnow()
        session.commit()
        sent += 1
    return sent


def _send(message: OutboxMessage, settings: Settings) -> None:
    if not settings.smtp_host:
        log.info("mail to %s: %s\n%s", message.to_email, message.subject, message.body)
        return
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = (settings.mail_from, message.to_email,
                                                    message.subject)
    email.set_content(message.body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(email)
