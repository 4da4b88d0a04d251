"""OpenAPI schemas and paths of the review, revision, pilot and decision stages."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import (
    PROJECT_ID,
    json_content,
    op,
    query,
    ref,
)


def review_schemas() -> dict[str, Any]:
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
        "risk_scores": {"type": "array", "items": ref("RiskScore")},
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
        "RoundReview": {"type": "object", "required": ["letter", "reviewer", *review_fields],
                        "description": "Proposers get no expertise, version or times.",
                        "properties": {
                            "letter": {"type": "string", "description": "'A': round-local"},
                            "reviewer": {"type": "string", "description": "'Reviewer A'"},
                            **review_fields, "version": integer,
                            "submitted_at": {"type": "string", "format": "date-time"},
                            "updated_at": {"type": "string", "format": "date-time"}}},
        "RoundAssignment": {"type": "object",
                            "required": ["letter", "reviewer", "due_on", "status"],
                            "properties": {
                                "letter": text, "reviewer": text,
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
            "reviews": {"type": "array", "items": ref("RoundReview")},
            "assignments": {"type": "array", "items": ref("RoundAssignment"),
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


def review_paths() -> dict[str, Any]:
    """Reviewers, reviews, rounds and conflicts (api/reviews.py)."""
    submit = op("Submit (201) or edit (200) your review in the open round (assigned "
                 "reviewers); earlier versions are kept", (201, ref("Review")),
                 (401, 403, 404, 409, 422), body=ref("ReviewIn"))
    submit["responses"]["200"] = {"description": "Edited", **json_content(ref("Review"))}
    return {
        "/projects/{project_id}/reviewers": {
            "parameters": [PROJECT_ID],
            "get": op("Reviewer candidates for the open round, with load and any conflict "
                       "(grantmakers)", (200, ref("ReviewerCandidates")), (401, 403, 404),
                       params=[query("q", {"type": "string"})]),
            "post": op("Assign a reviewer to the open round (grantmakers); 409 with the "
                        "reason on a conflict of interest or an existing assignment",
                        (201, ref("Assignment")), (401, 403, 404, 409, 422),
                        body=ref("AssignmentIn"))},
        "/projects/{project_id}/reviews": {"parameters": [PROJECT_ID], "post": submit},
        "/projects/{project_id}/rounds": {
            "parameters": [PROJECT_ID],
            "get": op("Each round with its figures, ascending; reviewer identities hidden "
                       "from the proposer; 403 after declaring a conflict",
                       (200, {"type": "array", "items": ref("Round")}), (401, 403, 404))},
        "/projects/{project_id}/conflicts": {
            "parameters": [PROJECT_ID],
            "post": op("Declare a conflict of interest with the project; withdraws you",
                        (201, ref("ConflictDeclaration")), (401, 404, 409, 422),
                        body=ref("ConflictIn"))},
    }


def revision_schemas() -> dict[str, Any]:
    """Revisions, safeguards, diffs and the trajectory (api/revisions.py)."""
    from reviewtool.services.revisions import SafeguardIn

    safeguard_in = SafeguardIn.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = safeguard_in.pop("$defs", {})
    text, integer = {"type": "string"}, {"type": "integer"}
    objects = {"type": "array", "items": {"type": "object"}}
    figure = {"type": ["number", "null"]}
    return {
        **defs, "SafeguardIn": safeguard_in,
        "RevisionIn": {"allOf": [ref("ProposalFields"), {"type": "object", "properties": {
            "safeguards": {"type": "array", "items": ref("SafeguardIn"),
                           "description": "Replaces the draft revision's safeguards."},
            "version": {"type": "integer", "description": "The project version the edit "
                                                          "started from (409 if stale)."}}}]},
        "Revision": {"allOf": [ref("ProposalFields"), {
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
                    ref("SafeguardIn"), {"type": "object",
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


def revision_paths() -> dict[str, Any]:
    """Revisions, safeguards, diffs and the trajectory (api/revisions.py)."""
    number = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}
    user_id = {"name": "user_id", "in": "path", "required": True,
               "schema": {"type": "integer"}}
    unassign = op("Take a reviewer off the open round (grantmakers), unless they already "
                   "reviewed", (204, {}), (401, 403, 404, 409))
    unassign["responses"]["204"] = {"description": "Removed"}
    return {
        "/projects/{project_id}/revisions": {
            "parameters": [PROJECT_ID],
            "get": op("Every revision, oldest first (submitted ones as frozen snapshots)",
                       (200, {"type": "array", "items": ref("Revision")}), (401, 404)),
            "post": op("Write the new revision (owner, in state revision): fields to change "
                        "and `safeguards`", (201, ref("Revision")),
                        (401, 403, 404, 409, 422), body=ref("RevisionIn"))},
        "/projects/{project_id}/revisions/{number}": {
            "parameters": [PROJECT_ID, number],
            "get": op("One revision", (200, ref("Revision")), (401, 404))},
        "/projects/{project_id}/diff": {
            "parameters": [PROJECT_ID],
            "get": op("Word-level differences between revisions `from` and `to` (default: "
                       "the last two)", (200, ref("Diff")), (401, 404, 422),
                       params=[query("from", {"type": "integer"}),
                               query("to", {"type": "integer"})])},
        "/projects/{project_id}/trajectory": {
            "parameters": [PROJECT_ID],
            "get": op("Figures per round; for grantmakers also how each reviewer's view "
                       "moved", (200, ref("Trajectory")), (401, 403, 404))},
        "/projects/{project_id}/reviewers/{user_id}": {
            "parameters": [PROJECT_ID, user_id], "delete": unassign},
    }


def pilot_schemas() -> dict[str, Any]:
    """The pilot: plan, observations, incidents, evaluation (api/pilots.py)."""
    from reviewtool.services.pilot_plans import PlanIn
    from reviewtool.services.pilot_records import IncidentIn, ObservationIn

    template = "#/components/schemas/{model}"
    plan_in = PlanIn.model_json_schema(ref_template=template)
    defs = plan_in.pop("$defs", {})
    text, integer, number = {"type": "string"}, {"type": "integer"}, {"type": "number"}
    day = {"type": "string", "format": "date"}
    verdict = {"enum": ["met", "not_met", "pending"], "description": "For a kill criterion "
               "'met' means breached."}
    criterion = {"allOf": [ref("CriterionIn"), {
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
                                                 "decision is flagged for renewal."}}


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
