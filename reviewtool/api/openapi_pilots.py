"""OpenAPI schemas and paths of pilots and decisions: plan, observations, incidents,
evaluation, the go decision's details and the memo (api/pilots.py, api/memos.py)."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import PROJECT_ID, op, ref, widened
from reviewtool.services.pilot_plans import PlanIn
from reviewtool.services.pilot_records import IncidentIn, ObservationIn


def pilot_schemas() -> dict[str, Any]:
    """The pilot: plan, observations, incidents, evaluation (api/pilots.py)."""
    template = "#/components/schemas/{model}"
    plan_in = PlanIn.model_json_schema(ref_template=template)
    defs = plan_in.pop("$defs", {})
    text, integer, number = {"type": "string"}, {"type": "integer"}, {"type": "number"}
    day = {"type": "string", "format": "date"}
    verdict = {"enum": ["met", "not_met", "pending"], "description": "For a kill criterion "
               "'met' means breached."}
    criterion = widened(defs["CriterionIn"], "PilotCriterion", {
        "id": integer, "verdict": verdict, "latest": {"type": ["number", "null"]},
        "n_observations": integer, "observations": {"type": "array", "items": {
            "type": "object", "properties": {"value": number, "observed_on": day,
                                             "note": text}}}},
        ("id", "verdict", "latest", "n_observations"))
    summary = {"type": "object", "properties": {k: integer for k in (
        "success_met", "success_total", "kill_breached", "kill_total", "pending", "incidents",
        "severe_incidents")}}
    evaluation = {"type": "object", "required": ["criteria", "summary"], "properties": {
        "criteria": {"type": "array", "items": criterion}, "summary": summary}}
    incident = {"type": "object", "properties": {"what": text, "category": text,
                                                 "severity": integer, "occurred_on": day}}
    return {
        **defs, "PlanIn": plan_in,
        "ObservationIn": ObservationIn.model_json_schema(ref_template=template),
        "IncidentIn": IncidentIn.model_json_schema(ref_template=template),
        "Observation": {"type": "object", "properties": {
            "id": integer, "criterion_id": integer, "value": number, "observed_on": day,
            "note": text}},
        "Incident": {"allOf": [incident, {"type": "object", "properties": {"id": integer}}]},
        "Evaluation": evaluation,
        "Pilot": {"allOf": [evaluation, {
            "type": "object",
            "required": ["builders", "starts_on", "ends_on", "frozen_at", "plan_sha256"],
            "properties": {
                "builders": {"type": "array", "items": {"type": "object", "properties": {
                    "id": integer, "name": text}}},
                "starts_on": day, "ends_on": day, "days_left": integer, "budget": text,
                "frozen_at": {"type": ["string", "null"], "format": "date-time"},
                "plan_sha256": {"type": ["string", "null"], "description": "SHA-256 of the "
                                "canonical plan frozen when the pilot started."},
                "changes": {"type": "array", "items": {"type": "object", "properties": {
                    "kind": {"enum": ["amendment", "deviation"]}, "justification": text,
                    "plan_sha256": text, "at": text}}},
                "incidents": {"type": "array", "items": incident},
                "alerts": {"type": "array", "items": {"type": "object", "properties": {
                    "kind": text, "message": text, "at": text,
                    "resolved": {"type": "boolean"}}}}}}]},
    }


def pilot_paths() -> dict[str, Any]:
    """The pilot: plan, observations, incidents, evaluation (api/pilots.py)."""
    return {
        "/projects/{project_id}/pilot": {
            "parameters": [PROJECT_ID],
            "get": op("The pilot plan with criterion ids, the freeze hash and each "
                       "criterion's verdict", (200, ref("Pilot")), (401, 404)),
            "put": op("Write the pilot plan (grantmakers; in review, or amended while the "
                       "pilot runs: then `justification` is required and the change is logged)",
                       (200, ref("Pilot")), (401, 403, 404, 409, 422), body=ref("PlanIn"))},
        "/projects/{project_id}/pilot/observations": {
            "parameters": [PROJECT_ID],
            "post": op("Record an observation (the pilot's builders); a breached kill "
                        "criterion raises an alert", (201, ref("Observation")),
                        (401, 403, 404, 409, 422), body=ref("ObservationIn"))},
        "/projects/{project_id}/pilot/incidents": {
            "parameters": [PROJECT_ID],
            "post": op("Record an incident (the pilot's builders); a severe one raises an "
                        "alert", (201, ref("Incident")), (401, 403, 404, 409, 422),
                        body=ref("IncidentIn"))},
        "/projects/{project_id}/pilot/evaluation": {
            "parameters": [PROJECT_ID],
            "get": op("Each criterion met / not met / pending, and the pilot summary",
                       (200, ref("Evaluation")), (401, 404))},
        "/projects/{project_id}/alerts/{alert_id}/resolve": {
            "parameters": [PROJECT_ID, {"name": "alert_id", "in": "path", "required": True,
                                        "schema": {"type": "integer"}}],
            "post": op("Mark a pilot alert as resolved (grantmakers)", (200, ref("Pilot")),
                       (401, 403, 404, 409))},
    }


def decision_properties() -> dict[str, Any]:
    """What a `go` carries besides its rationale (`comment`): conditions and a re-review date."""
    date = {"type": "string", "format": "date"}
    return {"conditions": {"type": "array", "maxItems": 20, "description": "Only for `go`.",
                           "items": {"type": "object", "required": ["text", "due_on"],
                                     "properties": {"text": {"type": "string", "minLength": 1,
                                                             "maxLength": 1000},
                                                    "due_on": date}}},
            "review_by": {**date, "description": "Only for `go`: after this date the "
                                                 "decision is flagged for renewal."},
            "outcome_probability": {"type": "integer", "minimum": 1, "maximum": 99,
                                    "description": "Only for `go`, with `review_by`: the "
                                    "probability (%) that the project meets its target "
                                    "outcome by then; scored when the outcome is recorded."}}


def memo_paths() -> dict[str, Any]:
    """The decision memo (api/memos.py): stored at go / no-go, a draft in `decision`."""
    def memo(kind: str, media: str) -> dict[str, Any]:
        operation = op(f"The decision memo as {kind}, an attachment (grantmakers and the owner; a "
                 "draft while the decision is pending)", (200, {}), (401, 403, 404))
        operation["responses"]["200"] = {"description": "The memo", "content": {
            media: {"schema": {"type": "string", **({"format": "binary"}
                                                   if kind == "PDF" else {})}}}}
        if kind == "PDF":
            operation["responses"]["200"]["headers"] = {"X-Memo-SHA256": {
                "description": "SHA-256 of the stored memo", "schema": {"type": "string"}}}
        return operation

    return {"/projects/{project_id}/memo.pdf": {"parameters": [PROJECT_ID],
                                                "get": memo("PDF", "application/pdf")},
            "/projects/{project_id}/memo.html": {"parameters": [PROJECT_ID],
                                                 "get": memo("HTML", "text/html")}}
