"""What admins do to accounts: disable, enable, change roles (pages, API and CLI alike).

Disabling ends every session, API token and reset link of the account, and enabling gives
none of them back: a cookie or token copied before stays dead. A role change ends sessions
and tokens too, so nothing keeps acting with roles the account no longer has (or was never
meant to have with the new ones). An admin cannot lock themselves out: disabling their own
account or dropping their own admin role is a 409."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from reviewtool.enums import Role
from reviewtool.errors import Conflict, Invalid, NotFound
from reviewtool.models import PasswordReset, User, UserRole
from reviewtool.models.types import is_valid_id
from reviewtool.permissions import require
from reviewtool.services.audit import record_account_event
from reviewtool.services.tokens import end_access

ROLE_NAMES = tuple(r.value for r in Role)
SELF_DISABLE = "You cannot disable your own account; ask another admin to do it."
SELF_DEMOTE = "You cannot remove your own admin role; ask another admin to do it."


def load_user(session: Session, admin: User, user_id: int) -> User:
    """The account `user_id`, for an admin (403 otherwise); NotFound when there is none."""
    require(admin, "manage_users")
    user = session.get(User, user_id) if is_valid_id(user_id) else None
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    return user


def _check_roles(roles: Any) -> list[str]:
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Invalid(problems=[{"field": "roles", "message": "roles must be a list of role "
                                 "names: " + ", ".join(ROLE_NAMES) + "."}])
    unknown = [r for r in roles if r not in ROLE_NAMES]
    if unknown:
        raise Invalid(problems=[{"field": "roles", "message": f"Unknown role {unknown[0]!r}; "
                                 "use one of " + ", ".join(ROLE_NAMES) + "."}])
    if not roles:
        raise Invalid(problems=[{"field": "roles",
                                 "message": "Give the user at least one role."}])
    return sorted(set(roles))


def set_active(session: Session, actor: User | None, user: User, active: bool, *,
               address: str = "", via: str = "page") -> bool:
    """Disable or enable `user`; return False when it already was so (nothing recorded)."""
    if actor is not None and actor.id == user.id and not active:
        raise Conflict(SELF_DISABLE)
    if user.is_active == active:
        return False
    user.is_active = active
    data: dict[str, Any] = {"via": via}
    if not active:
        data["tokens_revoked"] = end_access(session, user)
        session.execute(delete(PasswordReset).where(PasswordReset.user_id == user.id))
    record_account_event(session, "enabled" if active else "disabled", user=user, actor=actor,
                         email=user.email, address=address, data=data)
    session.flush()
    return True


def set_roles(session: Session, actor: User | None, user: User, roles: Any, *,
              address: str = "", via: str = "page") -> bool:
    """Give `user` exactly `roles`; return False when they already had them."""
    after = _check_roles(roles)
    if actor is not None and actor.id == user.id and Role.ADMIN not in after:
        raise Conflict(SELF_DEMOTE)
    before = sorted(user.roles)
    if before == after:
        return False
    user.role_rows = [row for row in user.role_rows if row.role in after] + [
        UserRole(role=r) for r in after if r not in before]
    revoked = end_access(session, user)
    record_account_event(session, "roles_changed", user=user, actor=actor, email=user.email,
                         address=address, data={"before": before, "after": after,
                                                "via": via, "tokens_revoked": revoked})
    session.flush()
    return True


def update_user(session: Session, admin: User, user_id: int, changes: dict[str, Any], *,
                address: str = "") -> User:
    """PATCH /users/{id}: {"active"?, "roles"?}, checked whole before anything changes."""
    user = load_user(session, admin, user_id)
    unknown = sorted(set(changes) - {"active", "roles"})
    if unknown:
        raise Invalid(problems=[{"field": unknown[0], "message": f"Unknown field "
                                 f"{unknown[0]!r}; send 'active' and/or 'roles'."}])
    if "active" in changes and not isinstance(changes["active"], bool):
        raise Invalid(problems=[{"field": "active", "message": "active must be true or false."}])
    roles = _check_roles(changes["roles"]) if "roles" in changes else None
    if admin.id == user.id and changes.get("active") is False:
        raise Conflict(SELF_DISABLE)
    if admin.id == user.id and roles is not None and Role.ADMIN not in roles:
        raise Conflict(SELF_DEMOTE)
    if roles is not None:
        set_roles(session, admin, user, roles, address=address, via="api")
    if "active" in changes:
        set_active(session, admin, user, changes["active"], address=address, via="api")
    return user
