"""The page face's pipeline: blueprints whose pages need a signed-in user, who becomes the
request's actor (reviewtool/http/pipeline.py loads projects and checks rules from there).

Commit and rollback happen once per request in reviewtool/http/transaction.py; a page that
shows a form again after a refusal calls its service through `attempt` and puts the problems
next to the fields with `form_errors.attach`."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from reviewtool.extensions import login_manager
from reviewtool.http.transaction import attempt
from reviewtool.permissions import can

__all__ = ["attempt", "nav_flags", "pages", "sign_in_required"]


def sign_in_required():
    """Send an anonymous visitor to the sign-in page; otherwise make the user the actor."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    g.actor = current_user._get_current_object()
    return None


def pages(name: str, import_name: str) -> Blueprint:
    """A blueprint of pages that all need a signed-in user."""
    bp = Blueprint(name, import_name)
    bp.before_request(sign_in_required)
    return bp


def nav_flags() -> dict[str, bool]:
    """What the site's navigation offers the signed-in user."""
    if not current_user.is_authenticated:
        return {}
    return {"new_proposal": can(current_user, "create_project"),
            "audit": can(current_user, "read_audit"),
            "manage_users": can(current_user, "manage_users"),
            "catalogues": can(current_user, "edit_catalogues"),
            "outbox": can(current_user, "manage_outbox"),
            "workflow": can(current_user, "read_workflow"),
            "portfolio": can(current_user, "read_portfolio"),
            "calibration": can(current_user, "read_calibration"),
            "consultations": can(current_user, "run_consultations"),
            "panel": can(current_user, "panel_member")}
