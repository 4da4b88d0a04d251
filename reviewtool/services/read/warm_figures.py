"""The pipeline-wide figures computed as a process starts, before its first request.

A project page and a memo draw on figures of the whole pipeline (every reviewer's score
totals, each project type's latest closed rounds), kept per process until a write moves the
figures' stamp (services/figure_cache.py). A fresh gunicorn worker would otherwise compute
them inside the first page or memo it serves: about 90 ms at 10,000 projects (issue 13)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Revision
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
