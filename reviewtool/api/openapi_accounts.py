"""The OpenAPI document's account operations: API tokens, the caller's password, admins'
changes to users."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import op, ref
from reviewtool.services.tokens import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, TOKEN_NAME_MAX

TOKEN_ID = {"name": "token_id", "in": "path", "required": True, "schema": {"type": "integer"}}
USER_ID = {"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}
WHEN = {"type": ["string", "null"], "format": "date-time"}


def _closed(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties,
            "additionalProperties": False}


TOKEN_FIELDS = {"id": {"type": "integer"}, "name": {"type": "string"}, "created_at": WHEN,
                "last_used_at": WHEN, "expires_at": WHEN}
USER_FIELDS = {"id": {"type": "integer"}, "email": {"type": "string"},
               "name": {"type": "string"},
               "roles": {"type": "array", "items": {"type": "string"}}}


def account_schemas() -> dict[str, Any]:
    """Token, RevokedToken, NewToken and ManagedUser, each closed and spelt out whole."""
    return {
        "Token": _closed(list(TOKEN_FIELDS), TOKEN_FIELDS),
        "RevokedToken": _closed([*TOKEN_FIELDS, "revoked_at"],
                                {**TOKEN_FIELDS, "revoked_at": WHEN}),
        "NewToken": _closed(["token", "user", *TOKEN_FIELDS], {
            "token": {"type": "string", "description": "Shown this once; only its hash is "
                                                       "kept"},
            "user": _closed(list(USER_FIELDS), USER_FIELDS), **TOKEN_FIELDS}),
        "ManagedUser": _closed([*USER_FIELDS, "active"],
                               {**USER_FIELDS, "active": {"type": "boolean"}}),
    }


def account_paths() -> dict[str, Any]:
    """/tokens, /tokens/{token_id}, /me/password, /users/{user_id}."""
    new_token = {"type": "object", "properties": {
        "email": {"type": "string"}, "password": {"type": "string"},
        "name": {"type": "string", "maxLength": TOKEN_NAME_MAX},
        "expires_in_days": {"type": "integer", "minimum": 1, "maximum": TOKEN_DAYS_MAX,
                            "default": TOKEN_DAYS_DEFAULT}},
        "description": "With email and password (no token needed), or with the caller's "
                       "bearer token. Failed sign-ins are limited per account and per "
                       "address: past the limit, 429 with Retry-After, even with the right "
                       "password."}
    return {
        "/tokens": {
            "get": op("The caller's API tokens that were not revoked, newest first",
                      (200, _closed(["items"], {"items": {"type": "array",
                                                          "items": ref("Token")}})), (401,)),
            "post": op("A new API token (for email and password, or for the caller)",
                       (201, ref("NewToken")), (401, 422, 429), body=new_token)
            | {"security": [{}, {"bearer": []}]}},  # a token is optional here
        "/tokens/{token_id}": {
            "parameters": [TOKEN_ID],
            "delete": op("Revoke one of the caller's tokens", (200, ref("RevokedToken")),
                         (401, 404))},
        "/me/password": {"post": op(
            "Change the caller's password; their other sessions and tokens end",
            (200, _closed(["message", "tokens_revoked"], {
                "message": {"type": "string"}, "tokens_revoked": {"type": "integer"}})),
            (401, 422, 429), body={"type": "object",
                                   "required": ["current_password", "new_password"],
                                   "properties": {"current_password": {"type": "string"},
                                                  "new_password": {"type": "string"}}})},
        "/users/{user_id}": {
            "parameters": [USER_ID],
            "patch": op("Disable or enable an account, or set its roles (admins); its "
                        "sessions and tokens end", (200, ref("ManagedUser")),
                        (401, 403, 404, 409, 422),
                        body={"type": "object", "properties": {
                            "active": {"type": "boolean"},
                            "roles": {"type": "array", "items": {"type": "string"},
                                      "minItems": 1}}})},
    }
