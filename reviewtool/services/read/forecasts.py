"""A pilot's forecasts as one viewer may see them.

Before the pilot finishes a forecaster sees only their own forecasts; nobody else sees any
(not even grantmakers: a forecast seen early anchors the next one). After it finishes anyone
who may see the project's reviews sees each criterion's aggregate (mean and median) and its
score, forecasters their own scores too, and grantmakers and admins every person's forecasts
and scores with names; the proposer only ever sees the aggregate."""

from __future__ import annotations

from datetime import date
from statistics import mean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import forecast_scores as fs
from reviewtool.models import Forecast, Project, User
from reviewtool.permissions import can, require
from reviewtool.services.forecasts import invitation_of, window_problem
from reviewtool.services.read.rounds import iso


def question(criterion: Any) -> str:
    """What a forecast of this criterion is the probability of, in words."""
    condition = f"{criterion.metric} {criterion.comparator} {criterion.target:g} {criterion.unit}"
    verb = "is breached (the pilot should stop)" if criterion.kind == "kill" else "is met"
    kind = "Kill" if criterion.kind == "kill" else "Success"
    return f"{kind} criterion “{condition.strip()}” {verb}"


def _forecast(f: Forecast) -> dict[str, Any]:
    return {"criterion_id": f.criterion_id, "probability": f.probability,
            "locked_at": iso(f.locked_at), "sha256": f.sha256, "happened": f.happened,
            "brier": f.brier}


def _mean_brier(rows: list[Forecast]) -> float | None:
    scored = [f.brier for f in rows if f.brier is not None]
    return fs.summary(scored)["mean_brier"]


def is_finished(project: Project) -> bool:
    """The pilot ran and is over: its forecasts may be shown."""
    return (project.pilot is not None and project.pilot.frozen_at is not None
            and project.state != "pilot")


def forecasts_view(session: Session, project: Project, viewer: User,
                   today: date | None = None) -> dict[str, Any] | None:
    """The forecasts part of the project for `viewer`; None when the pilot never started."""
    require(viewer, "see_reviews", project)
    pilot = project.pilot
    if pilot is None or pilot.frozen_at is None:
        return None
    rows = list(session.scalars(select(Forecast).where(Forecast.pilot_id == pilot.id)
                                .order_by(Forecast.user_id, Forecast.criterion_id)))
    mine = [f for f in rows if f.user_id == viewer.id]
    invitation = invitation_of(session, pilot, viewer)
    problem = window_problem(project, invitation, today or date.today()) if invitation else None
    finished = is_finished(project)
    view: dict[str, Any] = {
        "criteria": [{"id": c.id, "kind": c.kind, "question": question(c)}
                     for c in pilot.criteria],
        "invited": invitation is not None,
        "closes_on": invitation.closes_on.isoformat() if invitation else None,
        "closed_because": problem,
        "can_forecast": bool(invitation and not problem and not mine
                             and can(viewer, "forecast", project)),
        "finished": finished,
        "mine": [_forecast(f) for f in mine],
        "my_mean_brier": _mean_brier(mine) if finished else None,
        "aggregate": None, "aggregate_brier": None, "people": None}
    if not finished:
        return view
    view["aggregate"] = aggregate_rows(pilot.criteria, rows)
    scored = [a for a in view["aggregate"] if a["brier_mean"] is not None]
    view["aggregate_brier"] = {
        "mean": fs.round_half_up(mean(a["brier_mean"] for a in scored), 4) if scored else None,
        "median": fs.round_half_up(mean(a["brier_median"] for a in scored), 4) if scored else None}
    if can(viewer, "see_reviewers", project):  # never the proposer nor the conflicted
        users = {u.id: u for u in session.scalars(select(User).where(
            User.id.in_({f.user_id for f in rows})))}
        people: dict[int, list[Forecast]] = {}
        for f in rows:
            people.setdefault(f.user_id, []).append(f)
        view["people"] = [{"user": {"id": uid, "name": users[uid].name,
                                    "email": users[uid].email},
                           "mean_brier": _mean_brier(items),
                           "forecasts": [_forecast(f) for f in items]}
                          for uid, items in people.items()]
    return view


def _score(probability: float, happened: bool) -> float:
    return fs.round_half_up(fs.brier(probability, happened), 4)


def aggregate_rows(criteria: list[Any], rows: list[Forecast]) -> list[dict[str, Any]]:
    """Per criterion: how many forecast it, the mean and median forecast, what happened and
    the Brier score of the mean and of the median as if each were one forecast."""
    result = []
    for criterion in criteria:
        given = [f for f in rows if f.criterion_id == criterion.id]
        agg = fs.aggregate([f.probability for f in given])
        happened = next((f.happened for f in given if f.happened is not None), None)
        scored = happened is not None and agg["mean"] is not None
        result.append({"criterion_id": criterion.id, "question": question(criterion),
                       "n": len(given), "mean": agg["mean"], "median": agg["median"],
                       "happened": happened,
                       "brier_mean": _score(agg["mean"], happened) if scored else None,
                       "brier_median": _score(agg["median"], happened) if scored else None})
    return result
