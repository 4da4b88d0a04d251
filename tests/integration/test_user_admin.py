"""Admins disable, enable and change the roles of accounts (services/user_admin.py): sessions
and tokens end and stay ended; an admin cannot lock themselves out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reviewtool.errors import Conflict, Forbidden, Invalid, NotFound
from reviewtool.models import AccountEvent, PasswordReset, utcnow
from reviewtool.services.accounts import load_session_user
from reviewtool.services.tokens import issue_token, user_for_token
from reviewtool.services.user_admin import set_active, set_roles, update_user
from tests.factories import UserFactory


def admin():
    return UserFactory(roles=("admin",))


def events(session):
    return [(e.kind, e.user_id, e.actor_id, e.data) for e in
            session.scalars(select(AccountEvent).where(AccountEvent.kind.in_(
                ("disabled", "enabled", "roles_changed"))).order_by(AccountEvent.id))]


def test_disable_ends_sessions_and_tokens_and_enabling_gives_none_back(session):
    boss, user = admin(), UserFactory()
    cookie, token = user.get_id(), issue_token(session, user)
    assert set_active(session, boss, user, False, address="10.3.3.3") is True
    assert (load_session_user(session, cookie), user_for_token(session, token)) == (None, None)
    assert set_active(session, boss, user, True, address="10.3.3.3") is True
    assert user.is_active is True
    assert (load_session_user(session, cookie), user_for_token(session, token)) == (None, None)
    assert events(session) == [("disabled", user.id, boss.id, {"via": "page",
                                                                "tokens_revoked": 1}),
                               ("enabled", user.id, boss.id, {"via": "page"})]


def test_disable_deletes_outstanding_reset_links(session):
    user = UserFactory()
    session.add(PasswordReset(user_id=user.id, token_hash="0" * 64, expires_at=utcnow()))
    session.flush()
    set_active(session, None, user, False, via="cli")
    assert session.scalar(select(PasswordReset.id)) is None


def test_disable_twice_changes_and_records_nothing_the_second_time(session):
    user = UserFactory()
    set_active(session, None, user, False, via="cli")
    assert set_active(session, None, user, False, via="cli") is False
    assert [kind for kind, *_ in events(session)] == ["disabled"]


def test_admin_disabling_themselves_is_409(session):
    boss = admin()
    with pytest.raises(Conflict) as caught:
        set_active(session, boss, boss, False)
    assert caught.value.messages == ["You cannot disable your own account; ask another admin "
                                     "to do it."]
    assert boss.is_active is True


def test_role_change_records_before_and_after_and_ends_access(session):
    boss, user = admin(), UserFactory(roles=("proposer",))
    cookie, token = user.get_id(), issue_token(session, user)
    assert set_roles(session, boss, user, ["reviewer", "proposer", "reviewer"]) is True
    session.flush()
    session.expire(user)
    assert user.roles == frozenset({"proposer", "reviewer"})
    assert (load_session_user(session, cookie), user_for_token(session, token)) == (None, None)
    assert events(session) == [("roles_changed", user.id, boss.id, {
        "before": ["proposer"], "after": ["proposer", "reviewer"], "via": "page",
        "tokens_revoked": 1})]


def test_same_roles_again_change_nothing(session):
    user = UserFactory(roles=("proposer", "builder"))
    cookie = user.get_id()
    assert set_roles(session, admin(), user, ["builder", "proposer"]) is False
    assert load_session_user(session, cookie) is user
    assert events(session) == []


def test_admin_removing_their_own_admin_role_is_409(session):
    boss = UserFactory(roles=("admin", "grantmaker"))
    with pytest.raises(Conflict) as caught:
        set_roles(session, boss, boss, ["grantmaker"])
    assert caught.value.messages == ["You cannot remove your own admin role; ask another admin "
                                     "to do it."]


@pytest.mark.parametrize(("roles", "message"), [
    ([], "Give the user at least one role."),
    (["wizard"], "Unknown role 'wizard'; use one of proposer, reviewer, grantmaker, builder, "
                 "admin, panellist."),
    ("admin", "roles must be a list of role names: proposer, reviewer, grantmaker, builder, "
              "admin, panellist."),
])
def test_bad_roles_are_422(session, roles, message):
    with pytest.raises(Invalid) as caught:
        set_roles(session, admin(), UserFactory(), roles)
    assert caught.value.problems == [{"field": "roles", "message": message}]


def test_update_user_by_a_grantmaker_is_403(session):
    with pytest.raises(Forbidden) as caught:
        update_user(session, UserFactory(roles=("grantmaker",)), UserFactory().id,
                    {"active": False})
    assert caught.value.messages == ["This needs the admin role."]


@pytest.mark.parametrize("user_id", [999_999, 0, 2**31])
def test_update_unknown_user_is_404(session, user_id):
    with pytest.raises(NotFound):
        update_user(session, admin(), user_id, {"active": False})


@pytest.mark.parametrize(("changes", "problem"), [
    ({"active": "no"}, {"field": "active", "message": "active must be true or false."}),
    ({"name": "x"}, {"field": "name", "message": "Unknown field 'name'; send 'active' and/or "
                                                 "'roles'."}),
])
def test_update_user_bad_fields_are_422(session, changes, problem):
    with pytest.raises(Invalid) as caught:
        update_user(session, admin(), UserFactory().id, changes)
    assert caught.value.problems == [problem]


def test_update_user_self_disable_with_role_change_changes_nothing(session):
    boss = UserFactory(roles=("admin",))
    with pytest.raises(Conflict):
        update_user(session, boss, boss.id, {"roles": ["admin", "reviewer"], "active": False})
    assert boss.roles == frozenset({"admin"})
