"""The one way consultations send mail: invitations and reminders to panellists, through the
notification system (kinds consultation_invitation and consultation_reminder), so that each
panellist's mail choices hold for them as for everyone."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from reviewtool.models import User
from reviewtool.services.notifications import Note, notify

KINDS = ("invitation", "reminder")


def notify_panellists(session: Session, panellists: Sequence[User], *, kind: str, subject: str,
                      lines: Sequence[str], path: str) -> None:
    """Send one consultation message (`kind`: invitation or reminder) to each panellist, with
    the link to the answer form at `path`."""
    if kind not in KINDS:
        raise ValueError(f"unknown consultation mail {kind!r}")
    notify(session, panellists, Note(kind=f"consultation_{kind}", subject=subject,
                                     lines=lines, path=path, action="Give your answer"))
