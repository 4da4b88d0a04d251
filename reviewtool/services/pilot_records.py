"""What builders record during a pilot, the evaluation of its criteria, and the alerts that a
breached kill criterion or a severe incident raise."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import figures
from reviewtool.enums import Role
from reviewtool.errors import Conflict, Invalid, NotFound
from reviewtool.models import Alert, Incident, Observation, Pilot, Project, User, UserRole
from reviewtool.models.types import is_valid_id, utcnow
from reviewtool.permissions import is_conflicted, require
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.notifications import Note, notify
from reviewtool.services.validation import parse

SEVERE_DEFAULT = 4


class ObservationIn(BaseModel):
    """One observation: {criterion_id, value, observed_on, note}."""

    model_config = ConfigDict(extra="forbid", strict=True)
    criterion_id: int
    value: Annotated[float, Field(allow_inf_nan=False)]  # finite; an int is taken as a float
    observed_on: Annotated[date, Field(strict=False)]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class IncidentIn(BaseModel):
    """One incident: what happened, its risk category and severity."""

    model_config = ConfigDict(extra="forbid", strict=True)
    what: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    category: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    severity: Annotated[int, Field(ge=1, le=5)]
    occurred_on: Annotated[date, Field(strict=False)]


def running_pilot(user: User, project: Project) -> Pilot:
    """The project's pilot, if `user` builds it (403) and it is running now (409)."""
    require(user, "record_pilot", project)
    pilot = project.pilot
    if project.state != "pilot" or pilot.frozen_at is None:
        raise Conflict("The pilot is not running, so nothing can be recorded now.")
    return pilot


def _not_future(day: date, field: str) -> None:
    if day > date.today() + timedelta(days=1):
        raise Invalid(problems=[{"field": field, "message": f"{field} is in the future."}])


def _not_before_start(pilot: Pilot, day: date, field: str) -> None:
    if day < pilot.starts_on:
        raise Invalid(problems=[{"field": field, "message": f"{field}: {day.isoformat()} is "
                                 f"before the pilot starts ({pilot.starts_on.isoformat()})."}])


def record_observation(session: Session, user: User, project: Project, data: Any) -> Observation:
    """Record a value for one criterion; a breached kill criterion raises an alert."""
    pilot = running_pilot(user, project)
    item = parse(ObservationIn, data, what="the observation")
    _not_future(item.observed_on, "observed_on")
    _not_before_start(pilot, item.observed_on, "observed_on")
    criterion = next((c for c in pilot.criteria if c.id == item.criterion_id), None)
    if criterion is None:
        raise Invalid(problems=[{"field": "criterion_id", "message":
                                 f"criterion_id {item.criterion_id} is not a criterion of this "
                                 "pilot."}])
    was = figures.verdict(criterion.comparator, criterion.target,
                          [o.value for o in criterion.observations])
    observation = Observation(criterion_id=criterion.id, value=float(item.value),
                              observed_on=item.observed_on, note=item.note,
                              recorded_by_id=user.id)
    session.add(observation)
    session.flush()
    session.expire(criterion, ["observations"])
    now = figures.verdict(criterion.comparator, criterion.target,
                          [o.value for o in criterion.observations])
    # Alert when the kill criterion becomes breached, not again for every further observation
    # that confirms it: the grantmakers were told once.
    if criterion.kind == "kill" and now == "met" and was != "met":
        raise_alert(session, project, "kill_criterion",
                    f"Kill criterion breached: {criterion.metric} {criterion.comparator} "
                    f"{criterion.target:g} {criterion.unit} (observed {item.value:g} on "
                    f"{item.observed_on.isoformat()}).")
    return observation


def record_incident(session: Session, user: User, project: Project, data: Any,
                    cats: Catalogues, settings: Mapping[str, Any]) -> Incident:
    """Record an incident; one at the workflow's severe level raises an alert."""
    pilot = running_pilot(user, project)
    item = parse(IncidentIn, data, what="the incident")
    _not_future(item.occurred_on, "occurred_on")
    _not_before_start(pilot, item.occurred_on, "occurred_on")
    if item.category not in cats.keys("risk_categories"):
        raise Invalid(problems=[{"field": "category", "message":
                                 f"category {item.category!r} is not a risk category."}])
    incident = Incident(pilot_id=pilot.id, recorded_by_id=user.id, **item.model_dump())
    session.add(incident)
    session.flush()
    session.expire(pilot, ["incidents"])  # the evaluation counts it from now on
    if item.severity >= severe_level(settings):
        raise_alert(session, project, "severe_incident",
                    f"Severe incident (severity {item.severity}, "
                    f"{cats.label('risk_categories', item.category)}): {item.what}")
    return incident


def raise_alert(session: Session, project: Project, kind: str, message: str) -> Alert:
    """Show an alert on the project and e-mail every grantmaker without a conflict with it."""
    alert = Alert(project_id=project.id, kind=kind, message=message)
    session.add(alert)
    grantmakers = session.scalars(select(User).join(UserRole).where(
        UserRole.role == Role.GRANTMAKER.value, User.is_active).order_by(User.id))
    title = project.current_revision.title
    # The mail carries incident text: only grantmakers who may steer this project get it.
    notify(session, [g for g in grantmakers if not is_conflicted(g, project)], Note(
        "pilot_alert", f"Pilot alert: {title}", [message, f"Project: {title}"],
        f"/projects/{project.id}/pilot", "Open the pilot and resolve the alert", project.id))
    session.flush()
    return alert


def severe_level(settings: Mapping[str, Any]) -> int:
    """The incident severity from which an incident counts as severe (workflow setting)."""
    return int(settings.get("severe_incident_severity", SEVERE_DEFAULT))


def resolve_alert(session: Session, actor: User, project: Project, alert_id: int) -> Alert:
    """Mark an alert as dealt with (grantmakers without a conflict); it leaves the page."""
    require(actor, "steward", project)
    alert = session.get(Alert, alert_id) if is_valid_id(alert_id) else None
    if alert is None or alert.project_id != project.id:
        raise NotFound(f"Project {project.id} has no alert {alert_id}.")
    if alert.resolved_at is not None:
        raise Conflict("That alert is already resolved.")
    alert.resolved_at = utcnow()
    session.flush()
    return alert
