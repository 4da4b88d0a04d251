"""reviewtool.mailer: the e-mail built from an outbox message, the log without SMTP_HOST, and
one MailError with a one-line reason for whatever goes wrong on the way."""

from __future__ import annotations

import logging

import pytest

from reviewtool.config import Settings
from reviewtool.mailer import Mail, MailError, build, message_id, send
from tests.mail_helpers import free_port

MAIL = Mail(outbox_id=42, to="rhea@carefulai.example", subject="Please review: A course",
            body="You are asked to review 'A course'.")
DATE = "Tue, 01 Dec 2026 09:00:00 +0000"


def settings(host: str | None = None, port: int = 25) -> Settings:
    return Settings(database_url="sqlite://", secret_key="x" * 32, environment="testing",
                    workflow="default", smtp_host=host, smtp_port=port,
                    mail_from="reviewtool@longfund.example")


def test_message_id_is_stable_per_outbox_row():
    assert (message_id(42), message_id(42), message_id(7)) == (
        "<outbox-42@reviewtool>", "<outbox-42@reviewtool>", "<outbox-7@reviewtool>")


def test_build_sets_headers_and_plain_text_body():
    message = build(settings(), MAIL, date=DATE)
    assert [(k, str(v)) for k, v in message.items()] == [
        ("From", "reviewtool@longfund.example"),
        ("To", "rhea@carefulai.example"),
        ("Subject", "Please review: A course"),
        ("Date", DATE),
        ("Message-ID", "<outbox-42@reviewtool>"),
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "7bit"),
        ("MIME-Version", "1.0"),
    ]
    assert message.get_content() == "You are asked to review 'A course'.\n"


def test_build_subject_with_line_break_becomes_one_line():
    message = build(settings(), Mail(1, "a@example.org", "Two\r\nlines\n here", "b"),
                    date=DATE)
    assert message["Subject"] == "Two lines here"


def test_build_unusable_address_raises_mail_error():
    with pytest.raises(MailError) as caught:
        build(settings(), Mail(1, "a@example.org\nBcc: x@example.org", "s", "b"), date=DATE)
    assert str(caught.value).startswith("cannot build the message: ")
    assert "\n" not in str(caught.value)


def test_send_without_smtp_host_logs_the_message_readably(caplog):
    with caplog.at_level(logging.INFO, logger="reviewtool.mail"):
        send(settings(), MAIL)
    assert [r.getMessage() for r in caplog.records] == [
        "mail <outbox-42@reviewtool> to rhea@carefulai.example (no SMTP_HOST set, so logged "
        "instead of sent)\nSubject: Please review: A course\n\n"
        "You are asked to review 'A course'."]


def test_send_closed_port_raises_one_line_mail_error():
    port = free_port()
    with pytest.raises(MailError) as caught:
        send(settings("127.0.0.1", port), MAIL)
    assert str(caught.value) == (f"127.0.0.1:{port}: ConnectionRefusedError: [Errno 111] "
                                 "Connection refused")
