"""The pilot as plain values: plan, freeze hash, change log, evaluation, incidents, alerts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Alert, Project
from reviewtool.services.pilot_work import evaluation


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def pilot_view(session: Session, project: Project, settings: Mapping[str, Any],
               *, today: date | None = None) -> dict[str, Any] | None:
    """Everything about the project's pilot; None when it has no plan."""
    pilot = project.pilot
    if pilot is None:
        return None
    today = today or date.today()
    alerts = session.scalars(select(Alert).where(Alert.project_id == project.id)
                             .order_by(Alert.created_at)).all()
    return {
        "builders": [{"id": u.id, "name": u.name} for u in pilot.builders],
        "starts_on": pilot.starts_on.isoformat(), "ends_on": pilot.ends_on.isoformat(),
        "days_left": (pilot.ends_on - today).days, "budget": pilot.budget,
        "frozen_at": _iso(pilot.frozen_at), "plan_sha256": pilot.plan_sha256,
        **evaluation(pilot, settings),
        "changes": [{"kind": c.kind, "justification": c.justification,
                     "plan_sha256": c.plan_sha256, "at": _iso(c.changed_at)}
                    for c in pilot.changes],
        "incidents": [{"what": i.what, "category": i.category, "severity": i.severity,
                       "occurred_on": i.occurred_on.isoformat()} for i in pilot.incidents],
        "alerts": [{"id": a.id, "kind": a.kind, "message": a.message, "at": _iso(a.created_at),
                    "resolved": a.resolved_at is not None} for a in alerts],
    }
