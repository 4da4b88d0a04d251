"""A project's history: every move, oldest first, as plain values (pages, API and memo)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Project, TransitionEvent
from reviewtool.services.read.rounds import iso


def project_history(session: Session, project: Project) -> list[dict[str, Any]]:
    """The transition events of `project`, oldest first: one query (the actor is joined)."""
    events = session.scalars(select(TransitionEvent)
                             .where(TransitionEvent.project_id == project.id)
                             .order_by(TransitionEvent.at, TransitionEvent.id))
    return [{"at": iso(e.at), "at_datetime": e.at,
             "actor": {"id": e.actor.id, "name": e.actor.name},
             "from": e.from_state, "to": e.to_state, "trigger": e.trigger,
             "comment": e.comment, "override_rationale": e.override_rationale}
            for e in events]
