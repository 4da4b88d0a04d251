"""The one way consultations send mail: invitations and reminders to panellists.

Kept to a single function on purpose, so that a notification-preferences system can later
route (or hold back) every consultation message in one place."""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from reviewtool.models import OutboxMessage, User
from reviewtool.services import outbox

KINDS = ("invitation", "reminder")


def link(path: str) -> str:
    """`path` made absolute with the app's BASE_URL (a bare path outside an app)."""
    if not has_app_context():
        return path
    return current_app.extensions["reviewtool.settings"].base_url + path


def notify_panellist(session: Session, panellist: User, *, kind: str, subject: str,
                     body: str) -> OutboxMessage:
    """Queue one consultation message (`kind`: invitation or reminder) to `panellist`."""
    assert kind in KINDS, kind
    return outbox.queue(session, to=panellist.email, subject=subject, body=body)
