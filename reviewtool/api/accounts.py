"""The caller (and their password), users (and what admins change about them), catalogues.
API tokens are in api/tokens.py."""

from __future__ import annotations

from flask import g

from reviewtool import db
from reviewtool.api.pipeline import bp, int_arg, json_body, str_arg
from reviewtool.errors import Invalid
from reviewtool.http.client import address
from reviewtool.http.pipeline import actor, settings
from reviewtool.models import User
from reviewtool.permissions import require
from reviewtool.services import accounts, user_admin
from reviewtool.services import catalogues as catalogues_service
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.signin import change_password


def user_json(user: User) -> dict:
    """A user as the API shows it."""
    return {"id": user.id, "email": user.email, "name": user.name, "roles": sorted(user.roles)}


@bp.get("/me")
def me():
    """The caller."""
    return user_json(actor())


@bp.post("/me/password")
def change_my_password():
    """{"current_password", "new_password"}: set a new password; every other session and API
    token of the caller ends (the token of this request keeps working)."""
    data = json_body()
    current, new = data.get("current_password"), data.get("new_password")
    if not isinstance(current, str) or not isinstance(new, str):
        raise Invalid(problems=[{"field": "current_password", "message": "Send "
                                 "'current_password' and 'new_password' as strings."}])
    revoked = change_password(db.session(), actor(), current, new, address=address(),
                              settings=settings(), via="api", keep_token=g.api_token_id)
    return {"message": "Your password is changed; your other sessions and API tokens have "
                       "ended.", "tokens_revoked": revoked}


def managed_user_json(user: User) -> dict:
    """A user as an admin sees it: with whether the account is active."""
    return {**user_json(user), "active": user.is_active}


@bp.patch("/users/<int:user_id>")
def update_user(user_id: int):
    """Admins: {"active"?: bool, "roles"?: [role]}; disabling or a role change ends the
    account's sessions and tokens; 409 for your own account's disabling or admin role."""
    user = user_admin.update_user(db.session(), actor(), user_id, json_body(),
                                  address=address())
    return managed_user_json(user)


@bp.get("/users")
def list_users():
    """Users, for grantmakers and admins (filters: role, q)."""
    require(actor(), "list_users")
    page, per_page = int_arg("page", 1), int_arg("per_page", 20, high=100)
    found = accounts.user_page(db.session(), role=str_arg("role"), q=str_arg("q"), page=page,
                               per_page=per_page)
    return {"items": [user_json(u) for u in found.items], "page": page, "per_page": per_page,
            "total": found.total}


@bp.get("/catalogues")
def catalogues():
    """Every catalogue as lists of {key, label}."""
    return load_catalogues(db.session()).as_json()


@bp.post("/catalogues/<name>")
def add_catalogue_entry(name: str):
    """Add an entry to catalogue `name` (admins): {key, label, description?, guidance?}."""
    data = json_body()
    extra = {k: data[k] for k in ("guidance",) if isinstance(data.get(k), str)}
    item = catalogues_service.add_entry(db.session(), actor(), name, data.get("key"),
                                        data.get("label"),
                                        description=data.get("description", ""), extra=extra)
    return {"catalogue": item.catalogue, "key": item.key, "label": item.label,
            **item.extra}, 201
