"""The OpenAPI 3.1 document, built from the same pydantic models the services validate with."""

from __future__ import annotations

from typing import Any

from flask import url_for

from reviewtool.api import bp
from reviewtool.services.proposals import ProposalFields
from reviewtool.services.risks import RiskModelIn

ERRORS = {"$ref": "#/components/schemas/Errors"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "Bad request", 401: "No or unknown token", 403: "Your roles do not allow it",
            404: "Not found, or not yours to see", 409: "Conflict: not possible now, or stale",
            422: "Invalid input; every problem is listed"}
    return {str(c): {"description": text[c], **_json(ERRORS)} for c in codes}


def _op(summary: str, ok: tuple[int, dict[str, Any]], errors: tuple[int, ...], *,
        body: dict[str, Any] | None = None, params: list[dict] | None = None,
        public: bool = False) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary,
                          "responses": {str(ok[0]): {"description": "OK", **_json(ok[1])},
                                        **_errors(*errors)}}
    if body is not None:
        op["requestBody"] = {"required": True, **_json(body)}
    if params:
        op["parameters"] = params
    if public:
        op["security"] = []
    return op


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


PROJECT_ID = {"name": "project_id", "in": "path", "required": True,
              "schema": {"type": "integer"}}
PAGING = [_query("page", {"type": "integer", "minimum": 1}),
          _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100})]


def _schemas() -> dict[str, Any]:
    fields = ProposalFields.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = fields.pop("$defs", {})
    risk_in = RiskModelIn.model_json_schema(ref_template="#/components/schemas/{model}")
    defs.update(risk_in.pop("$defs", {}))
    user = {"type": "object", "required": ["id", "email", "name", "roles"],
            "properties": {"id": {"type": "integer"}, "email": {"type": "string"},
                           "name": {"type": "string"},
                           "roles": {"type": "array", "items": {"type": "string"}}}}
    summary = {"type": "object", "required": ["id", "state", "version", "title"],
               "properties": {"id": {"type": "integer"}, "state": {"type": "string"},
                              "version": {"type": "integer"}, "title": {"type": "string"},
                              "project_type": {"type": ["string", "null"]},
                              "owner": {"type": "object"}, "updated_at": {"type": "string"}}}
    project = {"allOf": [_ref("ProjectSummary"), {"type": "object", "properties": {
        "revision": {"allOf": [_ref("ProposalFields")]},
        "risk_model": _ref("RiskModel"),
        "allowed_triggers": {"type": "array", "items": {"type": "string"}}}}]}
    return {
        **defs, "ProposalFields": fields, "RiskModelIn": risk_in,
        "RiskModel": {"type": "object", "required": ["risks", "not_applicable", "problems"],
                      "properties": {
                          "catalogue_version": {"type": ["integer", "null"]},
                          "risks": {"type": "array", "items": {"type": "object"}},
                          "not_applicable": {"type": "array", "items": {"type": "object"}},
                          "problems": {"type": "array", "items": {"type": "string"}},
                          "above_appetite": {"type": "integer"},
                          "appetite": {"type": "object"}}}, "User": user, "ProjectSummary": summary,
        "Project": project,
        "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": {
            "type": "array", "items": {"type": "object", "required": ["message"], "properties": {
                "field": {"type": "string"}, "message": {"type": "string"}}}}}},
        "Page": {"type": "object", "required": ["items", "page", "per_page", "total"],
                 "properties": {"items": {"type": "array"}, "page": {"type": "integer"},
                                "per_page": {"type": "integer"}, "total": {"type": "integer"}}},
        **_review_schemas(),
        **_revision_schemas(),
        **_pilot_schemas(),
        "Event": {"type": "object", "properties": {
            "at": {"type": "string"}, "actor": {"type": "object"}, "from": {"type": "string"},
            "to": {"type": "string"}, "trigger": {"type": "string"},
            "comment": {"type": "string"}}},
    }


