"""Memo downloads from the pages: the same files and headers as the JSON API's
/projects/<id>/memo.pdf and memo.html, for the signed-in user (grantmakers and the owner)."""

from __future__ import annotations

from reviewtool import db
from reviewtool.http.memo_response import memo_response
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.services.memos import memo_for
from reviewtool.web.pipeline import pages

bp = pages("memos", __name__)


def _memo(project: Project, *, as_pdf: bool):
    memo = memo_for(db.session(), actor(), project, workflow().settings, as_pdf=as_pdf)
    return memo_response(memo, as_pdf=as_pdf)


@bp.get("/projects/<int:project_id>/memo.pdf")
@project_route()
def pdf(project: Project):
    """The decision memo as PDF: the stored bytes, or a draft while the decision is pending."""
    return _memo(project, as_pdf=True)


@bp.get("/projects/<int:project_id>/memo.html")
@project_route()
def html(project: Project):
    """The decision memo as HTML."""
    return _memo(project, as_pdf=False)
