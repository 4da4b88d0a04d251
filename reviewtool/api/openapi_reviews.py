"""OpenAPI schemas and paths of senior review: reviewers, reviews, rounds, conflicts
(api/reviews.py)."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import PROJECT_ID, json_content, op, query, ref
from reviewtool.models.review import CONFLICT_KINDS
from reviewtool.services.reviews import ReviewIn


def review_schemas() -> dict[str, Any]:
    """Reviewers, reviews, rounds and conflicts (api/reviews.py)."""
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
        "RoundReview": {"type": "object", "required": [
                            "letter", "reviewer", *(k for k in review_fields if k != "expertise")],
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
            "normalised": {"type": "object", "description": "Grantmakers and admins: per "
                           "risk the raw mean of the reviewers' likelihood x severity and the "
                           "mean after removing each reviewer's own offset (docs/FIGURES.md).",
                           "required": ["note", "risks"], "properties": {
                               "note": text, "risks": {"type": "array", "items": {
                                   "type": "object", "additionalProperties": False,
                                   "required": ["risk_id", "n", "raw_mean", "normalised_mean"],
                                   "properties": {"risk_id": integer, "n": integer,
                                                  "raw_mean": {"type": "number"},
                                                  "normalised_mean": {"type": "number"}}}}}},
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
    user_id = {"name": "user_id", "in": "path", "required": True,
               "schema": {"type": "integer"}}
    unassign = op("Take a reviewer off the open round (grantmakers), unless they already "
                   "reviewed", (204, {}), (401, 403, 404, 409))
    unassign["responses"]["204"] = {"description": "Removed"}
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
        "/projects/{project_id}/reviewers/{user_id}": {
            "parameters": [PROJECT_ID, user_id], "delete": unassign},
    }
