"""Tokens, the caller, users and catalogues."""

from __future__ import annotations

from reviewtool import db
from reviewtool.api.pipeline import bp, int_arg, json_body, str_arg
from reviewtool.errors import Invalid, NotAuthenticated
from reviewtool.http.pipeline import actor
from reviewtool.models import User
from reviewtool.permissions import require
from reviewtool.services import accounts
from reviewtool.services import catalogues as catalogues_service
from reviewtool.services.catalogues import load_catalogues


def user_json(user: User) -> dict:
    """A user as the API shows it."""
    return {"id": user.id, "email": user.email, "name": user.name, "roles": sorted(user.roles)}


@bp.post("/tokens")
def create_token():
    """Exchange an email and password for a new API token."""
    data = json_body()
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        raise Invalid(problems=[{"field": "email", "message": "Send 'email' and 'password' "
                                 "as strings."}])
    user = accounts.authenticate(db.session(), email, password)
    if user is None:
        raise NotAuthenticated("Wrong email or password.")
    token = accounts.issue_token(db.session(), user)
    return {"token": token, "user": user_json(user)}, 201


@bp.get("/me")
def me():
    """The caller."""
    return user_json(actor())


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
