"""The decision memo as PDF and HTML attachments."""

from __future__ import annotations

from reviewtool import db
from reviewtool.api.pipeline import bp
from reviewtool.http.memo_response import memo_response
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.services.memos import memo_for


@bp.get("/projects/<int:project_id>/memo.pdf")
@project_route()
def memo_pdf(project: Project):
    """The decision memo as PDF (grantmakers and the proposer); a draft before the decision."""
    return memo_response(memo_for(db.session(), actor(), project, workflow().settings,
                                  as_pdf=True), as_pdf=True)


@bp.get("/projects/<int:project_id>/memo.html")
@project_route()
def memo_html(project: Project):
    """The decision memo as HTML."""
    return memo_response(memo_for(db.session(), actor(), project, workflow().settings,
                                  as_pdf=False), as_pdf=False)
