"""The OpenAPI 3.1 document, built from the same pydantic models the services validate with."""

from __future__ import annotations

from typing import Any

from flask import url_for

from reviewtool.api import (
    openapi_accounts,
    openapi_consultations,
    openapi_forecasts,
    openapi_pilots,
    openapi_portfolio,
    openapi_reviews,
    openapi_revisions,
)
from reviewtool.api.openapi_base import (
    PAGING,
    PROJECT_ID,
    op,
    query,
    ref,
    widened,
)
from reviewtool.api.pipeline import bp
from reviewtool.services.proposals import ProposalFields
from reviewtool.services.risks import RiskModelIn


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
    project = {"allOf": [ref("ProjectSummary"), {"type": "object", "properties": {
        "revision": ref("ProjectRevision"),
        "risk_model": ref("RiskModel"),
        "allowed_triggers": {"type": "array", "items": {"type": "string"}}}}]}
    # The closed ProposalFields object, widened where the API says more (the patch's version,
    # the revision's number).
    patch = widened(fields, "ProposalPatch", {"version": {"type": "integer"}}, ("version",))
    revision = widened(fields, "ProjectRevision", {
        "number": {"type": "integer"},
        "submitted_at": {"type": ["string", "null"], "format": "date-time"}},
        ("number", "submitted_at"))
    return {
        **defs, "ProposalFields": fields, "ProposalPatch": patch, "ProjectRevision": revision,
        "RiskModelIn": risk_in,
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
        **openapi_reviews.review_schemas(),
        **openapi_revisions.revision_schemas(),
        **openapi_pilots.pilot_schemas(),
        **openapi_forecasts.forecast_schemas(),
        **openapi_portfolio.portfolio_schemas(),
        **openapi_consultations.consultation_schemas(),
        "AuditPage": {"type": "object", "required": ["items", "page", "per_page", "total"],
                      "properties": {"items": {"type": "array", "items": ref("AuditEvent")},
                                     "page": {"type": "integer"},
                                     "per_page": {"type": "integer"},
                                     "total": {"type": "integer"}}},
        "AuditEvent": {"type": "object", "required": ["type", "id", "at", "what", "sha256"],
                       "properties": {
                           "type": {"enum": ["transition", "account"]},
                           "id": {"type": "integer"}, "at": {"type": "string"},
                           "actor": {"type": ["object", "null"]},
                           "project_id": {"type": ["integer", "null"]},
                           "what": {"type": "string", "description": "The trigger, or the "
                                                                     "account event's kind"},
                           "from": {"type": ["string", "null"]},
                           "to": {"type": ["string", "null"]},
                           "comment": {"type": "string"},
                           "user": {"type": ["object", "null"]},
                           "address": {"type": ["string", "null"]},
                           "sha256": {"type": "string"}}},
        **openapi_accounts.account_schemas(),
        "Event": {"type": "object", "properties": {
            "at": {"type": "string"}, "actor": {"type": "object"}, "from": {"type": "string"},
            "to": {"type": "string"}, "trigger": {"type": "string"},
            "comment": {"type": "string"}}},
    }


def _paths() -> dict[str, Any]:
    transition_body = {"type": "object", "required": ["trigger"], "properties": {
        "trigger": {"type": "string"}, "comment": {"type": "string"},
        "version": {"type": "integer"}, "override_rationale": {"type": "string"},
        **openapi_pilots.decision_properties()}}
    return {
        **openapi_accounts.account_paths(),
        "/me": {"get": op("The caller", (200, ref("User")), (401,))},
        "/users": {"get": op("Users (grantmakers, admins)", (200, ref("Page")), (401, 403, 422),
                              params=[*PAGING, query("role", {"type": "string"}),
                                      query("q", {"type": "string"})])},
        "/catalogues": {"get": op("Every catalogue as lists of {key, label}",
                                   (200, {"type": "object"}), (401,))},
        "/catalogues/{name}": {
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "post": op("Add an entry to a catalogue (admins)", (201, {"type": "object"}),
                        (401, 403, 409, 422),
                        body={"type": "object", "required": ["key", "label"], "properties": {
                            "key": {"type": "string"}, "label": {"type": "string"},
                            "description": {"type": "string"},
                            "guidance": {"type": "string"}}})},
        "/projects": {
            "get": op("Projects the caller may see", (200, ref("Page")), (401, 422),
                       params=[*PAGING, query("state", {"type": "string"}),
                               query("type", {"type": "string"})]),
            "post": op("Create a draft (proposers)", (201, ref("Project")), (401, 403, 422),
                        body=ref("ProposalFields"))},
        "/projects/{project_id}": {
            "parameters": [PROJECT_ID],
            "get": op("One project", (200, ref("Project")), (401, 404)),
            "patch": op("Edit the proposal (owner; draft, risk_model, revision)",
                         (200, ref("Project")), (401, 403, 404, 409, 422),
                         body=ref("ProposalPatch"))},
        "/projects/{project_id}/transitions": {
            "parameters": [PROJECT_ID],
            "post": op("Fire a workflow trigger", (200, ref("Project")),
                        (401, 403, 404, 409, 422), body=transition_body)},
        "/projects/{project_id}/risks": {
            "parameters": [PROJECT_ID],
            "get": op("The risk model of the current revision", (200, ref("RiskModel")),
                       (401, 404)),
            "put": op("Replace the risk model (owner, while editable); risks keep their id",
                       (200, ref("RiskModel")), (401, 403, 404, 409, 422),
                       body=ref("RiskModelIn"))},
        "/projects/{project_id}/history": {
            "parameters": [PROJECT_ID],
            "get": op("Transition events, oldest first",
                       (200, {"type": "array", "items": ref("Event")}), (401, 404))},
        **openapi_reviews.review_paths(),
        **openapi_revisions.revision_paths(),
        **openapi_pilots.pilot_paths(),
        **openapi_pilots.memo_paths(),
        **openapi_forecasts.forecast_paths(),
        "/audit": {"get": op("The audit trail, newest first (grantmakers and admins; account "
                              "events for admins only)", (200, ref("AuditPage")),
                              (401, 403, 422),
                              params=[*PAGING, query("project", {"type": "integer"}),
                                      query("user", {"type": "integer"}),
                                      query("from", {"type": "string", "format": "date"}),
                                      query("to", {"type": "string", "format": "date"})])},
        **openapi_portfolio.portfolio_paths(),
        **openapi_consultations.consultation_paths(),
        "/openapi.json": {"get": op("This document", (200, {"type": "object"}), (), public=True)},
    }


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
