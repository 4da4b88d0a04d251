"""Users, passwords, sessions and API tokens (services/accounts.py) on a real database."""

import hashlib

import pytest
from sqlalchemy import select, text

from reviewtool.errors import Conflict, Invalid
from reviewtool.models import ApiToken, User, utcnow
from reviewtool.services.accounts import (
    authenticate,
    create_user,
    end_sessions,
    issue_token,
    load_session_user,
    user_for_token,
)
from tests.factories import PASSWORD, UserFactory

GOOD_PASSWORD = "long-enough-password"


def new_user(session, email="ann@example.org", password=GOOD_PASSWORD, roles=("proposer",)):
    return create_user(session, email=email, password=password, roles=list(roles))


def test_create_user_stores_lowercased_email_roles_and_default_name(session):
    user = new_user(session, email="  Ann.Lee@Example.ORG ", roles=("reviewer", "proposer"))
    session.expire_all()
    stored = session.get(User, user.id)
    assert (stored.email, stored.name, stored.roles, stored.is_active) == (
        "ann.lee@example.org", "ann.lee", frozenset({"proposer", "reviewer"}), True)


def test_create_user_duplicate_email_other_case_raises_conflict(session):
    new_user(session, email="ann@example.org")
    with pytest.raises(Conflict) as caught:
        new_user(session, email="ANN@Example.Org")
    assert caught.value.messages == ["A user with email ann@example.org already exists."]
    assert session.scalar(select(User.id).where(User.email == "ann@example.org")) is not None


def test_create_user_unknown_role_raises_invalid(session):
    with pytest.raises(Invalid) as caught:
        new_user(session, roles=("proposer", "overlord"))
    assert caught.value.problems == [{
        "field": "roles",
        "message": "Unknown role 'overlord'; use one of proposer, reviewer, grantmaker, "
                   "builder, admin, panellist."}]


def test_create_user_no_role_raises_invalid(session):
    with pytest.raises(Invalid) as caught:
        new_user(session, roles=())
    assert caught.value.problems == [{"field": "roles",
                                      "message": "Give the user at least one role."}]


def test_create_user_bad_email_raises_invalid(session):
    with pytest.raises(Invalid) as caught:
        new_user(session, email="not-an-email")
    assert caught.value.problems == [{"field": "email",
                                      "message": "'not-an-email' is not an email address."}]


def test_create_user_password_of_7_characters_raises_invalid(session):
    with pytest.raises(Invalid) as caught:
        new_user(session, password="x" * 7)
    assert caught.value.problems == [{"field": "password",
                                      "message": "Use at least 8 characters for the password."}]


@pytest.mark.parametrize("password", ["pq7-wz3k", "p" * 128])
def test_create_user_password_at_length_limit_is_accepted(session, password):
    user = new_user(session, password=password)
    assert authenticate(session, "ann@example.org", password) is user


def test_create_user_password_of_129_characters_raises_invalid(session):
    with pytest.raises(Invalid) as caught:
        new_user(session, password="x" * 129)
    assert caught.value.problems == [{"field": "password",
                                      "message": "Use at most 128 characters for the password."}]


def test_create_user_password_is_stored_as_argon2id(session):
    user = new_user(session)
    stored = session.scalar(text("SELECT password_hash FROM users WHERE id = :id"),
                            {"id": user.id})
    assert stored.startswith("$argon2id$")
    assert GOOD_PASSWORD not in stored


def test_create_user_refused_writes_nothing(session):
    with pytest.raises(Invalid):
        new_user(session, password="short")
    assert session.scalar(select(User.id).where(User.email == "ann@example.org")) is None


def test_authenticate_right_password_returns_user(session):
    user = new_user(session)
    assert authenticate(session, "Ann@Example.org ", GOOD_PASSWORD) is user


def test_authenticate_wrong_password_returns_none(session):
    new_user(session)
    assert authenticate(session, "ann@example.org", GOOD_PASSWORD + "x") is None


def test_authenticate_unknown_email_returns_none(session):
    assert authenticate(session, "nobody@example.org", GOOD_PASSWORD) is None


def test_authenticate_inactive_user_returns_none(session):
    user = UserFactory(is_active=False)
    assert authenticate(session, user.email, PASSWORD) is None


@pytest.mark.parametrize("password", [None, "x" * 129, ""])
def test_authenticate_unusable_password_returns_none(session, password):
    user = UserFactory()
    assert authenticate(session, user.email, password) is None


def test_load_session_user_current_token_returns_user(session):
    user = UserFactory()
    assert load_session_user(session, user.get_id()) is user


def test_load_session_user_after_end_sessions_returns_none(session):
    user = UserFactory()
    old_cookie = user.get_id()
    end_sessions(user)
    session.flush()
    assert load_session_user(session, old_cookie) is None
    assert load_session_user(session, user.get_id()) is user


def test_load_session_user_inactive_returns_none(session):
    user = UserFactory(is_active=False)
    assert load_session_user(session, user.get_id()) is None


@pytest.mark.parametrize("cookie", ["", "abc", "1", "1:", ":token", "x:token", "999999:token"])
def test_load_session_user_malformed_cookie_returns_none(session, cookie):
    UserFactory()
    assert load_session_user(session, cookie) is None


def test_issue_token_stores_only_sha256(session):
    user = UserFactory()
    token = issue_token(session, user)
    rows = session.execute(text("SELECT * FROM api_tokens")).all()
    assert len(rows) == 1
    assert token.startswith("rt_")
    assert not any(token in str(value) for value in rows[0])
    assert session.scalar(select(ApiToken.token_hash)) == (
        hashlib.sha256(token.encode()).hexdigest())


def test_issue_token_twice_gives_different_tokens(session):
    user = UserFactory()
    assert issue_token(session, user) != issue_token(session, user)


def test_user_for_token_known_token_returns_user_and_marks_use(session):
    user = UserFactory()
    token = issue_token(session, user)
    assert user_for_token(session, token) is user
    assert session.scalar(select(ApiToken.last_used_at)) is not None


@pytest.mark.parametrize("token", ["", "rt_unknown", "x" * 201])
def test_user_for_token_unknown_token_returns_none(session, token):
    issue_token(session, UserFactory())
    assert user_for_token(session, token) is None


def test_user_for_token_revoked_token_returns_none(session):
    user = UserFactory()
    token = issue_token(session, user)
    session.scalar(select(ApiToken)).revoked_at = utcnow()
    session.flush()
    assert user_for_token(session, token) is None


def test_user_for_token_inactive_user_returns_none(session):
    user = UserFactory()
    token = issue_token(session, user)
    user.is_active = False
    session.flush()
    assert user_for_token(session, token) is None
