"""The decision memo as PDF and HTML attachments."""

from __future__ import annotations

from reviewtool import db
from reviewtool.api import bp, current_user, workflow
from reviewtool.memo.http import memo_response
from reviewtool.permissions import load_project
from reviewtool.services.decisions import memo_for

__all__ = ["memo_html", "memo_pdf", "memo_response"]


@bp.get("/projects/<int:project_id>/memo.pdf")
def memo_pdf(project_id: int):
    """The decision memo as PDF (grantmakers and the proposer); a draft before the decision."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    return memo_response(memo_for(session, current_user(), project, workflow().settings,
                                  as_pdf=True), as_pdf=True)


@bp.get("/projects/<int:project_id>/memo.html")
def memo_html(project_id: int):
    """The decision memo as HTML."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    return memo_response(memo_for(session, current_user(), project, workflow().settings,
                                  as_pdf=False), as_pdf=False)
