"""The account API: tokens (named, expiring, listed, revocable), the sign-in limits on
POST /tokens, POST /me/password, and admins' PATCH /users/{id}."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from reviewtool.models import AccountEvent, ApiToken, LoginFailure, utcnow
from tests.factories import PASSWORD, UserFactory

NEW = "a-brand-new-secret"


def exchange(client, user, *, password=PASSWORD, address="127.0.0.1", **extra):
    return client.post("/api/v1/tokens", json={"email": user.email, "password": password,
                                               **extra},
                       environ_base={"REMOTE_ADDR": address})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# --- tokens -----------------------------------------------------------------------------------

def test_post_tokens_with_name_and_days_answers_201_with_the_token_once(client, session):
    user = UserFactory()
    response = exchange(client, user, name=" nightly export ", expires_in_days=30)
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"token", "user", "id", "name", "created_at", "last_used_at",
                         "expires_at"}
    assert (body["name"], body["last_used_at"], body["user"]["email"]) == (
        "nightly export", None, user.email)
    made, expires = (datetime.fromisoformat(body[k]) for k in ("created_at", "expires_at"))
    assert expires - made == timedelta(days=30)
    assert client.get("/api/v1/me", headers=bearer(body["token"])).json["id"] == user.id


def test_post_tokens_without_days_expires_in_90(client, session):
    body = exchange(client, UserFactory()).json
    made, expires = (datetime.fromisoformat(body[k]) for k in ("created_at", "expires_at"))
    assert (expires - made, body["name"]) == (timedelta(days=90), "")


@pytest.mark.parametrize("days", [0, 366, "30", True, 1.5, None])
def test_post_tokens_bad_days_is_422(client, session, days):
    response = exchange(client, UserFactory(), expires_in_days=days)
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "expires_in_days", "message": (
        "expires_in_days must be a whole number of days from 1 to 365.")}]}


@pytest.mark.parametrize("name", ["n" * 101, 7, ["x"]])
def test_post_tokens_bad_name_is_422(client, session, name):
    response = exchange(client, UserFactory(), name=name)
    assert response.json == {"errors": [{"field": "name", "message": (
        "Give the token a name of at most 100 characters (or none).")}]}


def test_post_tokens_with_the_callers_token_makes_another(client, session, api):
    user = UserFactory()
    response = api(user).post("/tokens", json={"name": "ci", "expires_in_days": 7})
    assert (response.status_code, response.json["name"], response.json["user"]["id"]) == (
        201, "ci", user.id)


def test_post_tokens_with_a_revoked_token_is_401(client, session):
    user = UserFactory()
    first = exchange(client, user).json
    client.delete(f"/api/v1/tokens/{first['id']}", headers=bearer(first["token"]))
    response = client.post("/api/v1/tokens", json={}, headers=bearer(first["token"]))
    assert response.status_code == 401


def test_get_tokens_lists_own_live_tokens_newest_first_without_secrets(client, session, api):
    user, other = UserFactory(), UserFactory()
    exchange(client, other, name="not mine")
    first = exchange(client, user, name="first").json
    second = exchange(client, user, name="second").json
    response = client.get("/api/v1/tokens", headers=bearer(second["token"]))
    assert response.status_code == 200
    items = response.json["items"]
    assert [i["name"] for i in items] == ["second", "first"]
    assert set(items[0]) == {"id", "name", "created_at", "last_used_at", "expires_at"}
    assert items[0]["last_used_at"] is not None and items[1]["last_used_at"] is None
    assert first["token"] not in response.get_data(as_text=True)
    hashes = session.scalars(select(ApiToken.token_hash)).all()
    assert not any(h in response.get_data(as_text=True) for h in hashes)


def test_delete_token_revokes_it_at_the_next_request(client, session):
    user = UserFactory()
    keep, drop = exchange(client, user, name="keep").json, exchange(client, user, name="x").json
    response = client.delete(f"/api/v1/tokens/{drop['id']}", headers=bearer(keep["token"]))
    assert response.status_code == 200
    assert (response.json["id"], response.json["revoked_at"] is not None) == (drop["id"], True)
    assert client.get("/api/v1/me", headers=bearer(drop["token"])).status_code == 401
    assert [i["name"] for i in client.get("/api/v1/tokens", headers=bearer(keep["token"]))
            .json["items"]] == ["keep"]
    event = session.scalars(select(AccountEvent).where(AccountEvent.kind == "token_revoked"))
    assert [(e.user_id, e.actor_id, e.address, e.data) for e in event] == [
        (user.id, user.id, "127.0.0.1", {"token_id": drop["id"], "name": "x"})]


@pytest.mark.parametrize("whose", ["someone else's", "unknown", "already revoked"])
def test_delete_token_not_yours_is_404(client, session, api, whose):
    user = UserFactory()
    mine = exchange(client, user).json
    target = {"someone else's": lambda: exchange(client, UserFactory()).json["id"],
              "unknown": lambda: 999_999,
              "already revoked": lambda: exchange(client, user).json["id"]}[whose]()
    if whose == "already revoked":
        client.delete(f"/api/v1/tokens/{target}", headers=bearer(mine["token"]))
    response = client.delete(f"/api/v1/tokens/{target}", headers=bearer(mine["token"]))
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": f"You have no API token {target}."}]}


def test_expired_token_is_401(client, session):
    body = exchange(client, UserFactory()).json
    session.get(ApiToken, body["id"]).expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    response = client.get("/api/v1/me", headers=bearer(body["token"]))
    assert response.status_code == 401
    assert response.json == {"errors": [{"message": "That API token is not valid (revoked, "
                                                    "expired, mistyped or unknown)."}]}


# --- the sign-in limits on POST /tokens -------------------------------------------------------

def test_post_tokens_eleventh_failure_is_429_with_retry_after_even_with_right_password(
        client, session):
    user = UserFactory()
    for _ in range(10):
        assert exchange(client, user, password="wrong-password").status_code == 401
    for password in ("wrong-password", PASSWORD):
        response = exchange(client, user, password=password, address="10.4.4.4")
        assert response.status_code == 429
        assert response.json == {"errors": [{"message": (
            "Too many failed sign-ins for this account; try again in 15 minutes.")}]}
        assert 880 <= int(response.headers["Retry-After"]) <= 900


def test_post_tokens_failures_are_kept_although_the_request_rolls_back(client, session):
    user = UserFactory()
    assert exchange(client, user, password="wrong-password").status_code == 401
    assert session.execute(select(LoginFailure.email, LoginFailure.address)).all() == [
        (user.email, "127.0.0.1")]
    assert session.scalars(select(AccountEvent.kind)).all() == ["login_failed"]
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_post_tokens_limit_per_address_refuses_every_account_from_it(client, session):
    for n in range(49):
        session.add(LoginFailure(email=f"spray{n}@example.org", address="10.5.5.5",
                                 at=utcnow()))
    session.flush()
    assert exchange(client, UserFactory(), password="wrong-password",
                    address="10.5.5.5").status_code == 401
    fresh = UserFactory()
    response = exchange(client, fresh, address="10.5.5.5")
    assert response.status_code == 429
    assert response.json["errors"][0]["message"] == (
        "Too many failed sign-ins from your network address; try again in 15 minutes.")
    assert int(response.headers["Retry-After"]) >= 890
    assert exchange(client, fresh, address="10.5.5.6").status_code == 201
    lockouts = session.scalars(select(AccountEvent).where(AccountEvent.kind == "lockout"))
    assert [(e.address, e.data) for e in lockouts] == [
        ("10.5.5.5", {"scope": "address", "failures": 50, "window_minutes": 15})]


def test_post_tokens_unknown_email_and_wrong_password_answer_alike(client, session):
    wrong = exchange(client, UserFactory(), password="wrong-password")
    unknown = client.post("/api/v1/tokens", json={"email": "ghost@example.org",
                                                  "password": PASSWORD})
    assert (wrong.status_code, wrong.json) == (unknown.status_code, unknown.json) == (
        401, {"errors": [{"message": "Wrong email or password."}]})


# --- POST /me/password ------------------------------------------------------------------------

def test_change_password_ends_other_tokens_and_keeps_the_one_in_use(client, session, login):
    user = UserFactory()
    other, used = exchange(client, user).json["token"], exchange(client, user).json["token"]
    browser = login(user)
    response = client.post("/api/v1/me/password", headers=bearer(used), json={
        "current_password": PASSWORD, "new_password": NEW})
    assert response.status_code == 200
    assert response.json == {"message": "Your password is changed; your other sessions and API "
                                        "tokens have ended.", "tokens_revoked": 1}
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(used)).status_code == 200
    assert browser.get("/").status_code == 302
    assert exchange(client, user, password=NEW).status_code == 201
    event = session.scalar(select(AccountEvent).where(AccountEvent.kind == "password_changed"))
    assert (event.user_id, event.actor_id, event.address, event.data) == (
        user.id, user.id, "127.0.0.1", {"via": "api", "tokens_revoked": 1})


@pytest.mark.parametrize(("body", "problem"), [
    ({"current_password": "not-it-at-all", "new_password": NEW},
     {"field": "current_password", "message": "That is not your current password."}),
    ({"current_password": PASSWORD, "new_password": "iloveyou123"},
     {"field": "new_password", "message": "That password is one of the most common ones, "
                                          "which attackers try first; choose another."}),
    ({"current_password": PASSWORD, "new_password": "short"},
     {"field": "new_password", "message": "Use at least 8 characters for the password."}),
    ({"current_password": PASSWORD, "new_password": PASSWORD},
     {"field": "new_password", "message": "Choose a new password that differs from the "
                                          "current one."}),
    ({"current_password": PASSWORD},
     {"field": "current_password", "message": "Send 'current_password' and 'new_password' "
                                              "as strings."}),
])
def test_change_password_refused_is_422_and_changes_nothing(client, session, api, body,
                                                            problem):
    user = UserFactory()
    response = api(user).post("/me/password", json=body)
    assert (response.status_code, response.json) == (422, {"errors": [problem]})
    assert exchange(client, user).status_code == 201


def test_change_password_wrong_current_counts_toward_the_account_limit(client, session, api):
    user = UserFactory()
    caller = api(user)
    for _ in range(10):
        caller.post("/me/password", json={"current_password": "guess-guess",
                                          "new_password": NEW})
    response = caller.post("/me/password", json={"current_password": PASSWORD,
                                                 "new_password": NEW})
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert exchange(client, user).status_code == 429


# --- PATCH /users/{id} ------------------------------------------------------------------------

def test_disabled_users_token_is_refused_at_the_next_request_and_after_enabling(client,
                                                                               session, api):
    user, admin = UserFactory(), api(UserFactory(roles=("admin",)))
    token = exchange(client, user).json["token"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    response = admin.patch(f"/users/{user.id}", json={"active": False})
    assert response.status_code == 200
    assert response.json == {"id": user.id, "email": user.email, "name": user.name,
                             "roles": ["proposer"], "active": False}
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert exchange(client, user).status_code == 401
    assert admin.patch(f"/users/{user.id}", json={"active": True}).json["active"] is True
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert exchange(client, user).status_code == 201


def test_patch_roles_ends_tokens_and_answers_the_new_roles(client, session, api):
    user = UserFactory(roles=("proposer",))
    token = exchange(client, user).json["token"]
    response = api(UserFactory(roles=("admin",))).patch(
        f"/users/{user.id}", json={"roles": ["reviewer", "proposer"]})
    assert (response.status_code, response.json["roles"]) == (200, ["proposer", "reviewer"])
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize(("body", "message"), [
    ({"active": False}, "You cannot disable your own account; ask another admin to do it."),
    ({"roles": ["grantmaker"]}, "You cannot remove your own admin role; ask another admin to "
                                "do it."),
])
def test_patch_own_account_lockout_is_409(client, session, api, body, message):
    me = UserFactory(roles=("admin", "grantmaker"))
    response = api(me).patch(f"/users/{me.id}", json=body)
    assert (response.status_code, response.json) == (409, {"errors": [{"message": message}]})


def test_patch_unknown_user_is_404(client, session, api):
    response = api(UserFactory(roles=("admin",))).patch("/users/999999", json={"active": True})
    assert response.status_code == 404


def test_patch_users_body_not_an_object_is_422(client, session, api):
    response = api(UserFactory(roles=("admin",))).patch(f"/users/{UserFactory().id}",
                                                        json=["active"])
    assert response.status_code == 422


# --- the OpenAPI document describes these answers ---------------------------------------------

def schema_keys(client, name):
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"][name]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])
    return set(schema["properties"])


def test_account_answers_have_exactly_the_documented_keys(client, session, api):
    user, admin = UserFactory(), api(UserFactory(roles=("admin",)))
    made = exchange(client, user).json
    assert set(made) == schema_keys(client, "NewToken")
    assert set(made["user"]) == {"id", "email", "name", "roles"}
    listed = client.get("/api/v1/tokens", headers=bearer(made["token"])).json
    assert set(listed["items"][0]) == schema_keys(client, "Token")
    other = exchange(client, user).json
    revoked = client.delete(f"/api/v1/tokens/{other['id']}", headers=bearer(made["token"]))
    assert set(revoked.json) == schema_keys(client, "RevokedToken")
    patched = admin.patch(f"/users/{user.id}", json={"roles": ["proposer"]}).json
    assert set(patched) == schema_keys(client, "ManagedUser")
    changed = client.post("/api/v1/me/password", headers=bearer(made["token"]), json={
        "current_password": PASSWORD, "new_password": NEW}).json
    documented = client.get("/api/v1/openapi.json").json["paths"]["/me/password"]["post"]
    assert set(changed) == set(documented["responses"]["200"]["content"]["application/json"]
                               ["schema"]["properties"])
