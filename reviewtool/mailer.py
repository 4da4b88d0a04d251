"""Turning one outbox message into an e-mail and handing it to the SMTP server.

A leaf module (the standard library and our settings only), so the delivery code can be read
and tested without it, and it without the database. Every failure it expects comes out as
MailError with a one-line reason; with no SMTP_HOST the message is written to the log
instead (development)."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from reviewtool.config import Settings

log = logging.getLogger("reviewtool.mail")
# Seconds smtplib waits for each network step: a dead server costs a worker this much per
# message, never a request (requests only queue).
SMTP_TIMEOUT = 10.0
REASON_MAX = 500


class MailError(Exception):
    """The message could not be handed over; str() is the one-line reason."""


@dataclass(frozen=True)
class Mail:
    """What the mailer needs of an outbox message: plain values, no database row."""

    outbox_id: int
    to: str
    subject: str
    body: str
    html: str | None = None  # an HTML alternative to `body`, when the message has one


def message_id(outbox_id: int) -> str:
    """The Message-ID of an outbox message: the same on every attempt, so a receiver that got
    it twice (a worker died between sending and recording it) can tell."""
    return f"<outbox-{outbox_id}@reviewtool>"


def build(settings: Settings, mail: Mail, *, date: str | None = None) -> EmailMessage:
    """The e-mail for `mail`: From, To, Subject, Date, Message-ID, a plain-text body and, when
    the mail has one, its HTML part."""
    message = EmailMessage()
    try:
        message["From"] = settings.mail_from
        message["To"] = mail.to
        # A header may not span lines; a title with a line break must not break the mail.
        message["Subject"] = " ".join(mail.subject.split())
        message["Date"] = date or formatdate(usegmt=True)
        message["Message-ID"] = message_id(mail.outbox_id)
        message.set_content(mail.body)
        if mail.html:  # multipart/alternative: readers without HTML show the plain text
            message.add_alternative(mail.html, subtype="html")
    except (ValueError, TypeError) as exc:
        raise MailError(_one_line(f"cannot build the message: {exc}")) from None
    return message


def send(settings: Settings, mail: Mail) -> None:
    """Hand `mail` to the SMTP server of `settings`, or log it when there is none."""
    message = build(settings, mail)
    if not settings.smtp_host:
        log.info("mail %s to %s (no SMTP_HOST set, so logged instead of sent)\nSubject: %s\n\n%s",
                 message["Message-ID"], message["To"], message["Subject"], mail.body)
        return
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                          timeout=SMTP_TIMEOUT) as smtp:
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = "; ".join(f"{to}: {_smtp_answer(code, text)}"
                            for to, (code, text) in exc.recipients.items())
        raise MailError(_one_line(f"{where}: recipient refused: {refused}")) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(_one_line(f"{where}: {_smtp_answer(exc.smtp_code, exc.smtp_error)}")
                        ) from None
    except (OSError, ValueError) as exc:  # OSError covers smtplib's errors and timeouts
        raise MailError(_one_line(f"{where}: {type(exc).__name__}: {exc}")) from None


def _smtp_answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {text}"


def _one_line(reason: str) -> str:
    return " ".join(reason.split())[:REASON_MAX]
