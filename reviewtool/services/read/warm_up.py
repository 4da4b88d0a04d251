"""What a serving process computes as it starts, before its first request.

A project page and a memo draw on figures of the whole pipeline (every reviewer's score
totals, each project type's latest closed rounds), kept per process until a write moves the
figures' stamp (services/figure_cache.py), and each statement they send is compiled once per
process by SQLAlchemy. A fresh gunicorn worker would otherwise do both inside the first page
or memo it serves: about 90 ms for the figures and 50 ms of compiling at 10,000 projects
(issue 13)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.memo.render import render_html
from reviewtool.models import Decision, Memo, Project, Revision
from reviewtool.services.read.memo import build_context
from reviewtool.services.read.normalised import kept_score_totals
from reviewtool.services.read.portfolio import kept_type_rounds


def warm_pipeline_figures(session: Session) -> list[str]:
    """Compute and keep every pipeline-wide figure; the project types warmed, in order."""
    kept_score_totals(session)
    types = list(session.scalars(
        select(Revision.project_type).where(Revision.is_current,
                                            Revision.project_type.is_not(None))
        .distinct().order_by(Revision.project_type)))
    for project_type in types:
        kept_type_rounds(session, project_type)
    return types


def warm_memo_statements(session: Session, settings: Mapping[str, Any]) -> int | None:
    """Build the newest stored memo's HTML again (and throw it away), so that every statement
    a memo sends is compiled; the project's id, or None when no memo is stored yet."""
    memo = session.scalar(select(Memo).order_by(Memo.id.desc()).limit(1))
    if memo is None:
        return None
    project, decision = session.get(Project, memo.project_id), session.get(Decision,
                                                                           memo.decision_id)
    render_html(build_context(session, project, settings, decision, draft=False))
    return project.id
