"""Users, the roles they hold, and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtool.db import Base
from reviewtool.enums import Role
from reviewtool.models.types import UTCDateTime, utcnow

ROLE_NAMES = ", ".join(f"'{r.value}'" for r in Role)


class User(Base):
    """A person who signs in. `session_token` rotates at logout, ending every copied session."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    session_token: Mapped[str] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # admins' list

    # Loaded when read: the request's own user comes with its roles in one joined statement
    # (services/accounts.load_session_user, tokens.token_row), the users a page merely names
    # (reviewers, builders, deciders) need none; lists that show roles say selectinload.
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def roles(self) -> frozenset[str]:
        """The role names this user holds."""
        return frozenset(r.role for r in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        """True when the user holds at least one of `roles`."""
        return not self.roles.isdisjoint(roles)

    # Flask-Login protocol. The id carries the session token, so rotating it logs out everywhere.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """The value Flask-Login keeps in the session cookie."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Base):
    """One role held by one user."""

    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint(f"role IN ({ROLE_NAMES})", name="valid_role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None only for tokens made before tokens expired (migration 0009); new ones always expire.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