def _paths() -> dict[str, Any]:
    patch_body = {"allOf": [_ref("ProposalFields"), {
        "type": "object", "required": ["version"],
        "properties": {"version": {"type": "integer"}}}]}
    transition_body = {"type": "object", "required": ["trigger"], "properties": {
        "trigger": {"type": "string"}, "comment": {"type": "string"},
        "version": {"type": "integer"}, "override_rationale": {"type": "string"},
        **_decision_properties()}}
    return {
        "/tokens": {"post": _op("Exchange email and password for an API token",
                                (201, {"type": "object"}), (401, 422), public=True,
                                body={"type": "object", "required": ["email", "password"],
                                      "properties": {"email": {"type": "string"},
                                                     "password": {"type": "string"}}})},
        "/me": {"get": _op("The caller", (200, _ref("User")), (401,))},
        "/users": {"get": _op("Users (grantmakers, admins)", (200, _ref("Page")), (401, 403, 422),
                              params=[*PAGING, _query("role", {"type": "string"}),
                                      _query("q", {"type": "string"})])},
        "/catalogues": {"get": _op("Every catalogue as lists of {key, label}",
                                   (200, {"type": "object"}), (401,))},
        "/catalogues/{name}": {
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "post": _op("Add an entry to a catalogue (admins)", (201, {"type": "object"}),
                        (401, 403, 409, 422),
                        body={"type": "object", "required": ["key", "label"], "properties": {
                            "key": {"type": "string"}, "label": {"type": "string"},
                            "description": {"type": "string"},
                            "guidance": {"type": "string"}}})},
        "/projects": {
            "get": _op("Projects the caller may see", (200, _ref("Page")), (401, 422),
                       params=[*PAGING, _query("state", {"type": "string"}),
                               _query("type", {"type": "string"})]),
            "post": _op("Create a draft (proposers)", (201, _ref("Project")), (401, 403, 422),
                        body=_ref("ProposalFields"))},
        "/projects/{project_id}": {
            "parameters": [PROJECT_ID],
            "get": _op("One project", (200, _ref("Project")), (401, 404)),
            "patch": _op("Edit the proposal (owner; draft, risk_model, revision)",
                         (200, _ref("Project")), (401, 403, 404, 409, 422), body=patch_body)},
        "/projects/{project_id}/transitions": {
            "parameters": [PROJECT_ID],
            "post": _op("Fire a workflow trigger", (200, _ref("Project")),
                        (401, 403, 404, 409, 422), body=transition_body)},
        "/projects/{project_id}/risks": {
            "parameters": [PROJECT_ID],
            "get": _op("The risk model of the current revision", (200, _ref("RiskModel")),
                       (401, 404)),
            "put": _op("Replace the risk model (owner, while editable); risks keep their id",
                       (200, _ref("RiskModel")), (401, 403, 404, 409, 422),
                       body=_ref("RiskModelIn"))},
        "/projects/{project_id}/history": {
            "parameters": [PROJECT_ID],
            "get": _op("Transition events, oldest first",
                       (200, {"type": "array", "items": _ref("Event")}), (401, 404))},
        **_review_paths(),
        **_revision_paths(),
        **_pilot_paths(),
        **_memo_paths(),
        "/openapi.json": {"get": _op("This document", (200, {"type": "object"}), (), public=True)},
    }


