"""Users: creating them, finding them, checking their credentials and session cookies.

Passwords live in services/passwords.py, API tokens and session tokens in services/tokens.py
(both re-exported here), sign-in with its limits in services/signin.py."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from reviewtool.enums import Role
from reviewtool.errors import Conflict, Invalid
from reviewtool.models import User, UserRole
from reviewtool.models.types import is_valid_id
from reviewtool.services.passwords import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from reviewtool.services.tokens import (
    TOKEN_PREFIX,
    end_sessions,
    issue_token,
    user_for_token,
)

__all__ = ["PASSWORD_MAX", "PASSWORD_MIN", "TOKEN_PREFIX", "check_password_rules",
           "end_sessions", "issue_token", "user_for_token"]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively; we store them lower-cased and stripped."""
    return (email or "").strip().lower()


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
                organisation=organisation, password_hash=hash_password(password),
                session_token=secrets.token_hex(16))
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class Credentials:
    """What checking an e-mail and password found: the account named (None for an unknown
    e-mail), whether the password is right for an active account, and why not."""

    account: User | None
    ok: bool
    reason: str  # "", "unknown_email", "wrong_password" or "disabled"


def check_credentials(session: Session, email: str, password: object) -> Credentials:
    """Check `password` for the account `email`; the argon2 work is the same whether or not
    the account exists. A rehash, if argon2's parameters moved on, is flushed with the rest."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    right = verify_password(user.password_hash if user else None, password)
    if user is None:
        return Credentials(None, False, "unknown_email")
    if not right:
        return Credentials(user, False, "wrong_password")
    if not user.is_active:
        return Credentials(user, False, "disabled")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return Credentials(user, True, "")


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None (same work either way)."""
    found = check_credentials(session, email, password)
    return found.account if found.ok else None


def load_session_user(session: Session, cookie_id: str) -> User | None:
    """The user named by a session cookie's id, if its session token is still current."""
    user_id, _, token = (cookie_id or "").partition(":")
    if not user_id.isdigit() or not token or not is_valid_id(int(user_id)):
        return None
    # The user and their roles in one statement (every page pays it): joined, not the
    # relationship's default second SELECT.
    user = session.get(User, int(user_id), options=[joinedload(User.role_rows)])
    if user is None or not user.is_active:
        return None
    return user if secrets.compare_digest(user.session_token, token) else None


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
                            .options(selectinload(User.role_rows))  # the list shows roles
                            .limit(per_page).offset((page - 1) * per_page)).all()
    return UserPage(list(users), total)


def active_users_with_role(session: Session, role: str) -> list[User]:
    """Active users holding `role`, by name (a form's choices: a builder, a reviewer)."""
    return list(session.scalars(select(User).join(UserRole).where(
        UserRole.role == role, User.is_active).order_by(User.name, User.id)))
