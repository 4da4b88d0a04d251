"""The JSON face's pipeline: the blueprint, bearer-token authentication (401), the JSON body
and query parameters. reviewtool/http then loads the project and checks each route's rule,
and commits once after a successful answer; handlers parse, call one service and shape the
answer (api/serialize.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from reviewtool import db
from reviewtool.errors import Invalid, NotAuthenticated
from reviewtool.http.pipeline import actor
from reviewtool.inputs import NUMBER_MAX, whole_number
from reviewtool.models import User
from reviewtool.services.tokens import token_row

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Endpoints that answer without a token.
PUBLIC_ENDPOINTS = {"api.create_token", "api.openapi"}


@bp.before_request
def authenticate() -> None:
    """Resolve the bearer token into g.actor (and g.api_token_id, the token in use); 401 when
    it is missing, unknown, revoked or expired, or its account is disabled."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    bearer()


def bearer() -> User:
    """The user of the request's bearer token, made the actor; 401 otherwise."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated()
    row = token_row(db.session(), token.strip())
    if row is None:
        raise NotAuthenticated("That API token is not valid (revoked, expired, mistyped or "
                               "unknown).")
    g.actor, g.api_token_id = row.user, row.id
    return row.user


def current_user() -> User:
    """The user the request's token belongs to."""
    return actor()


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 422 that says what to send."""
    too_deep = f"The JSON body is nested too deeply (at most {MAX_DEPTH} levels)."
    try:
        data = request.get_json(silent=True)
        if isinstance(data, dict) and _depth(data) > MAX_DEPTH:
            raise Invalid(too_deep)
    except RecursionError:  # a body of a thousand nested brackets fails in the parser itself
        raise Invalid(too_deep) from None
    if not isinstance(data, dict):
        raise Invalid("Send a JSON object as the request body "
                      "(with 'Content-Type: application/json').")
    if _bad_text(data):
        raise Invalid(BAD_TEXT_MESSAGE)
    return data


MAX_DEPTH = 20  # no request body of ours nests deeper than 4; 20 leaves room and stops abuse
BAD_TEXT_MESSAGE = ("Text may not contain NUL characters (\\u0000) or unpaired surrogates "
                    "(\\ud800-\\udfff).")


def _bad_text(value: Any) -> bool:
    """True when text the databases cannot store (NUL, a lone surrogate) hides in `value`."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_bad_text(v) for v in value)
    return False


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (a scalar is 0)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


INT_ARG_MAX = NUMBER_MAX


def int_arg(name: str, default: int, *, low: int = 1, high: int = INT_ARG_MAX) -> int:
    """An integer query parameter within [low, high], or a 422 naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = whole_number(raw, low=low, high=high)
    if value is None:
        raise Invalid(problems=[{"field": name, "message": f"{name} must be a whole number "
                                 f"from {low} to {high}."}])
    return value


def str_arg(name: str) -> str:
    """A text query parameter, trimmed and bounded."""
    return (request.args.get(name) or "").strip()[:200]
