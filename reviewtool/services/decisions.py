"""Decisions (go, no-go, recycle): the details a go may carry, and the record of each one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Decision, Memo, Project, User
from reviewtool.services import decision_forecasts
from reviewtool.services.validation import pydantic_problems


class ConditionIn(BaseModel):
    """A condition of a go decision, with its due date."""

    model_config = ConfigDict(extra="forbid", strict=True)
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    due_on: Annotated[date, Field(strict=False)]


class DecisionExtra(BaseModel):
    """What a decision may carry besides its rationale (the transition's comment)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    conditions: Annotated[list[ConditionIn], Field(max_length=20)] = []
    review_by: Annotated[date | None, Field(strict=False)] = None
    # The grantmaker's probability that the project meets its target outcome by review_by.
    outcome_probability: Annotated[int | None, Field(ge=1, le=99)] = None


def _detail_problem(err: Mapping[str, Any], fallback: str) -> str:
    """One validation error of the decision's details, said about the condition it concerns."""
    loc, given = err["loc"], err.get("input")
    missing = err["type"] == "missing" or given == ""  # an empty date field says nothing
    shown = f" {given!r}" if isinstance(given, str | int) and not missing else ""
    if len(loc) == 3 and loc[0] == "conditions" and loc[2] == "due_on":
        return (f"Condition {loc[1] + 1}: give its due date." if missing else
                f"Condition {loc[1] + 1}: the due date{shown} is not a date; pick a day, or "
                "type it as 2027-06-30.")
    if len(loc) == 3 and loc[0] == "conditions" and loc[2] == "text":
        return f"Condition {loc[1] + 1}: say what the condition is (at most 1000 characters)."
    if loc == ("outcome_probability",):
        return (f"The outcome forecast{shown} is not a whole percentage from 1 to 99.")
    if loc == ("review_by",):
        return f"The re-review date{shown} is not a date; pick a day, or type it as 2027-06-30."
    return fallback


def decision_problems(extra: Mapping[str, Any], trigger: str) -> list[str]:
    """Why the decision's conditions or re-review date are not acceptable, as sentences."""
    try:
        details = DecisionExtra.model_validate(dict(extra))
    except ValidationError as exc:
        return [_detail_problem(err, p["message"]) for err, p in
                zip(exc.errors(include_url=False), pydantic_problems(exc), strict=True)]
    if trigger != "go" and (details.conditions or details.review_by):
        return ["Conditions and a re-review date belong to a 'go' decision."]
    if trigger != "go" and details.outcome_probability is not None:
        return ["An outcome forecast belongs to a 'go' decision."]
    if details.outcome_probability is not None and details.review_by is None:
        return ["An outcome forecast needs a re-review date: the day it is scored by."]
    today = date.today()
    # A condition already overdue, or a re-review before today, is a typing slip: say so.
    problems = [f"Condition {number}: the due date {c.due_on.isoformat()} is in the past; "
                "give a date from today on." for number, c in enumerate(details.conditions, 1)
                if c.due_on < today]
    if details.review_by is not None and details.review_by < today:
        problems.append(f"The re-review date {details.review_by.isoformat()} is in the past; "
                        "give a date from today on.")
    return problems


def record_decision(session: Session, project: Project, actor: User, trigger: str,
                    rationale: str, extra: Mapping[str, Any]) -> Decision:
    """Store the decision the trigger stands for."""
    details = DecisionExtra.model_validate(dict(extra))
    decision = Decision(project_id=project.id, kind=trigger, rationale=rationale,
                        conditions=[{"text": c.text, "due_on": c.due_on.isoformat()}
                                    for c in details.conditions],
                        review_by=details.review_by, decided_by_id=actor.id)
    session.add(decision)
    session.flush()
    if details.outcome_probability is not None:
        decision_forecasts.lock(session, decision, details.outcome_probability)
    return decision


def latest_decision(session: Session, project: Project) -> Decision | None:
    """The project's newest decision, if any."""
    return session.scalar(select(Decision).where(Decision.project_id == project.id)
                          .order_by(Decision.decided_at.desc(), Decision.id.desc()).limit(1))


def slug(title: str) -> str:
    """A file-name-safe slug of a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "project"


def stored_memo(session: Session, project: Project) -> Memo | None:
    """The newest stored memo of the project."""
    return session.scalar(select(Memo).where(Memo.project_id == project.id)
                          .order_by(Memo.id.desc()).limit(1))
