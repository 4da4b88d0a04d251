"""Sending a notification: as its recipient chose (immediately, in the daily digest, or not at
all), with a plain-text and an HTML part, each ending with the link to the page where the
person acts. Queued in the outbox inside the caller's transaction (services/outbox.py).

What a notification says is the caller's; this module only guarantees its shape. Callers
never put a reviewer's name or address into a proposer's mail: rounds are told in figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app, has_app_context
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.errors import Invalid
from reviewtool.models import DigestItem, NotificationPreference, User
from reviewtool.models.notification import DELIVERY_MODES
from reviewtool.services import outbox
from reviewtool.services.notification_kinds import KINDS, choosable

PREFERENCES_PATH = "/account/notifications"
DEFAULT_MODE = "immediately"


@dataclass(frozen=True)
class Note:
    """What one notification says: a subject, its paragraphs, and the page to act on."""

    kind: str
    subject: str
    lines: Sequence[str]
    path: str  # where the recipient acts, e.g. "/projects/7/review"
    action: str  # the link's words, e.g. "Write your review"
    project_id: int | None = None


def base_url(default: str = "") -> str:
    """The public address links start with (BASE_URL); `default` outside an app."""
    if has_app_context():
        return current_app.extensions["reviewtool.settings"].base_url
    return default


def modes(session: Session, user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's choice for `kind` (one query for all of them); security mail is always
    "immediately"."""
    ids = sorted(set(user_ids))
    if KINDS[kind].security or not ids:
        return dict.fromkeys(ids, DEFAULT_MODE)
    chosen = dict(session.execute(select(NotificationPreference.user_id,
                                         NotificationPreference.mode)
                                  .where(NotificationPreference.kind == kind,
                                         NotificationPreference.user_id.in_(ids))).all())
    return {i: chosen.get(i, DEFAULT_MODE) for i in ids}


def render_text(note: Note, link: str, preferences: str) -> str:
    """The plain-text part."""
    body = "\n\n".join(note.lines)
    footer = (f"\n\n-- \nChoose which mail you get: {preferences}"
              if not KINDS[note.kind].security else "")
    return f"{body}\n\n{note.action}: {link}{footer}\n"


def render_html(note: Note, link: str, preferences: str) -> str:
    """The HTML part: the same words, escaped, and the link as a link."""
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in note.lines)
    footer = (f'<p style="color:#555;font-size:90%"><a href="{escape(preferences)}">Choose '
              "which mail you get</a></p>" if not KINDS[note.kind].security else "")
    return (f'<!doctype html><html lang="en"><body>{paragraphs}'
            f'<p><a href="{escape(link)}">{escape(note.action)}</a></p>{footer}</body></html>')


def all_modes(session: Session, user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Every choice of these users, by (user id, kind), in one query: for a caller that
    notifies many people about many things (the reminders)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = session.execute(select(NotificationPreference.user_id, NotificationPreference.kind,
                                  NotificationPreference.mode)
                           .where(NotificationPreference.user_id.in_(ids)))
    return {(user_id, kind): mode for user_id, kind, mode in rows}


def notify(session: Session, users: Iterable[User], note: Note, *,
           known: dict[tuple[int, str], str] | None = None) -> dict[str, int]:
    """Send `note` to each of `users` as they chose; how many were queued, held for the
    digest, and left out (off or disabled). `known`: choices read already (all_modes), so
    that nothing more is read per notification."""
    if note.kind not in KINDS:
        raise ValueError(f"unknown notification kind {note.kind!r}: register it in "
                         "services/notification_kinds.py")
    people = [u for u in users if u.is_active]
    if known is None:
        chosen = modes(session, (u.id for u in people), note.kind)
    else:
        chosen = {u.id: DEFAULT_MODE if KINDS[note.kind].security
                  else known.get((u.id, note.kind), DEFAULT_MODE) for u in people}
    root = base_url()
    link, preferences = root + note.path, root + PREFERENCES_PATH
    counts = {"queued": 0, "digest": 0, "off": 0}
    for user in people:
        mode = chosen[user.id]
        if mode == "immediately":
            outbox.queue(session, to=user.email, subject=note.subject, kind=note.kind,
                         body=render_text(note, link, preferences), project_id=note.project_id,
                         html=render_html(note, link, preferences))
            counts["queued"] += 1
        elif mode == "digest":
            session.add(DigestItem(user_id=user.id, kind=note.kind, subject=note.subject[:300],
                                   body="\n\n".join(note.lines), link=link[:500]))
            counts["digest"] += 1
        else:
            counts["off"] += 1
    return counts


def preferences(session: Session, user: User) -> list[dict[str, str]]:
    """The user's choice for every kind they may choose, in registry order."""
    chosen = dict(session.execute(select(NotificationPreference.kind, NotificationPreference.mode)
                                  .where(NotificationPreference.user_id == user.id)).all())
    return [{"kind": k.name, "label": k.label, "recipients": k.recipients,
             "mode": chosen.get(k.name, DEFAULT_MODE)} for k in choosable()]


def set_preferences(session: Session, user: User, choices: dict[str, object]) -> None:
    """Set the user's choice per kind ({kind: mode}); every problem at once (422)."""
    kinds = {k.name for k in choosable()}
    problems = []
    for kind, mode in choices.items():
        if kind not in kinds:
            problems.append({"field": kind, "message": f"{kind}: not a kind of mail you can "
                                                      "choose."})
        elif mode not in DELIVERY_MODES:
            problems.append({"field": kind, "message": f"{KINDS[kind].label}: choose "
                                                      "immediately, daily digest or off."})
    if problems:
        raise Invalid(problems=problems)
    rows = {p.kind: p for p in session.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id))}
    for kind, mode in choices.items():
        if kind in rows:
            rows[kind].mode = mode
        else:
            session.add(NotificationPreference(user_id=user.id, kind=kind, mode=mode))
    session.flush()
