"""The trajectory of a project's figures across review rounds, and how reviewers moved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from reviewtool.charts import trajectory as trajectory_chart
from reviewtool.models import Project, User
from reviewtool.permissions import can
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.labels import category_labels
from reviewtool.services.read.rounds import reviewer_movement, rounds_view


@dataclass(frozen=True)
class Trajectory:
    """Per round its figures (as the viewer may see them), the categories flagged in any
    round, the chart, and (for those who may see reviewers) each reviewer's movement."""

    rounds: list[dict[str, Any]]
    categories: list[tuple[str, str]]
    chart: Markup
    reviewers: list[dict[str, Any]] | None


def moved(said: list[bool]) -> str:
    """How a reviewer's "could be net negative" answer moved from their first to last review."""
    if len(said) < 2:
        return "reviewed once"
    if said[0] == said[-1]:
        return "still net negative" if said[-1] else "still not net negative"
    return "no longer net negative" if said[0] else "now net negative"


def trajectory_view(session: Session, project: Project, viewer: User) -> Trajectory:
    """The trajectory as `viewer` may see it (rounds_view refuses whoever declared a conflict).

    Figures hidden from a reviewer who has not yet reviewed a round stay hidden here."""
    rounds = rounds_view(session, project, viewer)
    labels = category_labels(session, load_catalogues(session), project)
    keys = list(dict.fromkeys(c["category"] for r in rounds for c in r["categories"] or []))
    for r in rounds:
        r["by_category"] = {c["category"]: c["concern_pct"] for c in r["categories"] or []}
    movement = None
    if can(viewer, "see_reviewers", project):
        movement = reviewer_movement(session, project)
        for person in movement:
            person["by_round"] = {cell["round"]: cell for cell in person["rounds"]}
            person["moved"] = moved([cell["net_negative"] for cell in person["rounds"]
                                     if cell["net_negative"] is not None])
    return Trajectory(rounds, [(k, labels.get(k, k)) for k in keys], trajectory_chart(rounds),
                      movement)
