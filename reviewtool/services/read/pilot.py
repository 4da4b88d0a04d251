"""The pilot as plain values: plan, freeze hash, change log, evaluation, incidents, alerts;
the pilot part of the project page, and the builder's dashboard of running pilots."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewtool import figures
from reviewtool.enums import State
from reviewtool.models import (
    Alert,
    Criterion,
    Observation,
    Pilot,
    Project,
    Revision,
    User,
    pilot_builders,
)
from reviewtool.permissions import can
from reviewtool.services.pilot_records import severe_level
from reviewtool.services.read.rounds import iso

PLAN_STATES = (State.REVIEW.value, State.PILOT.value)
STALE_DAYS = 14  # a criterion not observed for this long is due again


def evaluation(pilot: Pilot | None, settings: Mapping[str, Any]) -> dict[str, Any] | None:
    """Each criterion's verdict from its observations, and the pilot's summary."""
    if pilot is None:
        return None
    rows = []
    for c in pilot.criteria:
        values = [o.value for o in c.observations]
        rows.append({"id": c.id, "kind": c.kind, "outcome": c.outcome, "metric": c.metric,
                     "comparator": c.comparator, "target": c.target, "unit": c.unit,
                     "measurement": c.measurement,
                     "verdict": figures.verdict(c.comparator, c.target, values),
                     "latest": values[-1] if values else None, "n_observations": len(values),
                     "observations": [{"value": o.value, "observed_on": o.observed_on.isoformat(),
                                       "note": o.note} for o in c.observations]})
    return {"criteria": rows,
            "summary": {**figures.pilot_tally((r["kind"], r["verdict"]) for r in rows),
                        "incidents": len(pilot.incidents),
                        "severe_incidents": sum(i.severity >= severe_level(settings)
                                                for i in pilot.incidents)}}


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
        "frozen_at": iso(pilot.frozen_at), "plan_sha256": pilot.plan_sha256,
        **evaluation(pilot, settings),
        "changes": [{"kind": c.kind, "justification": c.justification,
                     "plan_sha256": c.plan_sha256, "at": iso(c.changed_at)}
                    for c in pilot.changes],
        "incidents": [{"what": i.what, "category": i.category, "severity": i.severity,
                       "occurred_on": i.occurred_on.isoformat()} for i in pilot.incidents],
        "alerts": [{"id": a.id, "kind": a.kind, "message": a.message, "at": iso(a.created_at),
                    "resolved": a.resolved_at is not None} for a in alerts],
    }


def pilot_section(session: Session, project: Project, viewer: User,
                  settings: Mapping[str, Any]) -> dict[str, Any]:
    """The pilot part of the project page for `viewer` (`view` is None without a plan), with
    what the viewer may do: plan, record, resolve alerts."""
    view = pilot_view(session, project, settings)
    running = project.state == State.PILOT.value and view is not None and view["frozen_at"]
    return {"view": view,
            "can_plan": can(viewer, "plan_pilot", project) and project.state in PLAN_STATES,
            "can_record": bool(running) and can(viewer, "record_pilot", project),
            "can_resolve": can(viewer, "steward", project),
            # the forecasts page: once the plan froze, for whoever may see the reviews
            "forecasts": bool(view and view["frozen_at"]) and can(viewer, "see_reviews",
                                                                   project)}


def builder_pilots(session: Session, builder: User, *, today: date | None = None,
                   limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """`limit` of the builder's running pilots from `offset` (ending soonest first), with their
    criteria counts and what to record next, and how many running pilots they build in all (a
    window count): three queries whatever the number of pilots, over the pilots shown only."""
    today = today or date.today()
    pilot_rows = session.execute(
        select(Pilot.id, Project.id, Revision.title, Pilot.ends_on, func.count().over())
        .join(Project, Project.id == Pilot.project_id)
        .join(Revision, (Revision.project_id == Project.id) & Revision.is_current)
        .join(pilot_builders, pilot_builders.c.pilot_id == Pilot.id)
        .where(pilot_builders.c.user_id == builder.id, Project.state == State.PILOT.value)
        .order_by(Pilot.ends_on, Project.id).limit(limit).offset(offset)).all()
    total = pilot_rows[0][4] if pilot_rows else 0
    ids = [row[0] for row in pilot_rows]
    criteria = session.execute(
        select(Criterion.id, Criterion.pilot_id, Criterion.kind, Criterion.metric,
               Criterion.comparator, Criterion.target)
        .where(Criterion.pilot_id.in_(ids)).order_by(Criterion.position, Criterion.id)).all()
    values: dict[int, list[tuple[float, date]]] = {}
    for criterion_id, value, observed_on in session.execute(
            select(Observation.criterion_id, Observation.value, Observation.observed_on)
            .join(Criterion, Criterion.id == Observation.criterion_id)
            .where(Criterion.pilot_id.in_(ids))
            .order_by(Observation.observed_on, Observation.id)):
        values.setdefault(criterion_id, []).append((value, observed_on))
    due_since = today - timedelta(days=STALE_DAYS)
    verdicts: dict[int, list[tuple[str, str]]] = {pilot_id: [] for pilot_id, *_ in pilot_rows}
    due: dict[int, list[dict[str, Any]]] = {pilot_id: [] for pilot_id, *_ in pilot_rows}
    for criterion_id, pilot_id, kind, metric, comparator, target in criteria:
        seen = values.get(criterion_id, [])
        verdicts[pilot_id].append((kind, figures.verdict(comparator, target,
                                                         [v for v, _ in seen])))
        last = max((day for _, day in seen), default=None)
        if last is None or last < due_since:
            due[pilot_id].append({"id": criterion_id, "metric": metric, "last": last})
    result = []
    for pilot_id, project_id, title, ends_on, _ in pilot_rows:
        tally = figures.pilot_tally(verdicts[pilot_id])
        result.append({"project_id": project_id, "title": title, "ends_on": ends_on,
                       "days_left": (ends_on - today).days, "met": tally["success_met"],
                       "breached": tally["kill_breached"], "pending": tally["pending"],
                       "next": due[pilot_id]})
    return result, total