def _review_schemas() -> dict[str, Any]:
    """Reviewers, reviews, rounds and conflicts (api/reviews.py)."""
    from reviewtool.models.review import CONFLICT_KINDS
    from reviewtool.services.reviews import ReviewIn

    review_in = ReviewIn.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = review_in.pop("$defs", {})
    text, integer, boolean = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
    pct = {"type": ["number", "null"], "minimum": 0, "maximum": 100,
           "description": "Percentage, one decimal; null with no reviews (or hidden)."}
    review_fields = {
        "stance": {"enum": ["optimistic", "neutral", "pessimistic"]}, "net_negative": boolean,
        "rationale": text, "concern_categories": {"type": "array", "items": text},
        "risk_scores": {"type": "array", "items": _ref("RiskScore")},
        "suggested_safeguards": {"type": "array", "items": text},
        "confidence": {"type": "integer", "minimum": 1, "maximum": 5},
        "expertise": {"enum": ["general", "familiar", "expert"]}}
    return {
        **defs, "ReviewIn": review_in,
        "Review": {"type": "object", "required": ["round", "version", *review_fields],
                   "properties": {"round": integer, "version": integer, **review_fields}},
        "AssignmentIn": {"type": "object", "required": ["user_id"],
                         "properties": {"user_id": integer,
                                        "due_on": {"type": "string", "format": "date"}}},
        "Assignment": {"type": "object", "required": ["round", "user_id", "letter", "due_on"],
                       "properties": {"round": integer, "user_id": integer, "letter": text,
                                      "due_on": {"type": "string", "format": "date"}}},
        "ReviewerCandidates": {"type": "object", "required": ["round", "items"], "properties": {
            "round": {"type": ["integer", "null"]},
            "items": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "name", "email", "load", "assigned", "conflict"],
                "properties": {"id": integer, "name": text, "email": text,
                               "load": {"type": "integer", "description":
                                        "Open assignments not yet reviewed."},
                               "assigned": boolean,
                               "conflict": {"type": ["string", "null"], "description":
                                            "Why they may not review this project."}}}}}},
        "RoundReview": {"type": "object", "required": ["reviewer", *review_fields],
                        "description": "Proposers get no expertise, version or times.",
                        "properties": {
                            "reviewer": {"type": "string", "description": "'Reviewer A'"},
                            **review_fields, "version": integer,
                            "submitted_at": {"type": "string", "format": "date-time"},
                            "updated_at": {"type": "string", "format": "date-time"}}},
        "RoundAssignment": {"type": "object", "required": ["reviewer", "due_on", "status"],
                            "properties": {
                                "reviewer": text,
                                "due_on": {"type": ["string", "null"], "format": "date"},
                                "status": {"enum": ["pending", "submitted", "withdrawn"]},
                                "user": {"type": "object", "description": "Grantmakers only.",
                                         "properties": {"id": integer, "name": text,
                                                        "email": text}}}},
        "Round": {"type": "object", "required": [
            "number", "status", "revision", "opened_at", "closed_at", "n_reviews",
            "concern_pct", "optimism_pct", "weighted_concern_pct", "categories",
            "disagreement", "reviews"], "properties": {
            "number": integer, "status": {"enum": ["open", "closed"]}, "revision": integer,
            "opened_at": {"type": "string", "format": "date-time"},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "n_reviews": integer, "concern_pct": pct, "optimism_pct": pct,
            "weighted_concern_pct": pct,
            "categories": {"type": ["array", "null"], "items": {
                "type": "object", "properties": {"category": text, "concern_pct": pct}}},
            "disagreement": {"type": ["array", "null"], "items": {
                "type": "object", "properties": {
                    "risk_id": integer, "scores": {"type": "array", "items": integer},
                    "n": integer, "spread": integer, "stdev": {"type": "number"}}}},
            "reviews": {"type": "array", "items": _ref("RoundReview")},
            "assignments": {"type": "array", "items": _ref("RoundAssignment"),
                            "description": "Grantmakers: all, named; a reviewer: their own; "
                                           "absent for the proposer."},
            "my_letter": {"type": ["string", "null"], "description": "Reviewers only."},
            "figures_hidden": {"type": "boolean", "description": "A reviewer who has not "
                                                                "submitted yet in this round."}}},
        "ConflictIn": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"enum": list(CONFLICT_KINDS)}, "note": {"type": "string"}}},
        "ConflictDeclaration": {"type": "object", "required": ["kind", "note"],
                                "properties": {"kind": text, "note": text}},
    }


def _review_paths() -> dict[str, Any]:
    """Reviewers, reviews, rounds and conflicts (api/reviews.py)."""
    submit = _op("Submit (201) or edit (200) your review in the open round (assigned "
                 "reviewers); earlier versions are kept", (201, _ref("Review")),
                 (401, 403, 404, 409, 422), body=_ref("ReviewIn"))
    submit["responses"]["200"] = {"description": "Edited", **_json(_ref("Review"))}
    return {
        "/projects/{project_id}/reviewers": {
            "parameters": [PROJECT_ID],
            "get": _op("Reviewer candidates for the open round, with load and any conflict "
                       "(grantmakers)", (200, _ref("ReviewerCandidates")), (401, 403, 404),
                       params=[_query("q", {"type": "string"})]),
            "post": _op("Assign a reviewer to the open round (grantmakers); 409 with the "
                        "reason on a conflict of interest or an existing assignment",
                        (201, _ref("Assignment")), (401, 403, 404, 409, 422),
                        body=_ref("AssignmentIn"))},
        "/projects/{project_id}/reviews": {"parameters": [PROJECT_ID], "post": submit},
        "/projects/{project_id}/rounds": {
            "parameters": [PROJECT_ID],
            "get": _op("Each round with its figures, ascending; reviewer identities hidden "
                       "from the proposer; 403 after declaring a conflict",
                       (200, {"type": "array", "items": _ref("Round")}), (401, 403, 404))},
        "/projects/{project_id}/conflicts": {
            "parameters": [PROJECT_ID],
            "post": _op("Declare a conflict of interest with the project; withdraws you",
                        (201, _ref("ConflictDeclaration")), (401, 404, 409, 422),
                        body=_ref("ConflictIn"))},
    }


