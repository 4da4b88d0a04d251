"""The OpenAPI entries of the portfolio and the table exports (api/portfolio.py)."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import op, query, ref
from reviewtool.services.read.exports import EXPORTS
from reviewtool.services.read.portfolio import DEFINITIONS

INTEGER, TEXT, FLAG = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}
PCT = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
NUMBER_OR_NULL = {"type": ["number", "null"]}


def _object(properties: dict[str, Any], required: tuple[str, ...] | None = None) -> dict:
    return {"type": "object", "required": list(required or properties),
            "properties": properties}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def portfolio_schemas() -> dict[str, Any]:
    """The portfolio's answer and its rows."""
    group = _object({"key": TEXT, "label": TEXT, "projects": INTEGER, "reviews": INTEGER,
                     "optimism_pct": {**PCT, "description": DEFINITIONS["optimism_pct"]},
                     "concern_pct": {**PCT, "description": DEFINITIONS["concern_pct"]},
                     "mean_optimism_pct": {**PCT,
                                           "description": DEFINITIONS["mean_optimism_pct"]},
                     "mean_concern_pct": {**PCT,
                                          "description": DEFINITIONS["mean_concern_pct"]},
                     "too_few": {**FLAG, "description": DEFINITIONS["too_few"]}})
    effect = _object({"project_id": INTEGER, "title": TEXT,
                      "project_type": {"type": ["string", "null"]},
                      "project_type_label": TEXT, "rounds": INTEGER,
                      "first_concern_pct": PCT, "last_concern_pct": PCT,
                      "change": NUMBER_OR_NULL, "fell": FLAG,
                      "safeguards_added": _list(TEXT),
                      "safeguards_added_labels": _list(TEXT)})
    keyed = {"key": TEXT, "label": TEXT}
    share = _object({**keyed, "reviews": INTEGER, "share_pct": PCT})
    risk_cell = _object({"project_id": INTEGER, "title": TEXT, "risk_id": INTEGER,
                         "spread": INTEGER, "stdev": {"type": "number"},
                         "scores": _list(INTEGER), "n": INTEGER, "category": TEXT,
                         "category_label": TEXT, "description": TEXT})
    widest = _object({"project_id": INTEGER, "title": TEXT, "widest_spread": INTEGER,
                      "risk_id": INTEGER, "risks_scored": INTEGER, "category": TEXT,
                      "category_label": TEXT})
    counts = {name: INTEGER for name in ("projects", "pipeline", "go", "technical",
                                         "non_technical", "full_time", "fractional")}
    return {
        "PortfolioGroup": group,
        "Portfolio": _object({
            "filters": {"type": "object", "additionalProperties": TEXT},
            "projects": INTEGER, "projects_with_reviews": INTEGER,
            "definitions": {"type": "object", "additionalProperties": TEXT},
            "by_project_type": _list(ref("PortfolioGroup")),
            "by_work_group": _list(ref("PortfolioGroup")),
            "by_outcome": _list(ref("PortfolioGroup")),
            "revision_effect": _list(effect),
            "revision_by_type": _list(_object({
                **keyed, "projects": INTEGER, "mean_first_concern_pct": PCT,
                "mean_last_concern_pct": PCT, "fell": INTEGER, "too_few": FLAG})),
            "safeguard_effect": _list(_object({**keyed, "projects": INTEGER, "fell": INTEGER,
                                               "share_pct": PCT, "too_few": FLAG})),
            "recurring_concerns": _list(share),
            "recurring_by_type": _list(_object({
                **keyed, "projects": INTEGER, "net_negative_reviews": INTEGER,
                "categories": _list(share), "too_few": FLAG})),
            "pilots_by_type": _list(_object({
                **keyed, **{k: INTEGER for k in ("pilots", "success_met", "success_total",
                                                 "kill_breached", "kill_total", "stopped")},
                "too_few": FLAG})),
            "decisions_by_type": _list(_object({
                **keyed, "projects": INTEGER, "go": INTEGER, "no_go": INTEGER,
                "recycle": INTEGER, "too_few": FLAG})),
            "days_in_state": _list(_object({**keyed, "stays": INTEGER,
                                            "median_days": NUMBER_OR_NULL})),
            "disagreement": _object({"risks": _list(risk_cell), "projects": _list(widest)}),
            "roles_needed": _list(_object({"kind": {"enum": ["profession", "skill"]},
                                           **keyed, **counts})),
            "role_modes": _list(_object({**keyed, "pipeline": INTEGER, "go": INTEGER})),
        }),
    }


def _export(fmt: str) -> dict[str, Any]:
    table = {"name": "table", "in": "path", "required": True,
             "schema": {"enum": list(EXPORTS)}}
    operation = op(f"One table as {fmt.upper()}, streamed (grantmakers and admins): every "
                   "project the caller may see; rounds and reviews leave out projects the "
                   "caller declared a conflict with; reviewer_email only where the caller may "
                   "see who reviewed (never on a project they proposed), else empty; the "
                   "round-local letter always", (200, {}), (401, 403, 404))
    operation["parameters"] = [table]
    if fmt == "csv":
        content = {"text/csv": {"schema": {"type": "string", "description": "UTF-8 with BOM, "
                                           "one header row, ISO dates, formula-safe cells"}}}
    else:
        content = {"application/json": {"schema": _object({
            "table": TEXT, "columns": _list(TEXT), "items": _list({"type": "object"})})}}
    operation["responses"]["200"] = {"description": "The table, as an attachment",
                                     "content": content}
    return operation


def portfolio_paths() -> dict[str, Any]:
    """GET /portfolio and the exports."""
    text = {"type": "string"}
    day = {"type": "string", "format": "date"}
    return {
        "/portfolio": {"get": op(
            "The portfolio (grantmakers and admins): optimism and concern by project type, "
            "work group and outcome (pooled over the reviews of each project's latest closed "
            "round, and as the mean of per-project figures), revision effect, recurring "
            "concerns, pilots, decisions, disagreement, roles needed",
            (200, ref("Portfolio")), (401, 403, 422),
            params=[query("project_type", text), query("work_group", text),
                    query("outcome", text), query("state", text),
                    query("decided_from", day), query("decided_to", day)])},
        "/exports/{table}.csv": {"get": _export("csv")},
        "/exports/{table}.json": {"get": _export("json")},
    }
