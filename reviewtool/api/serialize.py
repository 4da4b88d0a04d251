"""Models → JSON shapes of CONTRACT.md. Plain dicts; no ORM object leaves this module."""

from __future__ import annotations

from typing import Any

from reviewtool.models import Project, User
from reviewtool.services.proposals import proposal_values
from reviewtool.services.read.rounds import iso
from reviewtool.services.transitions import allowed_triggers
from reviewtool.workflow import Workflow


def project_summary(project: Project) -> dict[str, Any]:
    """The short form used in lists."""
    revision = project.current_revision
    return {"id": project.id, "state": project.state, "version": project.version,
            "title": revision.title, "project_type": revision.project_type,
            "owner": {"id": project.owner.id, "name": project.owner.name},
            "updated_at": iso(project.updated_at)}


def project_json(project: Project, viewer: User, workflow: Workflow,
                 risk_model: dict[str, Any]) -> dict[str, Any]:
    """The full project as GET /projects/{id} returns it."""
    revision = project.current_revision
    return {
        **project_summary(project),
        "created_at": iso(project.created_at),
        "revision": {"number": revision.number, "submitted_at": iso(revision.submitted_at),
                     **proposal_values(revision)},
        "risk_model": risk_model_json(risk_model),
        "allowed_triggers": allowed_triggers(workflow, viewer, project),
    }


def risk_model_json(view: dict[str, Any]) -> dict[str, Any]:
    """The API shape of a risk model view (the page-only parts left out)."""
    return {"catalogue_version": view["catalogue_version"], "risks": view["risks"],
            "not_applicable": view["not_applicable"], "problems": view["problems"],
            "above_appetite": view["above_appetite"], "appetite": view["appetite"]}


def event_json(event: dict[str, Any]) -> dict[str, Any]:
    """One history entry (from services.read.history), in the API's shape."""
    return {key: event[key] for key in ("at", "actor", "from", "to", "trigger", "comment",
                                        "override_rationale")}