def _revision_schemas() -> dict[str, Any]:
    """Revisions, safeguards, diffs and the trajectory (api/revisions.py)."""
    from reviewtool.services.revisions import SafeguardIn

    safeguard_in = SafeguardIn.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = safeguard_in.pop("$defs", {})
    text, integer = {"type": "string"}, {"type": "integer"}
    objects = {"type": "array", "items": {"type": "object"}}
    figure = {"type": ["number", "null"]}
    return {
        **defs, "SafeguardIn": safeguard_in,
        "RevisionIn": {"allOf": [_ref("ProposalFields"), {"type": "object", "properties": {
            "safeguards": {"type": "array", "items": _ref("SafeguardIn"),
                           "description": "Replaces the draft revision's safeguards."},
            "version": {"type": "integer", "description": "The project version the edit "
                                                          "started from (409 if stale)."}}}]},
        "Revision": {"allOf": [_ref("ProposalFields"), {
            "type": "object",
            "required": ["number", "is_current", "submitted_at", "snapshot_sha256", "risks",
                         "not_applicable", "safeguards"],
            "description": "A submitted revision is its frozen snapshot; a draft its live "
                           "content.",
            "properties": {
                "number": integer, "is_current": {"type": "boolean"},
                "submitted_at": {"type": ["string", "null"], "format": "date-time"},
                "snapshot_sha256": {"type": ["string", "null"], "description":
                                    "SHA-256 of the stored canonical JSON snapshot."},
                "risk_catalogue_version": {"type": ["integer", "null"]},
                "risks": objects, "not_applicable": objects,
                "safeguards": {"type": "array", "items": {"allOf": [
                    _ref("SafeguardIn"), {"type": "object",
                                          "properties": {"position": integer}}]}}}}]},
        "Diff": {"type": "object", "required": ["from", "to", "sections"], "properties": {
            "from": integer, "to": integer,
            "sections": {"type": "array", "items": {
                "type": "object", "required": ["section", "changed", "ops"], "properties": {
                    "section": text, "changed": {"type": "boolean"},
                    "ops": {"type": "array", "items": {
                        "type": "object", "required": ["op", "text"], "properties": {
                            "op": {"enum": ["equal", "delete", "insert"]},
                            "text": text}}}}}}}},
        "Trajectory": {"type": "object", "required": ["rounds"], "properties": {
            "rounds": {"type": "array", "items": {"type": "object", "properties": {
                "number": integer, "status": {"enum": ["open", "closed"]},
                "n_reviews": integer, "concern_pct": figure, "weighted_concern_pct": figure,
                "optimism_pct": figure, "categories": {"type": ["array", "null"]}}}},
            "reviewers": {"type": "array", "description": "Grantmakers and admins only: each "
                                                          "reviewer's view per round.",
                          "items": {"type": "object", "properties": {
                              "user": {"type": "object"}, "rounds": objects}}}}},
    }


def _revision_paths() -> dict[str, Any]:
    """Revisions, safeguards, diffs and the trajectory (api/revisions.py)."""
    number = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}
    user_id = {"name": "user_id", "in": "path", "required": True,
               "schema": {"type": "integer"}}
    unassign = _op("Take a reviewer off the open round (grantmakers), unless they already "
                   "reviewed", (204, {}), (401, 403, 404, 409))
    unassign["responses"]["204"] = {"description": "Removed"}
    return {
        "/projects/{project_id}/revisions": {
            "parameters": [PROJECT_ID],
            "get": _op("Every revision, oldest first (submitted ones as frozen snapshots)",
                       (200, {"type": "array", "items": _ref("Revision")}), (401, 404)),
            "post": _op("Write the new revision (owner, in state revision): fields to change "
                        "and `safeguards`", (201, _ref("Revision")),
                        (401, 403, 404, 409, 422), body=_ref("RevisionIn"))},
        "/projects/{project_id}/revisions/{number}": {
            "parameters": [PROJECT_ID, number],
            "get": _op("One revision", (200, _ref("Revision")), (401, 404))},
        "/projects/{project_id}/diff": {
            "parameters": [PROJECT_ID],
            "get": _op("Word-level differences between revisions `from` and `to` (default: "
                       "the last two)", (200, _ref("Diff")), (401, 404, 422),
                       params=[_query("from", {"type": "integer"}),
                               _query("to", {"type": "integer"})])},
        "/projects/{project_id}/trajectory": {
            "parameters": [PROJECT_ID],
            "get": _op("Figures per round; for grantmakers also how each reviewer's view "
                       "moved", (200, _ref("Trajectory")), (401, 403, 404))},
        "/projects/{project_id}/reviewers/{user_id}": {
            "parameters": [PROJECT_ID, user_id], "delete": unassign},
    }


