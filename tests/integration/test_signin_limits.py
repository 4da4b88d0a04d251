"""Failed sign-ins limited per account and per address, counted in the database
(services/throttle.py, services/signin.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from reviewtool.errors import NotAuthenticated, TooManyAttempts
from reviewtool.models import AccountEvent, LoginFailure, utcnow
from reviewtool.services import throttle
from reviewtool.services.signin import sign_in
from tests.factories import PASSWORD, UserFactory

LIMITS = throttle.Limits(per_account=10, per_address=50, window=timedelta(minutes=15))
NOW = utcnow().replace(microsecond=0)


def failures(session, *, email="", address="10.0.0.1", at=None, count=1):
    for n in range(count):
        session.add(LoginFailure(email=email or f"x{n}@example.org", address=address,
                                 at=at or NOW))
    session.flush()


def settings_of(app):
    return app.extensions["reviewtool.settings"]


def test_locked_with_9_failures_in_the_window_is_free(session):
    failures(session, email="ann@example.org", count=9, at=NOW - timedelta(minutes=1))
    assert throttle.locked(session, "ann@example.org", "10.9.9.9", LIMITS, now=NOW) is None


def test_locked_with_10_failures_says_when_the_oldest_ages_out(session):
    failures(session, email="ann@example.org", count=5, at=NOW - timedelta(minutes=12))
    failures(session, email="ann@example.org", count=5, at=NOW - timedelta(minutes=2))
    lock = throttle.locked(session, "ann@example.org", "10.9.9.9", LIMITS, now=NOW)
    assert lock == throttle.Lock("account", 180)
    assert lock.message == ("Too many failed sign-ins for this account; try again in 3 "
                            "minutes.")


def test_locked_counts_only_failures_inside_the_window(session):
    failures(session, email="ann@example.org", count=9, at=NOW - timedelta(minutes=1))
    failures(session, email="ann@example.org", count=5, at=NOW - timedelta(minutes=15))
    assert throttle.locked(session, "ann@example.org", "10.9.9.9", LIMITS, now=NOW) is None


def test_locked_with_50_failures_from_one_address_locks_the_address(session):
    failures(session, address="10.0.0.7", count=50, at=NOW - timedelta(seconds=30))
    lock = throttle.locked(session, "new@example.org", "10.0.0.7", LIMITS, now=NOW)
    assert lock == throttle.Lock("address", 870)
    assert lock.message == ("Too many failed sign-ins from your network address; try again "
                            "in 15 minutes.")
    assert throttle.locked(session, "new@example.org", "10.0.0.8", LIMITS, now=NOW) is None


def test_lock_message_of_one_minute_is_singular():
    assert throttle.Lock("account", 59).message == (
        "Too many failed sign-ins for this account; try again in 1 minute.")


def test_record_failure_reports_reaching_each_limit_once(session):
    failures(session, email="ann@example.org", address="10.0.0.2", count=9)
    assert throttle.record_failure(session, "ann@example.org", "10.0.0.2", LIMITS) == [
        "account"]
    assert throttle.record_failure(session, "ann@example.org", "10.0.0.2", LIMITS) == []


def test_record_failure_deletes_failures_older_than_the_window(session):
    failures(session, email="old@example.org", count=3, at=NOW - timedelta(hours=2))
    throttle.record_failure(session, "ann@example.org", "10.0.0.2", LIMITS)
    assert session.scalar(select(func.count()).select_from(LoginFailure)) == 1


def test_sign_in_eleventh_attempt_is_429_even_with_the_right_password(session, app):
    user = UserFactory()
    for _ in range(10):
        with pytest.raises(NotAuthenticated):
            sign_in(session, user.email, "wrong-password", address="10.1.1.1",
                    settings=settings_of(app), via="page")
    with pytest.raises(TooManyAttempts) as caught:
        sign_in(session, user.email, PASSWORD, address="10.1.1.2", settings=settings_of(app),
                via="page")
    assert caught.value.status == 429
    assert caught.value.messages == [
        "Too many failed sign-ins for this account; try again in 15 minutes."]
    assert 880 <= caught.value.details["retry_after"] <= 900  # 10 argon2 checks ago


def test_sign_in_unknown_email_is_counted_like_a_real_one(session, app):
    for _ in range(10):
        with pytest.raises(NotAuthenticated) as caught:
            sign_in(session, "Ghost@Example.org", PASSWORD, address="10.1.1.1",
                    settings=settings_of(app), via="api")
        assert caught.value.messages == ["Wrong email or password."]
    with pytest.raises(TooManyAttempts):
        sign_in(session, "ghost@example.org", PASSWORD, address="10.1.1.3",
                settings=settings_of(app), via="api")


def test_sign_in_failures_and_lockout_are_audited(session, app):
    user = UserFactory()
    for _ in range(10):
        with pytest.raises(NotAuthenticated):
            sign_in(session, user.email, "wrong-password", address="10.1.1.1",
                    settings=settings_of(app), via="api")
    rows = session.scalars(select(AccountEvent).order_by(AccountEvent.id)).all()
    assert [(r.kind, r.user_id, r.email, r.address) for r in rows] == (
        [("login_failed", user.id, user.email, "10.1.1.1")] * 10
        + [("lockout", user.id, user.email, "10.1.1.1")])
    assert rows[0].data == {"via": "api", "reason": "wrong_password"}
    assert rows[-1].data == {"scope": "account", "failures": 10, "window_minutes": 15}


def test_sign_in_right_password_is_audited_as_login(session, app):
    user = UserFactory()
    assert sign_in(session, user.email.upper(), PASSWORD, address="10.1.1.4",
                   settings=settings_of(app), via="page") is user
    session.flush()
    row = session.scalar(select(AccountEvent))
    assert (row.kind, row.user_id, row.actor_id, row.email, row.address, row.data) == (
        "login", user.id, user.id, user.email, "10.1.1.4", {"via": "page"})


@pytest.mark.parametrize(("active", "password", "reason"), [
    (True, "wrong-password", "wrong_password"), (False, PASSWORD, "disabled")])
def test_sign_in_refusal_names_its_reason_in_the_audit_only(session, app, active, password,
                                                            reason):
    user = UserFactory(is_active=active)
    with pytest.raises(NotAuthenticated) as caught:
        sign_in(session, user.email, password, address="10.1.1.5", settings=settings_of(app),
                via="page")
    assert caught.value.messages == ["Wrong email or password."]
    assert session.scalar(select(AccountEvent.data)) == {"via": "page", "reason": reason}
