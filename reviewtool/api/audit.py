"""The audit trail, searchable (grantmakers and admins)."""

from __future__ import annotations

from flask import request

from reviewtool import db
from reviewtool.api.pipeline import bp, int_arg
from reviewtool.http.pipeline import actor
from reviewtool.services.read.audit import parse_audit_query, search_audit

FIELDS = ("type", "id", "at", "actor", "project_id", "what", "from", "to", "comment", "user",
          "address", "sha256")


@bp.get("/audit")
def audit():
    """Audit events, newest first (filters: project, user, from, to; paginated)."""
    found = search_audit(db.session(), actor(), parse_audit_query(request.args),
                         page=int_arg("page", 1), per_page=int_arg("per_page", 50, high=100))
    return {"items": [{k: row[k] for k in FIELDS} for row in found.items],
            "page": found.page, "per_page": found.per_page, "total": found.total}