def _pilot_schemas() -> dict[str, Any]:
    """The pilot: plan, observations, incidents, evaluation (api/pilots.py)."""
    from reviewtool.services.pilot_work import IncidentIn, ObservationIn
    from reviewtool.services.pilots import PlanIn

    template = "#/components/schemas/{model}"
    plan_in = PlanIn.model_json_schema(ref_template=template)
    defs = plan_in.pop("$defs", {})
    text, integer, number = {"type": "string"}, {"type": "integer"}, {"type": "number"}
    day = {"type": "string", "format": "date"}
    verdict = {"enum": ["met", "not_met", "pending"], "description": "For a kill criterion "
               "'met' means breached."}
    criterion = {"allOf": [_ref("CriterionIn"), {
        "type": "object", "required": ["id", "verdict", "latest", "n_observations"],
        "properties": {"id": integer, "verdict": verdict, "latest": {"type": ["number", "null"]},
                       "n_observations": integer, "observations": {"type": "array", "items": {
                           "type": "object", "properties": {"value": number,
                                                            "observed_on": day,
                                                            "note": text}}}}}]}
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


def _pilot_paths() -> dict[str, Any]:
    """The pilot: plan, observations, incidents, evaluation (api/pilots.py)."""
    return {
        "/projects/{project_id}/pilot": {
            "parameters": [PROJECT_ID],
            "get": _op("The pilot plan with criterion ids, the freeze hash and each "
                       "criterion's verdict", (200, _ref("Pilot")), (401, 404)),
            "put": _op("Write the pilot plan (grantmakers; in review, or amended while the "
                       "pilot runs: then `justification` is required and the change is logged)",
                       (200, _ref("Pilot")), (401, 403, 404, 409, 422), body=_ref("PlanIn"))},
        "/projects/{project_id}/pilot/observations": {
            "parameters": [PROJECT_ID],
            "post": _op("Record an observation (the pilot's builders); a breached kill "
                        "criterion raises an alert", (201, _ref("Observation")),
                        (401, 403, 404, 409, 422), body=_ref("ObservationIn"))},
        "/projects/{project_id}/pilot/incidents": {
            "parameters": [PROJECT_ID],
            "post": _op("Record an incident (the pilot's builders); a severe one raises an "
                        "alert", (201, _ref("Incident")), (401, 403, 404, 409, 422),
                        body=_ref("IncidentIn"))},
        "/projects/{project_id}/pilot/evaluation": {
            "parameters": [PROJECT_ID],
            "get": _op("Each criterion met / not met / pending, and the pilot summary",
                       (200, _ref("Evaluation")), (401, 404))},
    }


def _decision_properties() -> dict[str, Any]:
    """What a `go` carries besides its rationale (`comment`): conditions and a re-review date."""
    date = {"type": "string", "format": "date"}
    return {"conditions": {"type": "array", "maxItems": 20, "description": "Only for `go`.",
                           "items": {"type": "object", "required": ["text", "due_on"],
                                     "properties": {"text": {"type": "string", "minLength": 1,
                                                             "maxLength": 1000},
                                                    "due_on": date}}},
            "review_by": {**date, "description": "Only for `go`: after this date the "
                                                 "decision is flagged for renewal."}}


def _memo_paths() -> dict[str, Any]:
    """The decision memo (api/memos.py): stored at go / no-go, a draft in `decision`."""
    def memo(kind: str, media: str) -> dict[str, Any]:
        op = _op(f"The decision memo as {kind}, an attachment (grantmakers and the owner; a "
                 "draft while the decision is pending)", (200, {}), (401, 403, 404))
        op["responses"]["200"] = {"description": "The memo", "content": {
            media: {"schema": {"type": "string", **({"format": "binary"}
                                                   if kind == "PDF" else {})}}}}
        if kind == "PDF":
            op["responses"]["200"]["headers"] = {"X-Memo-SHA256": {
                "description": "SHA-256 of the stored memo", "schema": {"type": "string"}}}
        return op

    return {"/projects/{project_id}/memo.pdf": {"parameters": [PROJECT_ID],
                                                "get": memo("PDF", "application/pdf")},
            "/projects/{project_id}/memo.html": {"parameters": [PROJECT_ID],
                                                 "get": memo("HTML", "text/html")}}


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "reviewtool API", "version": "1",
                 "description": "Errors are {\"errors\": [{\"field\"?, \"message\"}]}. "
                                "Authenticate with 'Authorization: Bearer <token>'."},
        "servers": [{"url": url_for("api.openapi", _external=False).rsplit("/", 1)[0]}],
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {"schemas": _schemas(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI document."""
    return document()
