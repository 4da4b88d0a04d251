"""API tokens: exchange an e-mail and password for one (within the sign-in limits), make one
with a token, list, revoke."""

from __future__ import annotations

from typing import Any

from flask import request

from reviewtool import db
from reviewtool.api.accounts import user_json
from reviewtool.api.pipeline import bearer, bp, json_body
from reviewtool.errors import Invalid
from reviewtool.http.client import address
from reviewtool.http.pipeline import actor, settings
from reviewtool.models import ApiToken
from reviewtool.services import tokens
from reviewtool.services.signin import sign_in


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def token_json(row: ApiToken) -> dict[str, Any]:
    """A token as the API lists it: never the token itself (only its hash is stored)."""
    return {"id": row.id, "name": row.name, "created_at": _when(row.created_at),
            "last_used_at": _when(row.last_used_at), "expires_at": _when(row.expires_at)}


@bp.post("/tokens")
def create_token():
    """A new API token, for {"email", "password"} or for the caller's bearer token; optional
    "name" and "expires_in_days" (default 90, at most 365)."""
    data = json_body()
    name = data.get("name", "")
    days = data.get("expires_in_days", tokens.TOKEN_DAYS_DEFAULT)
    problems = tokens.token_problems(name, days)
    if "email" in data or "password" in data or "Authorization" not in request.headers:
        email, password = data.get("email"), data.get("password")
        if not isinstance(email, str) or not isinstance(password, str):
            problems.insert(0, {"field": "email", "message": "Send 'email' and 'password' "
                                "as strings."})
        if problems:
            raise Invalid(problems=problems)
        user = sign_in(db.session(), email, password, address=address(),
                       settings=settings(), via="api")
        via = "password"
    else:
        user = bearer()
        if problems:
            raise Invalid(problems=problems)
        via = "token"
    issued = tokens.create_token(db.session(), user, name=name, days=days, actor=user,
                                 address=address(), via=via)
    return {"token": issued.token, "user": user_json(user), **token_json(issued.row)}, 201


@bp.get("/tokens")
def list_tokens():
    """The caller's tokens that were not revoked, newest first."""
    return {"items": [token_json(row) for row in tokens.list_tokens(db.session(), actor())]}


@bp.delete("/tokens/<int:token_id>")
def revoke_token(token_id: int):
    """Revoke one of the caller's tokens (404 for anyone else's)."""
    row = tokens.revoke_token(db.session(), actor(), token_id, address=address())
    return {**token_json(row), "revoked_at": _when(row.revoked_at)}
