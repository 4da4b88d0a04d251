"""The account pages: sign-in limits on /login, session lifetimes, changing the password,
API tokens, forgotten passwords, and the admins' user pages."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from reviewtool import create_app
from reviewtool.models import AccountEvent, ApiToken, LoginFailure, OutboxMessage, PasswordReset
from tests.conftest import SECRET
from tests.factories import PASSWORD, UserFactory
from tests.web.test_pages import assert_every_control_labelled, page

NEW = "a-brand-new-secret"
LINK_RE = re.compile(r"/password/reset/([A-Za-z0-9_-]{43})")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def copy_of(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


# --- /login: limits ---------------------------------------------------------------------------

def test_login_page_offers_forgot_password(client, session):
    assert '<a href="/password/forgot">Forgot your password?</a>' in text_of(client.get("/login"))


def test_login_page_eleventh_failure_is_429_with_retry_after_even_with_right_password(
        client, session):
    user = UserFactory()
    for _ in range(10):
        response = client.post("/login", data={"email": user.email, "password": "wrong-one"})
        assert response.status_code == 401
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert 880 <= int(response.headers["Retry-After"]) <= 900
    assert page(response).alerts == [
        "Too many failed sign-ins for this account; try again in 15 minutes."]
    assert client.get("/").status_code == 302


def test_login_page_and_api_share_the_account_count(client, session):
    user = UserFactory()
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "wrong-one"})
    for _ in range(5):
        client.post("/api/v1/tokens", json={"email": user.email, "password": "wrong-one"})
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}).status_code == 429


def test_login_success_is_audited_with_the_address(client, session):
    user = UserFactory()
    client.post("/login", data={"email": user.email, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "10.6.6.6"})
    event = session.scalar(select(AccountEvent).where(AccountEvent.kind == "login"))
    assert (event.user_id, event.address, event.data) == (user.id, "10.6.6.6", {"via": "page"})


# --- session lifetimes ------------------------------------------------------------------------

def shift(client, **seconds_ago):
    with client.session_transaction() as stored:
        for key, ago in seconds_ago.items():
            stored[key] = int(time.time()) - ago


def test_session_idle_for_8_hours_is_sent_to_login_saying_why(login, session):
    client = login(UserFactory())
    shift(client, seen_at=8 * 3600)
    response = client.get("/projects")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fprojects"
    assert ("Your session ended after 8 hours without activity. Please sign in again."
            in text_of(client.get(response.headers["Location"])))
    assert client.get("/").status_code == 302


def test_session_older_than_7_days_is_sent_to_login_saying_why(login, session):
    client = login(UserFactory())
    shift(client, signed_in_at=7 * 86400, seen_at=60)
    response = client.get("/")
    assert (response.status_code, response.headers["Location"]) == (302, "/login?next=%2F")
    assert ("Your session has ended: a sign-in lasts at most 7 days. Please sign in again."
            in text_of(client.get("/login")))


def test_session_seen_is_written_again_only_after_five_minutes(login, session):
    client = login(UserFactory())
    shift(client, seen_at=60)
    client.get("/")
    with client.session_transaction() as stored:
        assert int(time.time()) - stored["seen_at"] >= 60
    shift(client, seen_at=301)
    client.get("/")
    with client.session_transaction() as stored:
        assert int(time.time()) - stored["seen_at"] <= 2


def test_session_cookie_without_times_is_ended(login, session):
    client = login(UserFactory())
    with client.session_transaction() as stored:
        del stored["signed_in_at"]
    assert client.get("/").status_code == 302
    assert "Your session has ended; please sign in again." in text_of(client.get("/login"))


# --- change password --------------------------------------------------------------------------

def test_change_password_page_labels_every_control(login, session):
    response = login(UserFactory()).get("/account/password")
    assert response.status_code == 200
    parsed = page(response)
    assert_every_control_labelled(parsed)
    assert [parsed.labels[i] for i in ("current_password", "new_password", "confirm")] == [
        "Current password", "New password", "New password again"]


def test_change_password_keeps_this_browser_and_ends_the_others(app, login, session, api):
    user = UserFactory()
    client = login(user)
    thief = copy_of(app, client)
    token = api(user).headers["Authorization"].split()[1]
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW, "confirm": NEW})
    assert (response.status_code, response.headers["Location"]) == (302, "/account")
    assert ("Your password is changed; your other sessions and API tokens have ended."
            in text_of(client.get("/account")))
    assert client.get("/").status_code == 200
    assert thief.get("/").status_code == 302
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    event = session.scalar(select(AccountEvent).where(AccountEvent.kind == "password_changed"))
    assert (event.user_id, event.data) == (user.id, {"via": "page", "tokens_revoked": 1})


@pytest.mark.parametrize(("data", "field", "message", "status"), [
    ({"current_password": "not-mine-at-all", "new_password": NEW, "confirm": NEW},
     "current_password", "That is not your current password.", 422),
    ({"current_password": PASSWORD, "new_password": NEW, "confirm": NEW + "x"},
     "confirm", "The two new passwords differ; type the same one twice.", 422),
    ({"current_password": PASSWORD, "new_password": "qwertyuiop", "confirm": "qwertyuiop"},
     "new_password", "That password is one of the most common ones, which attackers try "
                     "first; choose another.", 422),
])
def test_change_password_refused_shows_the_problem_beside_its_field(login, session, data,
                                                                    field, message, status):
    client = login(UserFactory())
    response = client.post("/account/password", data=data)
    assert response.status_code == status
    assert f'<p class="error" id="{field}-error">{message}</p>' in text_of(response).replace(
        "&#39;", "'")


# --- API tokens page --------------------------------------------------------------------------

def test_tokens_page_makes_a_token_shown_once_and_lists_it(login, session, client):
    user = UserFactory()
    signed = login(user)
    assert_every_control_labelled(page(signed.get("/account/tokens")))
    response = signed.post("/account/tokens", data={"name": "laptop", "expires_in_days": "30"})
    assert response.status_code == 201
    token = re.search(r'<code class="token">(rt_[^<]+)</code>', text_of(response)).group(1)
    assert client.get("/api/v1/me", headers=bearer(token)).json["id"] == user.id
    listing = text_of(signed.get("/account/tokens"))
    assert "<td>laptop</td>" in listing and token not in listing
    row = session.scalar(select(ApiToken))
    assert (row.expires_at - row.created_at).days == 30


@pytest.mark.parametrize("days", ["0", "366", "abc", ""])
def test_tokens_page_bad_days_is_422(login, session, days):
    response = login(UserFactory()).post("/account/tokens", data={"expires_in_days": days})
    assert response.status_code == 422
    assert "Expires after (days)" in " ".join(page(response).alerts)


def test_tokens_page_revokes_own_token_and_404s_someone_elses(login, session, api):
    user, other = UserFactory(), UserFactory()
    api(user), api(other)
    mine, theirs = (session.scalar(select(ApiToken.id).where(ApiToken.user_id == u.id))
                    for u in (user, other))
    client = login(user)
    response = client.post(f"/account/tokens/{mine}/revoke")
    assert (response.status_code, response.headers["Location"]) == (302, "/account/tokens")
    assert session.get(ApiToken, mine).revoked_at is not None
    assert client.post(f"/account/tokens/{theirs}/revoke").status_code == 404
    assert session.get(ApiToken, theirs).revoked_at is None


# --- forgotten password -----------------------------------------------------------------------

def test_forgot_page_answers_alike_for_known_and_unknown_accounts(client, session):
    user = UserFactory(email="known@example.org")
    assert_every_control_labelled(page(client.get("/password/forgot")))
    known = client.post("/password/forgot", data={"email": user.email})
    unknown = client.post("/password/forgot", data={"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert text_of(known).replace("known@", "X@") == text_of(unknown).replace("unknown@", "X@")
    assert [m.to_email for m in session.scalars(select(OutboxMessage))] == [user.email]


def reset_link(client, session, user) -> str:
    client.post("/password/forgot", data={"email": user.email})
    body = session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_email == user.email))
    return LINK_RE.search(body).group(0)


def test_reset_page_sets_the_password_once_and_ends_every_session(app, client, login,
                                                                   session):
    user = UserFactory()
    signed = login(user)
    thief = copy_of(app, signed)
    link = reset_link(app.test_client(), session, user)
    form = client.get(link)
    assert form.status_code == 200
    assert_every_control_labelled(page(form))
    response = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert thief.get("/").status_code == 302
    again = client.get(link)
    assert again.status_code == 410
    assert page(again).alerts == ["This password reset link has already been used. Ask for a "
                                  "new one if you need to."]
    assert client.post("/login", data={"email": user.email, "password": NEW}).status_code == 302


def test_reset_page_expired_link_is_410_and_says_so(client, session):
    user = UserFactory()
    link = reset_link(client, session, user)
    row = session.scalar(select(PasswordReset))
    row.expires_at = row.created_at
    session.flush()
    response = client.get(link)
    assert response.status_code == 410
    assert page(response).alerts == ["This password reset link has expired: links work for 1 "
                                     "hour. Ask for a new one below."]


def test_reset_page_unknown_link_is_404(client, session):
    response = client.get("/password/reset/" + "A" * 43)
    assert response.status_code == 404
    assert page(response).alerts == ["This password reset link is not valid. Ask for a new one "
                                     "below."]


# --- admins' user pages -----------------------------------------------------------------------

def test_admin_users_pages_need_the_admin_role(login, session):
    client = login(UserFactory(roles=("grantmaker",)))
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{UserFactory().id}").status_code == 403


def test_admin_users_list_filters_by_text(login, session):
    UserFactory(name="Zed Example", email="zed@example.org")
    html = text_of(login(UserFactory(roles=("admin",))).get("/admin/users?q=zed"))
    assert "zed@example.org" in html and "1 account matching “zed”" in html


def test_disabled_users_copied_cookie_is_refused_next_request_and_after_enabling(app, login,
                                                                                 session):
    user = UserFactory()
    victim = login(user)
    thief = copy_of(app, victim)
    assert thief.get("/").status_code == 200
    admin = app.test_client()
    admin_user = UserFactory(roles=("admin",))
    assert admin.post("/login", data={"email": admin_user.email,
                                      "password": PASSWORD}).status_code == 302
    assert_every_control_labelled(page(admin.get(f"/admin/users/{user.id}")))
    response = admin.post(f"/admin/users/{user.id}/disable")
    assert (response.status_code, response.headers["Location"]) == (
        302, f"/admin/users/{user.id}")
    assert thief.get("/").status_code == 302
    assert admin.post(f"/admin/users/{user.id}/enable").status_code == 302
    assert thief.get("/").status_code == 302
    assert victim.get("/").status_code == 302
    kinds = session.scalars(select(AccountEvent.kind).where(AccountEvent.user_id == user.id,
                                                            AccountEvent.actor_id
                                                            == admin_user.id)).all()
    assert kinds == ["disabled", "enabled"]


def test_admin_disabling_themselves_on_the_page_is_409(login, session):
    boss = UserFactory(roles=("admin",))
    response = login(boss).post(f"/admin/users/{boss.id}/disable")
    assert response.status_code == 409
    assert ("<li>You cannot disable your own account; ask another admin to do it.</li>"
            in text_of(response))


def test_admin_role_change_on_the_page(login, session):
    user = UserFactory(roles=("proposer",))
    client = login(UserFactory(roles=("admin",)))
    response = client.post(f"/admin/users/{user.id}/roles",
                           data={"roles": ["proposer", "reviewer"]})
    assert response.status_code == 302
    session.expire(user)
    assert user.roles == frozenset({"proposer", "reviewer"})
    empty = client.post(f"/admin/users/{user.id}/roles", data={})
    assert empty.status_code == 422
    assert "Give the user at least one role." in text_of(empty)


# --- behind a reverse proxy -------------------------------------------------------------------

@pytest.fixture
def proxied(app, session):
    """A client of an app like `app` but with TRUSTED_PROXIES=1, on the test's transaction."""
    behind = create_app({"DATABASE_URL": app.extensions["reviewtool.settings"].database_url,
                         "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing",
                         "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": app.instance_path,
                         "TRUSTED_PROXIES": "1"})
    behind.extensions["reviewtool.db"].sessionmaker = app.extensions["reviewtool.db"].sessionmaker
    yield behind.test_client()
    behind.extensions["reviewtool.db"].engine.dispose()


def test_trusted_proxy_failures_count_against_the_forwarded_address(proxied, session):
    user = UserFactory()
    response = proxied.post("/login", data={"email": user.email, "password": "wrong-one"},
                            headers={"X-Forwarded-For": "198.51.100.23"})
    assert response.status_code == 401
    assert session.scalars(select(LoginFailure.address)).all() == ["198.51.100.23"]
