"""Signing in (page and API alike) within the limits on failures, and changing a password.

Every attempt is audited: `login`, `login_failed` (with why: unknown e-mail, wrong password,
disabled account) and `lockout` when a failure brings an account or address to its limit. A
failure is counted and audited even though the refused request rolls back (kept_writes)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reviewtool.config import Settings
from reviewtool.errors import NotAuthenticated, TooManyAttempts, invalid
from reviewtool.models import User, utcnow
from reviewtool.services import throttle
from reviewtool.services.accounts import check_credentials, normalise_email
from reviewtool.services.audit import record_account_event
from reviewtool.services.kept_writes import keep
from reviewtool.services.passwords import check_password_rules, hash_password, verify_password
from reviewtool.services.tokens import end_access

WRONG = "Wrong email or password."


def _refuse_if_locked(session: Session, email: str, address: str,
                      limits: throttle.Limits) -> None:
    lock = throttle.locked(session, email, address, limits)
    if lock is not None:
        raise TooManyAttempts(lock.message, retry_after=lock.retry_after)


def note_failure(session: Session, *, email: str, address: str, user_id: int | None,
                 reason: str, via: str, limits: throttle.Limits) -> None:
    """Count a failed attempt and audit it (and the lockout it may start), so that it stays
    written when the request is refused."""

    def write(target: Session) -> None:
        reached = throttle.record_failure(target, email, address, limits)
        user = target.get(User, user_id) if user_id is not None else None
        record_account_event(target, "login_failed", user=user, email=email, address=address,
                             data={"via": via, "reason": reason})
        for scope in reached:
            limit = limits.per_account if scope == throttle.ACCOUNT else limits.per_address
            record_account_event(target, "lockout", user=user, email=email, address=address,
                                 data={"scope": scope, "failures": limit, "window_minutes":
                                       int(limits.window.total_seconds() // 60)})

    keep(session, write)


def sign_in(session: Session, email: str, password: object, *, address: str,
            settings: Settings, via: str) -> User:
    """The active user with this e-mail and password. TooManyAttempts (429) while the account
    or the address is locked, even with the right password; NotAuthenticated (401) with one
    message for an unknown e-mail, a wrong password and a disabled account alike."""
    limits = throttle.Limits.from_settings(settings)
    email = normalise_email(email)
    _refuse_if_locked(session, email, address, limits)
    found = check_credentials(session, email, password)
    if not found.ok:
        note_failure(session, email=email, address=address, reason=found.reason, via=via,
                     user_id=found.account.id if found.account else None, limits=limits)
        raise NotAuthenticated(WRONG)
    found.account.last_signed_in_at = utcnow()  # shown on the admins' list of users
    record_account_event(session, "login", user=found.account, actor=found.account,
                         email=email, address=address, data={"via": via})
    return found.account


def change_password(session: Session, user: User, current: object, new: object, *,
                    address: str, settings: Settings, via: str,
                    keep_token: int | None = None) -> int:
    """Set `user`'s password after checking the current one, then end every other session
    and token (the one in use, `keep_token`, stays); return how many tokens were revoked.

    A wrong current password counts as a failed sign-in of the account, so a stolen session
    cannot try passwords faster than the sign-in page allows."""
    limits = throttle.Limits.from_settings(settings)
    _refuse_if_locked(session, user.email, address, limits)
    if not verify_password(user.password_hash, current):
        note_failure(session, email=user.email, address=address, user_id=user.id,
                     reason="wrong_current_password", via=via, limits=limits)
        raise invalid("current_password", "That is not your current password.")
    check_password_rules(new, "new_password")
    if verify_password(user.password_hash, new):
        raise invalid("new_password", "Choose a new password that differs from the current "
                                      "one.")
    user.password_hash = hash_password(new)
    revoked = end_access(session, user, keep_token=keep_token)
    record_account_event(session, "password_changed", user=user, actor=user, email=user.email,
                         address=address, data={"via": via, "tokens_revoked": revoked})
    return revoked
