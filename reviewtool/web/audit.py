"""The audit trail page (grantmakers and admins): search by project, user and date."""

from __future__ import annotations

from flask import render_template, request

from reviewtool import db
from reviewtool.errors import Invalid
from reviewtool.http.pipeline import actor
from reviewtool.inputs import NUMBER_MAX, whole_number
from reviewtool.permissions import require
from reviewtool.services.read.audit import parse_audit_query, search_audit
from reviewtool.web.pipeline import pages

bp = pages("audit", __name__)
PER_PAGE = 50


@bp.get("/audit")
def index():
    """The trail, newest first, with the filters as typed; bad filters are a 422 that keeps
    them and says which one is wrong."""
    require(actor(), "read_audit")
    page = whole_number(request.args.get("page", "1"), low=1, high=NUMBER_MAX) or 1
    filters = {k: request.args.get(k, "") for k in ("project", "user", "from", "to")}
    try:
        query = parse_audit_query(request.args)
    except Invalid as refused:  # shown with the form, as typed
        return render_template("audit/index.html", filters=filters, found=None,
                               problems=refused.messages), 422
    found = search_audit(db.session(), actor(), query, page=page, per_page=PER_PAGE)
    return render_template("audit/index.html", filters=filters, found=found, problems=[],
                           pages=max(1, -(-found.total // PER_PAGE)))
