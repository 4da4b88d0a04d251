"""How calibrated each forecaster is, across every scored forecast (pilot criteria and go
decisions' outcomes): count, mean Brier score with its standard error, and calibration bins.

A reviewer sees their own figures; grantmakers and admins see every person's and the panel's.
Below forecast_scores.MIN_SCORED scored forecasts the bins are not shown: a handful of
forecasts says more about luck than about judgement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from reviewtool import forecast_scores as fs
from reviewtool.models import (
    ConflictDeclaration,
    Criterion,
    Decision,
    DecisionForecast,
    Forecast,
    Pilot,
    Project,
    Revision,
    User,
)
from reviewtool.permissions import can, require
from reviewtool.services.read.rounds import iso

NOT_ENOUGH = "not enough forecasts yet"


def _scored(user_id: int | None = None):
    """(user id, probability, happened, brier) of every scored forecast, in one query."""
    pilots = select(Forecast.user_id, Forecast.probability, Forecast.happened,
                    Forecast.brier).where(Forecast.brier.is_not(None))
    decisions = select(DecisionForecast.user_id, DecisionForecast.probability,
                       DecisionForecast.happened, DecisionForecast.brier).where(
        DecisionForecast.brier.is_not(None))
    if user_id is not None:
        pilots = pilots.where(Forecast.user_id == user_id)
        decisions = decisions.where(DecisionForecast.user_id == user_id)
    return union_all(pilots, decisions)


def person_figures(rows: list[tuple[int, bool, float]]) -> dict[str, Any]:
    """n, mean Brier score, its standard error and the bins (None below MIN_SCORED)."""
    shown = len(rows) >= fs.MIN_SCORED
    return {**fs.summary([b for _, _, b in rows]),
            "bins": fs.calibration((p, h) for p, h, _ in rows) if shown else None,
            "note": None if shown else NOT_ENOUGH}


def calibration_view(session: Session, viewer: User) -> dict[str, Any]:
    """The calibration page's figures: the viewer's own, and for oversight everyone's."""
    require(viewer, "read_calibration")
    panel = can(viewer, "read_panel_calibration")
    rows = session.execute(_scored(None if panel else viewer.id)).all()
    by_person: dict[int, list[tuple[int, bool, float]]] = {}
    for user_id, probability, happened, brier in rows:
        by_person.setdefault(user_id, []).append((probability, happened, brier))
    view: dict[str, Any] = {"min_scored": fs.MIN_SCORED,
                            "mine": person_figures(by_person.get(viewer.id, [])),
                            "panel": None, "people": None}
    if panel:
        users = {u.id: u for u in session.scalars(select(User).where(
            User.id.in_(by_person)))}
        view["people"] = sorted(
            ({"user": {"id": uid, "name": users[uid].name, "email": users[uid].email},
              **person_figures(items)} for uid, items in by_person.items()),
            key=lambda p: (p["mean_brier"], p["user"]["name"]))
        view["panel"] = person_figures([item for items in by_person.values()
                                        for item in items])
    return view


CSV_KEYS = ("kind", "project_id", "title", "question_id", "probability", "locked_at",
            "sha256", "happened", "brier")
CSV_NAMED = ("user_id", "name", "email")


def forecast_rows(session: Session, viewer: User) -> tuple[tuple[str, ...], list[dict]]:
    """The CSV's columns and rows: every scored forecast with names for oversight roles (the
    projects they declared a conflict with left out); a reviewer's own forecasts, scored or
    not, without names."""
    require(viewer, "read_calibration")
    panel = can(viewer, "read_panel_calibration")
    pilot_q = (select(Forecast, Project.id, Revision.title, User)
               .join(Criterion, Criterion.id == Forecast.criterion_id)
               .join(Pilot, Pilot.id == Forecast.pilot_id)
               .join(Project, Project.id == Pilot.project_id)
               .join(Revision, (Revision.project_id == Project.id) & Revision.is_current)
               .join(User, User.id == Forecast.user_id)
               .order_by(Project.id, Forecast.user_id, Forecast.criterion_id))
    decision_q = (select(DecisionForecast, Project.id, Revision.title, User)
                  .join(Decision, Decision.id == DecisionForecast.decision_id)
                  .join(Project, Project.id == Decision.project_id)
                  .join(Revision, (Revision.project_id == Project.id) & Revision.is_current)
                  .join(User, User.id == DecisionForecast.user_id)
                  .order_by(Project.id, DecisionForecast.id))
    if panel:
        pilot_q = pilot_q.where((Forecast.brier.is_not(None)) | (Forecast.user_id == viewer.id))
        decision_q = decision_q.where(DecisionForecast.brier.is_not(None)
                                      | (DecisionForecast.user_id == viewer.id))
    else:
        pilot_q = pilot_q.where(Forecast.user_id == viewer.id)
        decision_q = decision_q.where(DecisionForecast.user_id == viewer.id)
    conflicted = set(session.scalars(select(ConflictDeclaration.project_id).where(
        ConflictDeclaration.user_id == viewer.id))) if panel else set()
    rows = []
    for kind, query in (("criterion", pilot_q), ("decision", decision_q)):
        for forecast, project_id, title, user in session.execute(query):
            if project_id in conflicted:
                continue
            row = {"kind": kind, "project_id": project_id, "title": title,
                   "question_id": (forecast.decision_id if kind == "decision"
                                   else forecast.criterion_id),
                   "probability": forecast.probability, "locked_at": iso(forecast.locked_at),
                   "sha256": forecast.sha256, "happened": forecast.happened,
                   "brier": forecast.brier}
            if panel:
                row.update({"user_id": user.id, "name": user.name, "email": user.email})
            rows.append(row)
    return (CSV_KEYS + CSV_NAMED if panel else CSV_KEYS), rows
