"""OpenAPI schemas and paths of forecasts and calibration (api/forecasts.py).

Brier score = (probability / 100 - outcome)^2, outcome 1 when the event happened; formulas in
docs/FIGURES.md."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import PROJECT_ID, op, ref
from reviewtool.services.forecasts import ForecastsIn

TEXT, INTEGER = {"type": "string"}, {"type": "integer"}
NUMBER_OR_NULL = {"type": ["number", "null"]}
BOOL_OR_NULL = {"type": ["boolean", "null"]}


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": list(properties),
            "properties": properties}


def forecast_schemas() -> dict[str, Any]:
    """The forecasts of one pilot as the caller may see them, and calibration figures."""
    template = "#/components/schemas/{model}"
    forecasts_in = ForecastsIn.model_json_schema(ref_template=template)
    defs = forecasts_in.pop("$defs", {})
    forecast = _closed({"criterion_id": INTEGER, "probability": INTEGER,
                        "locked_at": {"type": "string", "format": "date-time"},
                        "sha256": TEXT, "happened": BOOL_OR_NULL, "brier": NUMBER_OR_NULL})
    user = _closed({"id": INTEGER, "name": TEXT, "email": TEXT})
    aggregate = _closed({"criterion_id": INTEGER, "question": TEXT, "n": INTEGER,
                         "mean": NUMBER_OR_NULL, "median": NUMBER_OR_NULL,
                         "happened": BOOL_OR_NULL, "brier_mean": NUMBER_OR_NULL,
                         "brier_median": NUMBER_OR_NULL})
    bin_row = _closed({"bin": INTEGER, "lower": INTEGER, "upper": INTEGER, "n": INTEGER,
                       "happened": INTEGER, "mean_forecast": NUMBER_OR_NULL,
                       "observed_pct": NUMBER_OR_NULL, "observed_low": NUMBER_OR_NULL,
                       "observed_high": NUMBER_OR_NULL})
    figures = {"n": INTEGER, "mean_brier": NUMBER_OR_NULL, "stderr": NUMBER_OR_NULL,
               "bins": {"type": ["array", "null"], "items": bin_row,
                        "description": "null below 5 scored forecasts"},
               "note": {"type": ["string", "null"]}}
    return {
        **defs, "ForecastsIn": forecasts_in,
        "Forecasts": {**_closed({
            "criteria": {"type": "array", "items": _closed({
                "id": INTEGER, "kind": {"enum": ["success", "kill"]}, "question": TEXT})},
            "invited": {"type": "boolean"},
            "closes_on": {"type": ["string", "null"], "format": "date"},
            "closed_because": {"type": ["string", "null"]},
            "can_forecast": {"type": "boolean"}, "finished": {"type": "boolean"},
            "mine": {"type": "array", "items": forecast},
            "my_mean_brier": NUMBER_OR_NULL,
            "aggregate": {"type": ["array", "null"], "items": aggregate},
            "aggregate_brier": {**_closed({"mean": NUMBER_OR_NULL, "median": NUMBER_OR_NULL}),
                                "type": ["object", "null"]},
            "people": {"type": ["array", "null"], "items": _closed({
                "user": user, "mean_brier": NUMBER_OR_NULL,
                "forecasts": {"type": "array", "items": forecast}})}}),
            "required": ["criteria", "invited", "can_forecast", "finished", "mine",
                         "aggregate", "people"],
            "description": "Before the pilot finishes only the caller's own forecasts; after, "
                           "the aggregate, and every person's with names for grantmakers and "
                           "admins (never the proposer)."},
        "OutcomeIn": {"type": "object", "additionalProperties": False, "required": ["met"],
                      "properties": {"met": {"type": "boolean"}}},
        "OutcomeForecast": _closed({
            "probability": INTEGER, "locked_at": {"type": "string", "format": "date-time"},
            "sha256": TEXT, "met": BOOL_OR_NULL, "brier": NUMBER_OR_NULL}),
        "CalibrationFigures": _closed(figures),
        "Calibration": _closed({
            "min_scored": INTEGER, "mine": ref("CalibrationFigures"),
            "panel": {"oneOf": [{"type": "null"}, ref("CalibrationFigures")]},
            "people": {"type": ["array", "null"], "items": {
                **_closed({"user": user, **figures})}}}),
    }


def forecast_paths() -> dict[str, Any]:
    """GET and POST /projects/{id}/forecasts, GET /calibration."""
    return {
        "/projects/{project_id}/forecasts": {
            "parameters": [PROJECT_ID],
            "get": op("The pilot's forecasts as the caller may see them (404 before the pilot "
                       "started)", (200, ref("Forecasts")), (401, 403, 404)),
            "post": op("Lock the caller's forecasts, one per criterion, 1-99 % (those invited "
                        "when the pilot started; until the closing date or the first "
                        "observation)", (201, ref("Forecasts")), (401, 403, 404, 409, 422),
                        body=ref("ForecastsIn"))},
        "/projects/{project_id}/decision/outcome": {
            "parameters": [PROJECT_ID],
            "post": op("Record whether a funded project met its target outcome (admins and "
                        "grantmakers); the go decision's outcome forecast gets its Brier score",
                        (200, ref("OutcomeForecast")), (401, 403, 404, 409, 422),
                        body=ref("OutcomeIn"))},
        "/calibration": {"get": op(
            "Calibration: scored forecasts, mean Brier score with its standard error and the "
            "bins from 5 scored forecasts on; the caller's own (reviewers), everyone's and the "
            "panel's (grantmakers and admins)", (200, ref("Calibration")), (401, 403))},
    }
