"""Pilot forecasts: the invitation when the plan is frozen, the locked forecasts, and their
scores when the pilot finishes (formulas in reviewtool/forecast_scores.py).

The window closes on the invitation's closing date or at the pilot's first observation,
whichever comes first: a forecast made after seeing a measurement predicts nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import figures, forecast_scores
from reviewtool.enums import Role
from reviewtool.errors import Conflict, Invalid
from reviewtool.models import (
    Forecast,
    ForecastInvitation,
    Pilot,
    Project,
    User,
    UserRole,
    utcnow,
)
from reviewtool.models.round_reads import project_rounds
from reviewtool.permissions import is_conflicted, require
from reviewtool.services.notifications import Note, notify
from reviewtool.services.validation import parse

FORECAST_DAYS_DEFAULT = 7
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ForecastItemIn(BaseModel):
    """One criterion's forecast: the probability, in whole percent, that it is met (success)
    or breached (kill)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    criterion_id: Id
    probability: Annotated[int, Field(ge=1, le=99)]


class ForecastsIn(BaseModel):
    """Every criterion of the pilot at once (POST /projects/{id}/forecasts)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    forecasts: Annotated[list[ForecastItemIn], Field(min_length=1, max_length=50)]


def forecast_days(settings: Mapping[str, Any]) -> int:
    """How many days after the pilot starts forecasts are taken (workflow setting)."""
    return int(settings.get("forecast_days", FORECAST_DAYS_DEFAULT))


def invitees(session: Session, project: Project) -> list[tuple[User, str]]:
    """The reviewers of the last round (who did not withdraw) and every active grantmaker
    who may steer the project, each once (a reviewer who is also a grantmaker as reviewer)."""
    rounds = project_rounds(session, project.id)
    people: dict[int, tuple[User, str]] = {}
    for assignment in rounds[-1].assignments if rounds else []:
        if assignment.withdrawn_at is None and assignment.reviewer.is_active:
            people[assignment.reviewer_id] = (assignment.reviewer, "reviewer")
    grantmakers = session.scalars(select(User).join(UserRole).where(
        UserRole.role == Role.GRANTMAKER.value, User.is_active).order_by(User.id))
    for grantmaker in grantmakers:
        if not is_conflicted(grantmaker, project):
            people.setdefault(grantmaker.id, (grantmaker, "grantmaker"))
    return sorted(people.values(), key=lambda pair: pair[0].id)


def invite(session: Session, project: Project, settings: Mapping[str, Any]) -> list[
        ForecastInvitation]:
    """Invite the forecasters of a pilot whose plan was just frozen, and mail each of them."""
    pilot = project.pilot
    closes_on = min(date.today() + timedelta(days=forecast_days(settings)), pilot.ends_on)
    invitations, people = [], []
    for user, role in invitees(session, project):
        invitation = ForecastInvitation(pilot_id=pilot.id, user_id=user.id, role=role,
                                        closes_on=closes_on)
        session.add(invitation)
        invitations.append(invitation)
        people.append(user)
    notify(session, people, invitation_note(project, closes_on))  # as each chose
    session.flush()
    return invitations


def invitation_note(project: Project, closes_on: date) -> Note:
    """The invitation to forecast a pilot (notification kind `forecast_invitation`)."""
    title = project.current_revision.title
    return Note(
        kind="forecast_invitation", subject=f"Forecast the pilot: {title}",
        lines=[f"The pilot of \"{title}\" has started. Give your probability for each "
               "success criterion to be met and each kill criterion to be breached, until "
               f"{closes_on.day} {closes_on:%b %Y} or the first observation, whichever comes "
               "first.",
               "Your forecasts are hidden from everyone else until the pilot finishes, then "
               "scored."],
        path=f"/projects/{project.id}/forecasts", action="Give your forecasts",
        project_id=project.id)


def invitation_of(session: Session, pilot: Pilot | None, user: User) -> ForecastInvitation | None:
    """The user's invitation to forecast this pilot, if any."""
    if pilot is None:
        return None
    return session.scalar(select(ForecastInvitation).where(
        ForecastInvitation.pilot_id == pilot.id, ForecastInvitation.user_id == user.id))


