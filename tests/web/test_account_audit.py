"""Every account event reaches the audit trail through a real request, with the client's
address: one request per kind, and the chain still verifies afterwards."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from reviewtool.models import AccountEvent, OutboxMessage
from reviewtool.services.audit import verify
from tests.factories import PASSWORD, UserFactory

ADDRESS = "192.0.2.7"
NEW = "a-brand-new-secret"


def post(client, url, **kwargs):
    return client.post(url, environ_base={"REMOTE_ADDR": ADDRESS}, **kwargs)


def sign_in(client, user, password=PASSWORD):
    return post(client, "/login", data={"email": user.email, "password": password})


def _login(client, session, user, admin):
    sign_in(client, user)
    return user.id, user.id, {"via": "page"}


def _login_failed(client, session, user, admin):
    sign_in(client, user, "wrong-password")
    return user.id, None, {"via": "page", "reason": "wrong_password"}


def _lockout(client, session, user, admin):
    for _ in range(10):
        sign_in(client, user, "wrong-password")
    return user.id, None, {"scope": "account", "failures": 10, "window_minutes": 15}


def _password_changed(client, session, user, admin):
    sign_in(client, user)
    post(client, "/account/password", data={"current_password": PASSWORD,
                                            "new_password": NEW, "confirm": NEW})
    return user.id, user.id, {"via": "page", "tokens_revoked": 0}


def _password_reset_requested(client, session, user, admin):
    post(client, "/password/forgot", data={"email": user.email})
    return user.id, None, None  # data: mailed, and the link's expiry


def _password_reset(client, session, user, admin):
    post(client, "/password/forgot", data={"email": user.email})
    body = session.scalar(select(OutboxMessage.body))
    link = re.search(r"/password/reset/[A-Za-z0-9_-]+", body).group(0)
    post(client, link, data={"new_password": NEW, "confirm": NEW})
    return user.id, user.id, {"tokens_revoked": 0}


def _disabled(client, session, user, admin):
    sign_in(client, admin)
    post(client, f"/admin/users/{user.id}/disable")
    return user.id, admin.id, {"via": "page", "tokens_revoked": 0}


def _enabled(client, session, user, admin):
    sign_in(client, admin)
    post(client, f"/admin/users/{user.id}/disable")
    post(client, f"/admin/users/{user.id}/enable")
    return user.id, admin.id, {"via": "page"}


def _roles_changed(client, session, user, admin):
    sign_in(client, admin)
    post(client, f"/admin/users/{user.id}/roles", data={"roles": ["builder"]})
    return user.id, admin.id, {"before": ["proposer"], "after": ["builder"], "via": "page",
                               "tokens_revoked": 0}


def _token_created(client, session, user, admin):
    post(client, "/api/v1/tokens", json={"email": user.email, "password": PASSWORD,
                                         "name": "audit"})
    return user.id, user.id, None  # data carries the new token's id and expiry


def _token_revoked(client, session, user, admin):
    made = post(client, "/api/v1/tokens", json={"email": user.email, "password": PASSWORD,
                                                "name": "gone"}).json
    client.delete(f"/api/v1/tokens/{made['id']}", environ_base={"REMOTE_ADDR": ADDRESS},
                  headers={"Authorization": f"Bearer {made['token']}"})
    return user.id, user.id, {"token_id": made["id"], "name": "gone"}


ACTIONS = {"login": _login, "login_failed": _login_failed, "lockout": _lockout,
           "password_changed": _password_changed,
           "password_reset_requested": _password_reset_requested,
           "password_reset": _password_reset, "disabled": _disabled, "enabled": _enabled,
           "roles_changed": _roles_changed, "token_created": _token_created,
           "token_revoked": _token_revoked}


@pytest.mark.parametrize("kind", sorted(ACTIONS))
def test_account_event_is_recorded_with_the_client_address(client, session, kind):
    user, admin = UserFactory(), UserFactory(roles=("admin",))
    user_id, actor_id, data = ACTIONS[kind](client, session, user, admin)
    [event] = session.scalars(select(AccountEvent).where(AccountEvent.kind == kind)
                              .order_by(AccountEvent.id.desc()).limit(1))
    assert (event.user_id, event.actor_id, event.email, event.address) == (
        user_id, actor_id, user.email, ADDRESS)
    if data is not None:
        assert event.data == data
    elif kind == "password_reset_requested":
        assert (set(event.data), event.data["mailed"]) == ({"mailed", "expires_at"}, True)
    else:
        assert set(event.data) == {"token_id", "name", "via", "expires_at"}
    assert verify(session).broken is None
