"""Limits on failed sign-ins, per account and per client address, counted in the database so
that every worker and host sees the same numbers.

Each failure is a row (e-mail typed, address, time). An account or an address is locked while
its `limit`-th most recent failure is younger than the window: the lock lifts when that one
ages out, which is what Retry-After says. Locked attempts are refused before any password is
checked and are not counted, so a person who waits as told gets in. Unknown e-mails are
counted like real ones, so a lock says nothing about whether an account exists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reviewtool.config import Settings
from reviewtool.models import LoginFailure, utcnow

ACCOUNT, ADDRESS = "account", "address"


@dataclass(frozen=True)
class Limits:
    """How many failures an account and an address may have within `window`."""

    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits the app was configured with."""
        return cls(settings.login_failures_per_account, settings.login_failures_per_address,
                   timedelta(minutes=settings.login_failure_window_minutes))


@dataclass(frozen=True)
class Lock:
    """Sign-ins refused for `scope` (account or address) for `retry_after` more seconds."""

    scope: str
    retry_after: int

    @property
    def minutes(self) -> int:
        """Retry-After in whole minutes, rounded up."""
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        """What the person is told."""
        wait = f"{self.minutes} minute{'s' if self.minutes != 1 else ''}"
        whose = "for this account" if self.scope == ACCOUNT else "from your network address"
        return f"Too many failed sign-ins {whose}; try again in {wait}."


def _limit_th_failure(session: Session, column, value: str, limit: int,
                      since: datetime) -> datetime | None:
    """When the `limit`-th most recent failure for `value` within the window happened."""
    return session.scalar(select(LoginFailure.at).where(column == value, LoginFailure.at > since)
                          .order_by(LoginFailure.at.desc()).offset(limit - 1).limit(1))


def locked(session: Session, email: str, address: str, limits: Limits,
           now: datetime | None = None) -> Lock | None:
    """The lock on this e-mail (normalised) or address, the account's first; None if free."""
    now = now or utcnow()
    since = now - limits.window
    for scope, column, value, limit in ((ACCOUNT, LoginFailure.email, email, limits.per_account),
                                        (ADDRESS, LoginFailure.address, address,
                                         limits.per_address)):
        if not value:
            continue
        at = _limit_th_failure(session, column, value, limit, since)
        if at is not None:
            seconds = math.ceil((at + limits.window - now).total_seconds())
            return Lock(scope, max(1, seconds))
    return None


def failures(session: Session, column, value: str, since: datetime) -> int:
    """How many failures `value` (an e-mail or address) had since `since`."""
    return session.scalar(select(func.count()).select_from(LoginFailure)
                          .where(column == value, LoginFailure.at > since))


def record_failure(session: Session, email: str, address: str, limits: Limits) -> list[str]:
    """Count one failure; return the scopes this failure brought to their limit (a lockout
    begins). Failures older than the window are deleted on the way."""
    now = utcnow()
    since = now - limits.window
    session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
    session.add(LoginFailure(at=now, email=email[:254], address=address[:64]))
    session.flush()
    reached = []
    if email and failures(session, LoginFailure.email, email[:254], since) == limits.per_account:
        reached.append(ACCOUNT)
    if address and failures(session, LoginFailure.address, address[:64],
                            since) == limits.per_address:
        reached.append(ADDRESS)
    return reached