def window_problem(project: Project, invitation: ForecastInvitation | None,
                   today: date) -> str | None:
    """Why forecasts are no longer taken, or None while the window is open (the rule
    `forecast` decides who; without an invitation only the pilot's own end applies)."""
    pilot = project.pilot
    if project.state != "pilot" or pilot is None or pilot.frozen_at is None:
        return "The pilot is not running, so forecasts are not taken now."
    if invitation is not None and today > invitation.closes_on:
        return f"Forecasts closed on {invitation.closes_on.isoformat()}."
    if any(c.observations for c in pilot.criteria):
        return "Forecasts closed at the pilot's first observation."
    return None


def forecast_hash(pilot: Pilot, user_id: int, items: list[tuple[int, int]], locked: str) -> str:
    """SHA-256 of what was forecast, by whom, when, against which frozen plan."""
    text = json.dumps({"plan_sha256": pilot.plan_sha256, "user_id": user_id, "locked_at": locked,
                       "forecasts": [{"criterion_id": c, "probability": p} for c, p in items]},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def submit(session: Session, actor: User, project: Project, data: Any) -> list[Forecast]:
    """Lock the actor's forecasts, one per criterion of the pilot, all at once."""
    require(actor, "forecast", project)
    pilot = project.pilot
    invitation = invitation_of(session, pilot, actor)
    problem = window_problem(project, invitation, date.today())
    if problem:
        raise Conflict(problem)
    if session.scalar(select(Forecast.id).where(Forecast.pilot_id == pilot.id,
                                                Forecast.user_id == actor.id).limit(1)):
        raise Conflict("Your forecasts are locked: they cannot be changed.")
    given = parse(ForecastsIn, data, what="the forecasts")
    ids = [c.id for c in pilot.criteria]
    sent = [item.criterion_id for item in given.forecasts]
    problems = [{"field": f"forecasts.{i}.criterion_id", "message":
                 f"criterion_id {c} is not a criterion of this pilot."}
                for i, c in enumerate(sent) if c not in ids]
    if len(set(sent)) != len(sent):
        problems.append({"field": "forecasts", "message": "Give each criterion once."})
    problems += [{"field": "forecasts", "message": f"Give a probability for criterion {c}."}
                 for c in ids if c not in sent]
    if problems:
        raise Invalid(problems=problems)
    now = utcnow()
    items = [(item.criterion_id, item.probability) for item in given.forecasts]
    digest = forecast_hash(pilot, actor.id, sorted(items), now.isoformat())
    forecasts = [Forecast(pilot_id=pilot.id, criterion_id=c, user_id=actor.id, probability=p,
                          locked_at=now, sha256=digest) for c, p in items]
    session.add_all(forecasts)
    session.flush()
    return forecasts


def score(session: Session, project: Project) -> int:
    """Score every forecast of the pilot against its criterion's verdict; returns how many.
    A criterion still pending (no observation) leaves its forecasts unscored."""
    pilot = project.pilot
    happened = {}
    for criterion in pilot.criteria:
        verdict = figures.verdict(criterion.comparator, criterion.target,
                                  [o.value for o in criterion.observations])
        if verdict != "pending":
            happened[criterion.id] = verdict == "met"  # a kill criterion's "met" = breached
    now, scored = utcnow(), 0
    for forecast in session.scalars(select(Forecast).where(Forecast.pilot_id == pilot.id)):
        if forecast.criterion_id in happened:
            forecast.happened = happened[forecast.criterion_id]
            forecast.brier = forecast_scores.brier(forecast.probability, forecast.happened)
            forecast.scored_at = now
            scored += 1
    session.flush()
    return scored
