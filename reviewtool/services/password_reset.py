"""Resetting a forgotten password by e-mail: a single-use link that expires.

Asking always looks the same from outside, whether or not the account exists; an existing
active account gets a mail (through the outbox, after the commit) with a link whose token is
stored only as its SHA-256. Using the link sets the password and ends every session, API token
and other reset link of the account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewtool.config import Settings
from reviewtool.errors import Gone, NotFound
from reviewtool.models import PasswordReset, User, utcnow
from reviewtool.services import outbox
from reviewtool.services.accounts import normalise_email
from reviewtool.services.audit import record_account_event
from reviewtool.services.passwords import check_password_rules, hash_password
from reviewtool.services.tokens import TOKEN_MAX_LENGTH, end_access, hash_token

RESET_PATH = "/password/reset/{token}"  # the page of web/password_reset.py
MAIL_INTERVAL = timedelta(minutes=2)  # at most one mail per account this often
UNKNOWN = "This password reset link is not valid. Ask for a new one below."
USED = "This password reset link has already been used. Ask for a new one if you need to."


def _hours(settings: Settings) -> str:
    hours = settings.password_reset_hours
    return f"{hours} hour{'s' if hours != 1 else ''}"


def request_reset(session: Session, email: object, *, address: str,
                  settings: Settings) -> None:
    """Mail a reset link to the active account `email`, if there is one; nothing tells the
    caller which (the audit trail does)."""
    email = normalise_email(email if isinstance(email, str) else "")[:254]
    user = session.scalar(select(User).where(User.email == email, User.is_active))
    now = utcnow()
    if user is None:
        record_account_event(session, "password_reset_requested", email=email,
                             address=address, data={"mailed": False})
        return
    recent = session.scalar(select(PasswordReset.id).where(
        PasswordReset.user_id == user.id, PasswordReset.created_at > now - MAIL_INTERVAL)
        .limit(1))
    if recent is not None:  # one mail is on its way: do not flood the inbox
        record_account_event(session, "password_reset_requested", user=user, email=email,
                             address=address, data={"mailed": False, "reason": "recent"})
        return
    token = secrets.token_urlsafe(32)
    row = PasswordReset(user_id=user.id, token_hash=hash_token(token), created_at=now,
                        expires_at=now + timedelta(hours=settings.password_reset_hours))
    session.add(row)
    link = settings.base_url + RESET_PATH.format(token=token)
    outbox.queue(session, to=user.email, subject="Reset your reviewtool password",
                 kind="password_reset", html=_html(user.email, link, _hours(settings)),
                 body=f"Someone, hopefully you, asked to reset the password of the reviewtool "
                      f"account {user.email}.\n\nOpen this link within {_hours(settings)} to "
                      f"choose a new password (it works once):\n{link}\n\nIf you did not ask, "
                      "ignore this mail: your password stays as it is.")
    record_account_event(session, "password_reset_requested", user=user, email=email,
                         address=address, data={"mailed": True,
                                                "expires_at": row.expires_at.isoformat()})


def _html(email: str, link: str, hours: str) -> str:
    """The reset mail's HTML part: the same words as its text, the link as a link."""
    return (f'<!doctype html><html lang="en"><body><p>Someone, hopefully you, asked to reset '
            f"the password of the reviewtool account {escape(email)}.</p><p>Open this link "
            f'within {hours} to choose a new password (it works once): <a href="{escape(link)}">'
            "Choose a new password</a></p><p>If you did not ask, ignore this mail: your "
            "password stays as it is.</p></body></html>")


def usable_link(session: Session, token: str, settings: Settings) -> PasswordReset:
    """The reset link of `token`: NotFound when unknown (or its account disabled), Gone when
    used or expired, each with a sentence saying so."""
    row = (session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == hash_token(token)))
        if token and len(token) <= TOKEN_MAX_LENGTH else None)
    if row is None or not row.user.is_active:
        raise NotFound(UNKNOWN)
    if row.used_at is not None:
        raise Gone(USED)
    if row.expires_at <= utcnow():
        raise Gone(f"This password reset link has expired: links work for "
                   f"{_hours(settings)}. Ask for a new one below.")
    return row


def reset_password(session: Session, token: str, new: object, *, address: str,
                   settings: Settings) -> User:
    """Set a new password through the link of `token`, once; end every session, API token and
    other reset link of the account."""
    row = usable_link(session, token, settings)
    check_password_rules(new, "new_password")
    now = utcnow()
    # The database decides which of two simultaneous uses of one link wins.
    claimed = session.execute(update(PasswordReset).where(
        PasswordReset.id == row.id, PasswordReset.used_at.is_(None)).values(used_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise Gone(USED)
    session.execute(update(PasswordReset).where(
        PasswordReset.user_id == row.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    user = row.user
    user.password_hash = hash_password(new)
    revoked = end_access(session, user)
    record_account_event(session, "password_reset", user=user, actor=user, email=user.email,
                         address=address, data={"tokens_revoked": revoked})
    session.refresh(row)
    return user
