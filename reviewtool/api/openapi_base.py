"""Building blocks of the OpenAPI document: references, operations, common parameters."""

from __future__ import annotations

from typing import Any

ERRORS = {"$ref": "#/components/schemas/Errors"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def error_responses(*codes: int) -> dict[str, Any]:
    text = {400: "Bad request", 401: "No or unknown token", 403: "Your roles do not allow it",
            404: "Not found, or not yours to see", 409: "Conflict: not possible now, or stale",
            422: "Invalid input; every problem is listed",
            429: "Too many failed sign-ins; the Retry-After header says when to try again"}
    return {str(c): {"description": text[c], **json_content(ERRORS)} for c in codes}


def op(summary: str, ok: tuple[int, dict[str, Any]], errors: tuple[int, ...], *,
        body: dict[str, Any] | None = None, params: list[dict] | None = None,
        public: bool = False) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary,
                          "responses": {str(ok[0]): {"description": "OK", **json_content(ok[1])},
                                        **error_responses(*errors)}}
    if body is not None:
        op["requestBody"] = {"required": True, **json_content(body)}
    if params:
        op["parameters"] = params
    if public:
        op["security"] = []
    return op


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


PROJECT_ID = {"name": "project_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}
PAGING = [query("page", {"type": "integer", "minimum": 1}),
          query("per_page", {"type": "integer", "minimum": 1, "maximum": 100})]


def widened(base: dict[str, Any], title: str, properties: dict[str, Any],
            required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A closed object schema: `base` (a pydantic model's, without its $defs) with more
    properties. An `allOf` of a closed object and an extension could never be satisfied."""
    base = {k: v for k, v in base.items() if k != "$defs"}
    return {**base, "title": title, "additionalProperties": False,
            "properties": {**base.get("properties", {}), **properties},
            "required": [*base.get("required", []), *required]}
