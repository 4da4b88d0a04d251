"""Memo downloads from the pages: the same files and headers as the JSON API's
/projects/<id>/memo.pdf and memo.html, for the signed-in user (grantmakers and the owner)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required

from reviewtool import db
from reviewtool.memo.http import memo_response
from reviewtool.permissions import load_project
from reviewtool.services.decisions import memo_for
from reviewtool.web.helpers import workflow

bp = Blueprint("memos", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every memo here needs a signed-in user."""


def _memo(project_id: int, *, as_pdf: bool):
    session = db.session()
    project = load_project(session, current_user, project_id)  # 404 before 403
    memo = memo_for(session, current_user, project, workflow().settings, as_pdf=as_pdf)
    return memo_response(memo, as_pdf=as_pdf)


@bp.get("/projects/<int:project_id>/memo.pdf")
def pdf(project_id: int):
    """The decision memo as PDF: the stored bytes, or a draft while the decision is pending."""
    return _memo(project_id, as_pdf=True)


@bp.get("/projects/<int:project_id>/memo.html")
def html(project_id: int):
    """The decision memo as HTML."""
    return _memo(project_id, as_pdf=False)
