"""Inviting someone: an admin names their e-mail and roles; they get a mail with a link that
sets their password (a password reset link that lasts longer), and then sign in as usual.

Until the link is used the account has a random password nobody knows, so it cannot be
signed into; the link works once, and disabling the account ends it, like any reset link."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.errors import Invalid
from reviewtool.models import PasswordReset, User, utcnow
from reviewtool.permissions import require
from reviewtool.services.accounts import create_user
from reviewtool.services.audit import record_account_event
from reviewtool.services.notifications import Note, notify
from reviewtool.services.password_reset import RESET_PATH
from reviewtool.services.tokens import hash_token

INVITE_DAYS = 7  # a set-password link in an invitation works this long (once)


def invite(session: Session, admin: User, data: Any, *, address: str) -> User:
    """Create the account {email, name?, organisation?, roles} and mail its set-password
    link; 403 for a non-admin, 409 for an e-mail that has an account, 422 otherwise."""
    require(admin, "manage_users")
    if not isinstance(data, dict):
        raise Invalid(problems=[{"message": "Send the e-mail, name and roles."}])
    roles = data.get("roles")
    user = create_user(session, email=str(data.get("email") or ""),
                       password=secrets.token_urlsafe(32),  # nobody knows it: the link sets one
                       roles=roles if isinstance(roles, list) else [],
                       name=str(data.get("name") or "").strip() or None,
                       organisation=str(data.get("organisation") or "").strip() or None)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(PasswordReset(user_id=user.id, token_hash=hash_token(token), created_at=now,
                              expires_at=now + timedelta(days=INVITE_DAYS)))
    notify(session, [user], Note(
        "invitation", "You are invited to reviewtool",
        [f"{admin.name} invites you to reviewtool, where community projects are reviewed "
         f"before they scale, as {', '.join(sorted(user.roles))}.",
         f"Your account is {user.email}. Choose your password with the link below within "
         f"{INVITE_DAYS} days (it works once); then sign in with your e-mail and password."],
        RESET_PATH.format(token=token), "Choose your password"))
    record_account_event(session, "invited", user=user, actor=admin, email=user.email,
                         address=address, data={"roles": sorted(user.roles)})
    session.flush()
    return user
