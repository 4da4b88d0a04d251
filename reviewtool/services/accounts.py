"""Users, passwords, sessions and API tokens."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from reviewtool.enums import Role
from reviewtool.errors import Conflict, Invalid, invalid
from reviewtool.models import ApiToken, User, UserRole, utcnow
from reviewtool.models.types import is_valid_id

PASSWORD_MIN = 8
PASSWORD_MAX = 128
TOKEN_PREFIX = "rt_"
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the email is unknown, so that login takes the same time
    either way. Made on first use, not at import: argon2 is slow on purpose, and every worker
    and CLI process would pay for it at start."""
    return _hasher.hash("not-a-real-password")


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively; we store them lower-cased and stripped."""
    return (email or "").strip().lower()


def check_password_rules(password: str, field: str = "password") -> None:
    """Raise Invalid unless the password has 8 to 128 characters."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise invalid(field, f"Use at least {PASSWORD_MIN} characters for the password.")
    if len(password) > PASSWORD_MAX:
        raise invalid(field, f"Use at most {PASSWORD_MAX} characters for the password.")


def create_user(session: Session, *, email: str, password: str, roles: list[str],
                name: str | None = None, organisation: str | None = None) -> User:
    """Create a user with the given roles; Invalid or Conflict (duplicate email) otherwise."""
    email = normalise_email(email)
    problems = []
    if not EMAIL_RE.match(email) or len(email) > 254:
        problems.append({"field": "email", "message": f"{email!r} is not an email address."})
    unknown = [r for r in roles if r not in {x.value for x in Role}]
    if unknown:
        problems.append({"field": "roles", "message": f"Unknown role {unknown[0]!r}; use one of "
                         + ", ".join(r.value for r in Role) + "."})
    if not roles:
        problems.append({"field": "roles", "message": "Give the user at least one role."})
    if problems:
        raise Invalid(problems=problems)
    check_password_rules(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"A user with email {email} already exists.")
    user = User(email=email, name=(name or email.split("@")[0]).strip()[:200],
                organisation=organisation, password_hash=_hasher.hash(password),
                session_token=secrets.token_hex(16))
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None (same work either way)."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if not isinstance(password, str) or len(password) > PASSWORD_MAX:
        return None
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def load_session_user(session: Session, cookie_id: str) -> User | None:
    """The user named by a session cookie's id, if its session token is still current."""
    user_id, _, token = (cookie_id or "").partition(":")
    if not user_id.isdigit() or not token or not is_valid_id(int(user_id)):
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    return user if secrets.compare_digest(user.session_token, token) else None


def end_sessions(user: User) -> None:
    """Rotate the session token: every cookie issued before stops working."""
    user.session_token = secrets.token_hex(16)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User) -> str:
    """Create an API token for `user` and return it; only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token)))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user owning this unrevoked token, else None."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token),
                                                ApiToken.revoked_at.is_(None)))
    if row is None or not row.user.is_active:
        return None
    # Recorded at most every few minutes: writing it on every request would make concurrent
    # requests with one token queue on its row (PostgreSQL) or the write lock (SQLite).
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_INTERVAL:
        row.last_used_at = now
    return row.user


def find_user(session: Session, email: str) -> User | None:
    """The user with this email (case-insensitive), or None."""
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@dataclass(frozen=True)
class UserPage:
    """One page of users and how many match in all."""

    items: list[User]
    total: int


def user_page(session: Session, *, role: str = "", q: str = "", page: int = 1,
              per_page: int = 20) -> UserPage:
    """Users by name, filtered by role and by a text in their name or e-mail."""
    stmt = select(User)
    if role:
        if role not in {r.value for r in Role}:
            raise Invalid(problems=[{"field": "role", "message": f"Unknown role {role!r}."}])
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    users = session.scalars(stmt.order_by(User.name, User.id)
                            .limit(per_page).offset((page - 1) * per_page)).all()
    return UserPage(list(users), total)


def active_users_with_role(session: Session, role: str) -> list[User]:
    """Active users holding `role`, by name (a form's choices: a builder, a reviewer)."""
    return list(session.scalars(select(User).join(UserRole).where(
        UserRole.role == role, User.is_active).order_by(User.name, User.id)))
