"""A go decision's forecast: the grantmaker's probability (1-99 %) that the project meets its
target outcome by the re-review date, locked with the decision, scored (Brier score) when an
admin or a grantmaker records whether it did."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import forecast_scores
from reviewtool.errors import Conflict
from reviewtool.models import Decision, DecisionForecast, Project, User, utcnow
from reviewtool.permissions import require
from reviewtool.services.validation import parse


class OutcomeIn(BaseModel):
    """Whether the project met its target outcome by the re-review date."""

    model_config = ConfigDict(extra="forbid", strict=True)
    met: bool


def lock(session: Session, decision: Decision, probability: int) -> DecisionForecast:
    """Store the decision's forecast with its timestamp and SHA-256."""
    now = utcnow()
    text = json.dumps({"decision_id": decision.id, "user_id": decision.decided_by_id,
                       "probability": probability, "locked_at": now.isoformat(),
                       "review_by": decision.review_by.isoformat()},
                      sort_keys=True, separators=(",", ":"))
    forecast = DecisionForecast(decision_id=decision.id, user_id=decision.decided_by_id,
                                probability=probability, locked_at=now,
                                sha256=hashlib.sha256(text.encode()).hexdigest())
    session.add(forecast)
    session.flush()
    return forecast


def forecast_of(session: Session, decision: Decision | None) -> DecisionForecast | None:
    """The decision's forecast, if it carries one."""
    if decision is None:
        return None
    return session.scalar(select(DecisionForecast).where(
        DecisionForecast.decision_id == decision.id))


def record_outcome(session: Session, actor: User, project: Project, data: Any,
                   decision: Decision | None) -> DecisionForecast:
    """Record whether the project met its target outcome and score the go's forecast."""
    require(actor, "record_outcome", project)
    forecast = forecast_of(session, decision) if project.state == "go" else None
    if forecast is None:
        raise Conflict("This project has no go decision with an outcome forecast to score.")
    if forecast.happened is not None:
        raise Conflict("The outcome is already recorded.")
    outcome = parse(OutcomeIn, data, what="the outcome")
    forecast.happened = outcome.met
    forecast.brier = forecast_scores.brier(forecast.probability, outcome.met)
    forecast.recorded_by_id, forecast.recorded_at = actor.id, utcnow()
    session.flush()
    return forecast


def outcome_json(forecast: DecisionForecast | None) -> dict[str, Any] | None:
    """The forecast as plain values."""
    if forecast is None:
        return None
    return {"probability": forecast.probability,
            "locked_at": forecast.locked_at.isoformat().replace("+00:00", "Z"),
            "sha256": forecast.sha256, "met": forecast.happened, "brier": forecast.brier}
