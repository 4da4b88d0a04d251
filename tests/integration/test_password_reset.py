"""Password reset by e-mail (services/password_reset.py): the same answer for every e-mail, a
mail only for an active account, a single-use link that expires, stored as its SHA-256."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from reviewtool.errors import Gone, Invalid, NotFound
from reviewtool.models import AccountEvent, ApiToken, OutboxMessage, PasswordReset, utcnow
from reviewtool.services.accounts import authenticate, load_session_user
from reviewtool.services.password_reset import request_reset, reset_password, usable_link
from reviewtool.services.tokens import issue_token, user_for_token
from tests.factories import UserFactory

NEW = "a-brand-new-secret"
LINK_RE = re.compile(r"http://localhost:5000/password/reset/([A-Za-z0-9_-]{43})")


def settings_of(app):
    return app.extensions["reviewtool.settings"]


def ask(session, app, email):
    request_reset(session, email, address="10.2.2.2", settings=settings_of(app))
    session.flush()
    mails = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [(m.to_email, m.subject, m.body) for m in mails]


def token_of(body: str) -> str:
    return LINK_RE.search(body).group(1)


def test_request_reset_for_active_account_queues_one_mail_with_a_link(session, app):
    user = UserFactory()
    [(to, subject, body)] = ask(session, app, user.email.upper())
    assert (to, subject) == (user.email, "Reset your reviewtool password")
    assert "Open this link within 1 hour to choose a new password (it works once):" in body
    row = session.scalar(select(PasswordReset))
    assert row.token_hash == hashlib.sha256(token_of(body).encode()).hexdigest()
    assert row.expires_at - row.created_at == timedelta(hours=1)
    assert token_of(body) not in str(session.execute(text("SELECT * FROM password_resets"))
                                     .all())


@pytest.mark.parametrize("which", ["unknown", "disabled"])
def test_request_reset_for_unknown_or_disabled_account_sends_nothing(session, app, which):
    email = UserFactory(is_active=False).email if which == "disabled" else "nobody@example.org"
    assert ask(session, app, email) == []
    assert session.scalar(select(PasswordReset.id)) is None
    event = session.scalar(select(AccountEvent))
    assert (event.kind, event.email, event.address, event.data) == (
        "password_reset_requested", email, "10.2.2.2", {"mailed": False})


def test_request_reset_twice_in_a_row_sends_one_mail(session, app):
    user = UserFactory()
    ask(session, app, user.email)
    assert len(ask(session, app, user.email)) == 1
    kinds = session.execute(select(AccountEvent.kind, AccountEvent.data)
                            .order_by(AccountEvent.id)).all()
    assert [k for k, _ in kinds] == ["password_reset_requested"] * 2
    assert kinds[1][1] == {"mailed": False, "reason": "recent"}


def test_reset_password_sets_it_and_ends_sessions_tokens_and_links(session, app):
    user = UserFactory()
    cookie, token = user.get_id(), issue_token(session, user)
    [(_, _, body)] = ask(session, app, user.email)
    reset_password(session, token_of(body), NEW, address="10.2.2.3", settings=settings_of(app))
    session.flush()
    assert authenticate(session, user.email, NEW) is user
    assert load_session_user(session, cookie) is None
    assert user_for_token(session, token) is None
    assert session.scalar(select(ApiToken.revoked_at)) is not None
    event = session.scalars(select(AccountEvent).order_by(AccountEvent.id.desc())).first()
    assert (event.kind, event.user_id, event.address, event.data) == (
        "password_reset", user.id, "10.2.2.3", {"tokens_revoked": 1})


def test_reset_link_used_once_is_gone_the_second_time(session, app):
    user = UserFactory()
    [(_, _, body)] = ask(session, app, user.email)
    reset_password(session, token_of(body), NEW, address="", settings=settings_of(app))
    with pytest.raises(Gone) as caught:
        reset_password(session, token_of(body), "another-new-secret", address="",
                       settings=settings_of(app))
    assert caught.value.status == 410
    assert caught.value.messages == ["This password reset link has already been used. Ask for "
                                     "a new one if you need to."]
    assert authenticate(session, user.email, NEW) is user


def test_reset_link_past_its_hour_is_gone(session, app):
    user = UserFactory()
    [(_, _, body)] = ask(session, app, user.email)
    row = session.scalar(select(PasswordReset))
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    with pytest.raises(Gone) as caught:
        usable_link(session, token_of(body), settings_of(app))
    assert caught.value.messages == ["This password reset link has expired: links work for "
                                     "1 hour. Ask for a new one below."]


@pytest.mark.parametrize("token", ["", "nope", "x" * 201])
def test_reset_link_unknown_is_not_found(session, app, token):
    with pytest.raises(NotFound) as caught:
        usable_link(session, token, settings_of(app))
    assert caught.value.messages == ["This password reset link is not valid. Ask for a new one "
                                     "below."]


def test_reset_with_a_common_password_is_refused_and_the_link_still_works(session, app):
    user = UserFactory()
    [(_, _, body)] = ask(session, app, user.email)
    with pytest.raises(Invalid) as caught:
        reset_password(session, token_of(body), "Password123", address="",
                       settings=settings_of(app))
    assert caught.value.problems == [{"field": "new_password", "message": (
        "That password is one of the most common ones, which attackers try first; choose "
        "another.")}]
    assert usable_link(session, token_of(body), settings_of(app)).user is user


def test_reset_of_an_earlier_link_ends_the_later_one_too(session, app):
    user = UserFactory()
    [(_, _, first)] = ask(session, app, user.email)
    session.scalar(select(PasswordReset)).created_at = utcnow() - timedelta(minutes=10)
    session.flush()
    second = ask(session, app, user.email)[1][2]
    reset_password(session, token_of(first), NEW, address="", settings=settings_of(app))
    with pytest.raises(Gone):
        usable_link(session, token_of(second), settings_of(app))
