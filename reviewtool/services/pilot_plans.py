"""Pilot plans: written while the project is in review, frozen (hashed) when the pilot starts,
changed afterwards only through logged amendments and deviations."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)
from sqlalchemy.orm import Session

from reviewtool.enums import Role
from reviewtool.errors import Conflict, Invalid
from reviewtool.models import Criterion, Pilot, PlanChange, Project, User, utcnow
from reviewtool.models.types import is_valid_id
from reviewtool.permissions import require
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.validation import parse

Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
# A finite number (an int is taken as a float): NaN, infinity or a huge int would fail later.
Number = Annotated[float, Field(allow_inf_nan=False)]
# Beyond the databases' integer ids a lookup would fail (500) instead of finding no one.
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
OUTCOMES = ("contributors", "contributions", "coordination")


class CriterionIn(BaseModel):
    """One criterion as the API and the form send it."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: Id | None = None
    kind: Literal["success", "kill"]
    outcome: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    metric: Text300
    comparator: Literal[">=", "<=", "="]
    target: Number
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] = ""
    measurement: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class PlanIn(BaseModel):
    """The whole plan (PUT /projects/{id}/pilot)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    builder_id: Id | None = None
    builder_ids: Annotated[list[Id], Field(max_length=10)] = []
    starts_on: Annotated[date, Field(strict=False)]
    ends_on: Annotated[date, Field(strict=False)]
    budget: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    criteria: Annotated[list[CriterionIn], Field(max_length=50)] = []
    justification: Annotated[str, StringConstraints(strip_whitespace=True,
                                                    max_length=5000)] = ""


def canonical(pilot: Pilot) -> dict[str, Any]:
    """The plan as plain values in a fixed order: what the SHA-256 is taken of."""
    return {"builders": sorted(u.id for u in pilot.builders),
            "starts_on": pilot.starts_on.isoformat(), "ends_on": pilot.ends_on.isoformat(),
            "budget": pilot.budget,
            "criteria": [{"id": c.id, "kind": c.kind, "outcome": c.outcome, "metric": c.metric,
                          "comparator": c.comparator, "target": c.target, "unit": c.unit,
                          "measurement": c.measurement} for c in pilot.criteria]}


def plan_hash(plan: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON text of a plan and its SHA-256."""
    text = json.dumps(plan, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text, hashlib.sha256(text.encode()).hexdigest()


def _validate(session: Session, data: Any, cats: Catalogues) -> tuple[PlanIn, list[User]]:
    plan = parse(PlanIn, data, what="the pilot plan")
    problems = []
    if plan.ends_on < plan.starts_on:
        problems.append({"field": "ends_on", "message": "ends_on is before starts_on."})
    outcomes = set(OUTCOMES) | set(cats.keys("risk_categories"))
    for i, criterion in enumerate(plan.criteria):
        if criterion.outcome not in outcomes:
            problems.append({"field": f"criteria.{i}.outcome", "message":
                             f"criteria.{i}.outcome: {criterion.outcome!r} is neither an "
                             "outcome (contributors, contributions, coordination) nor a risk "
                             "category."})
    ids = [*plan.builder_ids, *([plan.builder_id] if plan.builder_id is not None else [])]
    builders = [session.get(User, i) if is_valid_id(i) else None for i in dict.fromkeys(ids)]
    for user_id, user in zip(dict.fromkeys(ids), builders, strict=True):
        if user is None or not user.is_active or not user.has_role(Role.BUILDER):
            problems.append({"field": "builder_id", "message":
                             f"User {user_id} does not exist or does not hold the builder "
                             "role."})
    if problems:
        raise Invalid(problems=problems)
    return plan, [u for u in builders if u is not None]


def require_plannable(project: Project) -> None:
    """409 unless the plan may be written now: in review (a draft) or while the pilot runs."""
    if project.state not in ("review", "pilot"):
        raise Conflict("A pilot plan can be written while the project is in review, and "
                       f"amended while the pilot runs; the project is in '{project.state}'.")


def save_plan(session: Session, actor: User, project: Project, data: Any,
              cats: Catalogues) -> Pilot:
    """Write the plan (grantmakers). Before the pilot starts it is a draft; after, every change
    needs a justification and is logged as an amendment or, once observed, a deviation."""
    require(actor, "plan_pilot", project)
    require_plannable(project)
    plan, builders = _validate(session, data, cats)
    pilot = project.pilot or Pilot(project_id=project.id)
    frozen = pilot.frozen_at is not None
    if frozen and not plan.justification:
        raise Invalid(problems=[{"field": "justification", "message": "The plan is frozen: "
                                 "give a justification for the change."}])
    before = canonical(pilot) if frozen else None
    observed = frozen and any(c.observations for c in pilot.criteria)
    _apply(pilot, plan, builders)
    if pilot.id is None:
        session.add(pilot)
    session.flush()
    if frozen:
        after = canonical(pilot)
        if after == before:
            raise Invalid("Nothing in the plan changed.")
        session.add(PlanChange(pilot_id=pilot.id, kind="deviation" if observed else "amendment",
                               justification=plan.justification, before=before, after=after,
                               plan_sha256=plan_hash(after)[1], changed_by_id=actor.id))
        session.flush()
    session.expire(project, ["pilot"])
    return pilot


def _apply(pilot: Pilot, plan: PlanIn, builders: list[User]) -> None:
    existing = {c.id: c for c in pilot.criteria}
    unknown = [c.id for c in plan.criteria if c.id is not None and c.id not in existing]
    if unknown:
        raise Invalid(problems=[{"field": "criteria", "message": f"Criterion {unknown[0]} is "
                                 "not part of this plan; leave out 'id' for a new one."}])
    kept_ids = {c.id for c in plan.criteria if c.id is not None}
    dropped = [c for c in pilot.criteria if c.id not in kept_ids and c.observations]
    if dropped:
        raise Conflict(f"Criterion '{dropped[0].metric}' already has observations and cannot "
                       "be removed.")
    criteria = []
    for position, item in enumerate(plan.criteria):
        criterion = existing.get(item.id) if item.id is not None else None
        criterion = criterion or Criterion()
        for key, value in item.model_dump(exclude={"id"}).items():
            setattr(criterion, key, float(value) if key == "target" else value)
        criterion.position = position
        criteria.append(criterion)
    pilot.criteria = criteria
    pilot.builders = builders
    pilot.starts_on, pilot.ends_on, pilot.budget = plan.starts_on, plan.ends_on, plan.budget


def freeze(pilot: Pilot) -> None:
    """Freeze the plan as the pilot starts: timestamp, canonical JSON and SHA-256."""
    pilot.frozen_plan, pilot.plan_sha256 = plan_hash(canonical(pilot))
    pilot.frozen_at = utcnow()


def plan_problems(pilot: Pilot | None) -> list[str]:
    """What the plan lacks before the pilot may start."""
    if pilot is None:
        return ["Write a pilot plan first: builder, dates, success and kill criteria."]
    problems = []
    if not pilot.builders:
        problems.append("The pilot plan names no builder.")
    kinds = {c.kind for c in pilot.criteria}
    if "success" not in kinds:
        problems.append("The pilot plan needs at least one success criterion.")
    if "kill" not in kinds:
        problems.append("The pilot plan needs at least one kill criterion.")
    return problems
