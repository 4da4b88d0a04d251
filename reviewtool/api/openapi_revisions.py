"""OpenAPI schemas and paths of safeguard revisions: revisions, diffs, the trajectory
(api/revisions.py)."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import PROJECT_ID, op, query, ref, widened
from reviewtool.services.proposals import ProposalFields
from reviewtool.services.revisions import SafeguardIn


def revision_schemas() -> dict[str, Any]:
    """Revisions, safeguards, diffs and the trajectory (api/revisions.py)."""
    safeguard_in = SafeguardIn.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = safeguard_in.pop("$defs", {})
    fields = ProposalFields.model_json_schema(ref_template="#/components/schemas/{model}")
    text, integer = {"type": "string"}, {"type": "integer"}
    objects = {"type": "array", "items": {"type": "object"}}
    figure = {"type": ["number", "null"]}
    return {
        **defs, "SafeguardIn": safeguard_in,
        "RevisionIn": widened(fields, "RevisionIn", {
            "safeguards": {"type": "array", "items": ref("SafeguardIn"),
                           "description": "Replaces the draft revision's safeguards."},
            "version": {"type": "integer", "description": "The project version the edit "
                                                          "started from (409 if stale)."}}),
        "Revision": {**widened(fields, "Revision", {
            "number": integer, "is_current": {"type": "boolean"},
            "submitted_at": {"type": ["string", "null"], "format": "date-time"},
            "snapshot_sha256": {"type": ["string", "null"], "description":
                                "SHA-256 of the stored canonical JSON snapshot."},
            "risk_catalogue_version": {"type": ["integer", "null"]},
            "risks": objects, "not_applicable": objects,
            "safeguards": {"type": "array", "items": widened(
                safeguard_in, "RevisionSafeguard", {"position": integer})}},
            ("number", "is_current", "submitted_at", "snapshot_sha256", "risks",
             "not_applicable", "safeguards")),
            "description": "A submitted revision is its frozen snapshot; a draft its live "
                           "content."},
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
    }
