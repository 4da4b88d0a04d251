"""What keeps a person signed in: API tokens (named, expiring, revocable; only their SHA-256
is stored) and the session token every browser cookie carries."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from reviewtool.errors import Invalid, NotFound
from reviewtool.models import ApiToken, User, utcnow
from reviewtool.models.types import is_valid_id
from reviewtool.services.audit import record_account_event

TOKEN_PREFIX = "rt_"
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)
TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365
TOKEN_NAME_MAX = 100
TOKEN_MAX_LENGTH = 200  # longer text is no token of ours; not worth hashing


def hash_token(token: str) -> str:
    """The SHA-256 stored for a token or a reset link."""
    return hashlib.sha256(token.encode()).hexdigest()


def end_sessions(user: User) -> None:
    """Rotate the session token: every cookie issued before stops working."""
    user.session_token = secrets.token_hex(16)


def revoke_all(session: Session, user: User, *, keep: int | None = None) -> int:
    """Revoke every live API token of `user` (but `keep`, the id of the one in use); return
    how many."""
    stmt = (update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow()).execution_options(synchronize_session="fetch"))
    if keep is not None:
        stmt = stmt.where(ApiToken.id != keep)
    return session.execute(stmt).rowcount


def end_access(session: Session, user: User, *, keep_token: int | None = None) -> int:
    """End every session and API token of `user` (but `keep_token`); return the tokens
    revoked. A cookie or token copied before stays dead whatever happens to the account."""
    end_sessions(user)
    return revoke_all(session, user, keep=keep_token)


def token_problems(name: object, days: object) -> list[dict]:
    """What is wrong with a new token's name and lifetime (empty when nothing)."""
    problems = []
    if not isinstance(name, str) or len(name.strip()) > TOKEN_NAME_MAX:
        problems.append({"field": "name", "message": f"Give the token a name of at most "
                         f"{TOKEN_NAME_MAX} characters (or none)."})
    if not (isinstance(days, int) and not isinstance(days, bool)
            and 1 <= days <= TOKEN_DAYS_MAX):
        problems.append({"field": "expires_in_days", "message": "expires_in_days must be a "
                         f"whole number of days from 1 to {TOKEN_DAYS_MAX}."})
    return problems


@dataclass(frozen=True)
class IssuedToken:
    """A new token (shown once, never stored) and its row."""

    token: str
    row: ApiToken


def create_token(session: Session, user: User, *, name: object = "",
                 days: object = TOKEN_DAYS_DEFAULT, actor: User | None = None,
                 address: str = "", via: str = "api") -> IssuedToken:
    """Make an API token for `user` that expires in `days`; Invalid for a bad name or days."""
    problems = token_problems(name, days)
    if problems:
        raise Invalid(problems=problems)
    token, now = TOKEN_PREFIX + secrets.token_urlsafe(32), utcnow()
    row = ApiToken(user_id=user.id, token_hash=hash_token(token), name=name.strip(),
                   created_at=now, expires_at=now + timedelta(days=days))
    session.add(row)
    session.flush()
    record_account_event(session, "token_created", user=user, actor=actor, email=user.email,
                         address=address,
                         data={"token_id": row.id, "name": row.name, "via": via,
                               "expires_at": row.expires_at.isoformat()})
    return IssuedToken(token, row)


def issue_token(session: Session, user: User, *, name: str = "",
                days: int = TOKEN_DAYS_DEFAULT, via: str = "cli") -> str:
    """Create an API token for `user` and return it; only its hash is stored."""
    return create_token(session, user, name=name, days=days, via=via).token


def token_row(session: Session, token: str) -> ApiToken | None:
    """The live token row for `token`: known, not revoked, not expired, its user active."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    # The token, its user and the user's roles in one statement: every API request pays it.
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token),
                                                ApiToken.revoked_at.is_(None))
                         .options(joinedload(ApiToken.user).joinedload(User.role_rows)))
    now = utcnow()
    if row is None or not row.user.is_active or (row.expires_at is not None
                                                 and row.expires_at <= now):
        return None
    # Recorded at most every few minutes: writing it on every request would make concurrent
    # requests with one token queue on its row (PostgreSQL) or the write lock (SQLite).
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_INTERVAL:
        row.last_used_at = now
    return row


def user_for_token(session: Session, token: str) -> User | None:
    """The active user owning this live token, else None."""
    row = token_row(session, token)
    return row.user if row is not None else None


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """`user`'s tokens that were not revoked (expired ones included), newest first."""
    return list(session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int, *,
                 address: str = "") -> ApiToken:
    """Revoke `user`'s token `token_id`; NotFound for an unknown, revoked or someone else's."""
    row = session.get(ApiToken, token_id) if is_valid_id(token_id) else None
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound(f"You have no API token {token_id}.")
    row.revoked_at = utcnow()
    record_account_event(session, "token_revoked", user=user, actor=user, email=user.email,
                         address=address,
                         data={"token_id": row.id, "name": row.name})
    return row
