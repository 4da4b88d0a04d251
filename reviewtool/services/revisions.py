"""Revisions: immutable snapshots once submitted, a new draft for each safeguard round, and the
safeguards it adds."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.errors import Conflict, Invalid
from reviewtool.models import (
    Assignment,
    Project,
    Review,
    ReviewRound,
    Revision,
    Risk,
    RiskExclusion,
    Safeguard,
    User,
    utcnow,
)
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.proposals import FIELDS, proposal_values, require_editable, validate
from reviewtool.services.validation import pydantic_problems
from reviewtool.services.versioning import claim_version

Scale = Annotated[int, Field(ge=1, le=5)]
RISK_COLUMNS = ("category", "position", "description", "likelihood", "severity",
                "reversibility", "pilot_reveals", "knowledge", "mitigation",
                "residual_likelihood", "residual_severity")
SAFEGUARD_COLUMNS = ("position", "type", "description", "responsible", "addresses",
                     "concerns", "residual_likelihood", "residual_severity")


def content(revision: Revision) -> dict[str, Any]:
    """Everything a revision says, as plain values in a stable order."""
    return {
        "number": revision.number, **proposal_values(revision),
        "risk_catalogue_version": (revision.risk_catalogue_version.number
                                   if revision.risk_catalogue_version else None),
        # sorted as the relationships order them, whatever order this session added them in
        "risks": [{c: getattr(r, c) for c in RISK_COLUMNS} for r in
                  sorted(revision.risks, key=lambda r: (r.category, r.position, r.id or 0))],
        "not_applicable": [{"category": e.category, "reason": e.reason}
                           for e in sorted(revision.exclusions, key=lambda e: e.category)],
        "safeguards": [{c: getattr(s, c) for c in SAFEGUARD_COLUMNS} for s in
                       sorted(revision.safeguards, key=lambda s: (s.position, s.id or 0))],
    }


def freeze(revision: Revision) -> None:
    """Mark the revision submitted and store its canonical JSON and SHA-256, once."""
    if revision.submitted_at is not None:
        return
    canonical = json.dumps(content(revision), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    revision.snapshot = canonical
    revision.snapshot_sha256 = hashlib.sha256(canonical.encode()).hexdigest()
    revision.submitted_at = utcnow()


def start_revision(session: Session, project: Project) -> Revision:
    """Open a new draft revision, a copy of the current one (which stays as submitted)."""
    old = project.current_revision
    new = Revision(project_id=project.id, number=old.number + 1, is_current=True,
                   risk_catalogue_version_id=old.risk_catalogue_version_id,
                   **{name: _copy(getattr(old, name)) for name in FIELDS})
    new.risks = [Risk(**{c: getattr(r, c) for c in RISK_COLUMNS}) for r in old.risks]
    new.exclusions = [RiskExclusion(category=e.category, reason=e.reason) for e in old.exclusions]
    new.safeguards = [Safeguard(**{c: _copy(getattr(s, c)) for c in SAFEGUARD_COLUMNS})
                      for s in old.safeguards]
    old.is_current = False
    session.flush()  # the old row must stop being current before the new one is inserted
    session.add(new)
    session.flush()
    session.expire(project, ["current_revision", "revisions"])
    return new


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value)) if isinstance(value, list | dict) else value


class ConcernRef(BaseModel):
    """A reviewer concern, as the proposer sees it: round number and reviewer letter."""

    model_config = ConfigDict(extra="forbid", strict=True)
    round: int
    reviewer: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,3}$")]


class SafeguardIn(BaseModel):
    """One safeguard of a revision."""

    model_config = ConfigDict(extra="forbid", strict=True)
    type: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=2000)]
    responsible: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    addresses: Annotated[list[str], Field(min_length=1, max_length=20)]
    concerns: Annotated[list[ConcernRef], Field(max_length=50)] = []
    residual_likelihood: Scale
    residual_severity: Scale


def _reviewed(session: Session, project: Project) -> set[tuple[int, str]]:
    """(round number, reviewer letter) of every review of the project."""
    rows = session.execute(
        select(ReviewRound.number, Assignment.letter)
        .join(Assignment, Assignment.round_id == ReviewRound.id)
        .join(Review, Review.assignment_id == Assignment.id)
        .where(ReviewRound.project_id == project.id))
    return {(number, letter) for number, letter in rows}


def _safeguards(session: Session, project: Project, data: Any,
                cats: Catalogues) -> list[Safeguard]:
    if not isinstance(data, list):
        raise Invalid(problems=[{"field": "safeguards", "message": "safeguards should be a "
                                 "list."}])
    items, problems = [], []
    for i, item in enumerate(data):  # every item's problems, each named by its index
        try:
            items.append(SafeguardIn.model_validate(item))
        except ValidationError as exc:
            for problem in pydantic_problems(exc):
                name = ".".join(filter(None, (f"safeguards.{i}", problem["field"])))
                sentence = problem["message"].removeprefix(problem["field"]).strip()
                problems.append({"field": name, "message": f"{name} {sentence}"})
    if problems:
        raise Invalid(problems=problems)
    reviewed = _reviewed(session, project)
    categories = set(cats.keys("risk_categories"))
    result = []
    for i, item in enumerate(items):
        if item.type not in cats.keys("safeguard_types"):
            problems.append({"field": f"safeguards.{i}.type", "message":
                             f"safeguards.{i}.type: {item.type!r} is not a safeguard type."})
        for key in item.addresses:
            if key not in categories:
                problems.append({"field": f"safeguards.{i}.addresses", "message":
                                 f"safeguards.{i}.addresses: {key!r} is not a risk category."})
        for ref in item.concerns:
            if (ref.round, ref.reviewer) not in reviewed:
                problems.append({"field": f"safeguards.{i}.concerns", "message":
                                 f"safeguards.{i}.concerns: round {ref.round} has no review "
                                 f"by Reviewer {ref.reviewer}."})
        result.append(Safeguard(position=i, **item.model_dump()))
    if problems:
        raise Invalid(problems=problems)
    return result


def save_revision(session: Session, user: User, project: Project, data: Any,
                  cats: Catalogues) -> Revision:
    """Change the draft revision's fields and (when given) replace its safeguards."""
    require_editable(user, project)
    if project.state != "revision":
        raise Conflict("A new revision can be written once reviewers asked for safeguards "
                       f"(state 'revision'); the project is in '{project.state}'.")
    if not isinstance(data, dict):
        raise Invalid("Send the revision as a JSON object.")
    fields = validate({k: v for k, v in data.items() if k not in ("safeguards", "version")},
                      cats)
    safeguards = (_safeguards(session, project, data["safeguards"], cats)
                  if "safeguards" in data else None)
    version = data.get("version", project.version)
    if isinstance(version, bool) or not isinstance(version, int):
        raise Invalid(problems=[{"field": "version", "message": "version must be an integer."}])
    claim_version(session, project, version)
    revision = project.current_revision
    for key, value in fields.items():
        setattr(revision, key, value)
    if safeguards is not None:
        revision.safeguards = safeguards
    session.flush()
    return revision
