"""The decision memo as PDF and HTML attachments."""

from __future__ import annotations

from flask import Response

from reviewtool import db
from reviewtool.api import bp, current_user, workflow
from reviewtool.permissions import load_project
from reviewtool.services.decisions import MemoFile, memo_for


def memo_response(memo: MemoFile, *, as_pdf: bool) -> Response:
    """Serve a memo as an attachment, with its SHA-256 in a header when stored."""
    body = memo.pdf if as_pdf else memo.html
    response = Response(body, mimetype="application/pdf" if as_pdf else "text/html")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{memo.filename}.{"pdf" if as_pdf else "html"}"')
    response.headers["Cache-Control"] = "private, no-store" if memo.draft else "private"
    if memo.sha256 and as_pdf:
        response.headers["X-Memo-SHA256"] = memo.sha256
    if not as_pdf:
        # The memo's HTML carries its own inline stylesheet and no script.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    return response


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
