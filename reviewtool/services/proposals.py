"""Creating and editing proposals; what a complete proposal needs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import current_app, has_app_context
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy.orm import Session

from reviewtool.enums import EDITABLE_STATES
from reviewtool.errors import Conflict, Invalid
from reviewtool.models import Project, Revision, User
from reviewtool.permissions import require
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.validation import pydantic_problems
from reviewtool.services.versioning import claim_version
from reviewtool.workflow import Workflow

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
HOURS_IN_MONTH = 744


class Outcome(BaseModel):
    """A target outcome and how it would be measured."""

    model_config = ConfigDict(extra="forbid", strict=True)
    outcome: Key
    measure: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


class RoleNeeded(BaseModel):
    """A profession or skill the project needs, and how much of it."""

    model_config = ConfigDict(extra="forbid", strict=True)
    kind: Literal["profession", "skill"]
    key: Key
    technical: bool = False
    commitment: Literal["full_time", "fractional"] = "fractional"
    hours_per_month: Annotated[int, Field(ge=1, le=HOURS_IN_MONTH)] | None = None


class ProposalFields(BaseModel):
    """Every editable field of a proposal; all optional so that a draft can be partial."""

    model_config = ConfigDict(extra="forbid", strict=True)
    title: Text200 = ""
    summary: Annotated[str, StringConstraints(max_length=20_000)] = ""
    project_type: Key | None = None
    work_groups: Annotated[list[Key], Field(max_length=10)] = []
    activity: Literal["start", "sustain", "scale"] | None = None
    outcomes: Annotated[list[Outcome], Field(max_length=10)] = []
    roles_needed: Annotated[list[RoleNeeded], Field(max_length=30)] = []
    location: Text200 = ""
    budget: Text200 = ""
    timeline: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


FIELDS = tuple(ProposalFields.model_fields)


def _catalogue_problems(fields: ProposalFields, cats: Catalogues, given: set[str]) -> list[dict]:
    problems: list[dict[str, str]] = []

    def check(field: str, catalogue: str, key: str | None) -> None:
        if key is not None and key not in cats.keys(catalogue):
            words = catalogue.replace("_", " ")
            problems.append({"field": field,
                             "message": f"{field}: {key!r} is not one of the {words}."})

    if "project_type" in given:
        check("project_type", "project_types", fields.project_type)
    for i, key in enumerate(fields.work_groups):
        check(f"work_groups.{i}", "work_groups", key)
    seen: set[str] = set()
    for i, outcome in enumerate(fields.outcomes):
        check(f"outcomes.{i}.outcome", "outcomes", outcome.outcome)
        if outcome.outcome in seen:
            problems.append({"field": f"outcomes.{i}.outcome",
                             "message": f"outcomes.{i}: {outcome.outcome!r} is listed twice."})
        seen.add(outcome.outcome)
    for i, need in enumerate(fields.roles_needed):
        check(f"roles_needed.{i}.key", "professions" if need.kind == "profession" else "skills",
              need.key)
        if need.commitment == "fractional" and need.hours_per_month is None:
            problems.append({"field": f"roles_needed.{i}.hours_per_month",
                             "message": f"roles_needed.{i}: a fractional role needs its hours "
                                        "per month."})
    return problems


def validate(data: Any, cats: Catalogues) -> dict[str, Any]:
    """Validate a partial proposal (only the keys given); return clean values or raise Invalid."""
    if not isinstance(data, dict):
        raise Invalid("Send the proposal fields as a JSON object.")
    try:
        fields = ProposalFields.model_validate(data)
    except ValidationError as exc:
        raise Invalid(problems=pydantic_problems(exc)) from None
    given = set(data)
    problems = _catalogue_problems(fields, cats, given)
    if problems:
        raise Invalid(problems=problems)
    return fields.model_dump(include=given)


def create_project(session: Session, owner: User, data: Any, cats: Catalogues,
                   workflow: Workflow | None = None) -> Project:
    """Create a draft project with revision 1 from (possibly partial) fields, under `workflow`
    (by default the app's configured one), which it keeps to the end."""
    require(owner, "create_project")
    problems: list[dict[str, str]] = []
    try:
        clean = validate(data, cats)
    except Invalid as refused:
        problems, clean = refused.problems, {}
    # Every other field may wait; a draft nobody can name is lost. Said with the others.
    titled = isinstance(data, dict) and isinstance(data.get("title"), str) and \
        data["title"].strip()
    if isinstance(data, dict) and not titled and not any(
            p.get("field") == "title" for p in problems):
        problems.append({"field": "title", "message": "title: give the proposal a title to "
                                                      "start a draft (everything else can "
                                                      "wait)."})
    if problems:
        raise Invalid(problems=problems)
    project = Project(owner=owner)
    if workflow is None and has_app_context():
        workflow = current_app.extensions["reviewtool.workflow"]
    if workflow is not None:  # without an app (scripts, tests): the column's "default"
        project.workflow_name, project.workflow_version = workflow.name, workflow.version
    project.revisions = [Revision(number=1, is_current=True, **clean)]
    session.add(project)
    session.flush()
    return project


def update_proposal(session: Session, user: User, project: Project, data: Any,
                    cats: Catalogues, *, expected_version: Any) -> Project:
    """Change the given fields of the current revision; Conflict when the version is stale."""
    require_editable(user, project)
    if isinstance(expected_version, int) and expected_version != project.version:
        # 409 before 422 (CONTRACT.md): a stale edit is refused whatever else is wrong with it.
        raise Conflict("Someone else changed this project first; reload it and try again.",
                       current_version=project.version)
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "version"}
    clean = validate(data, cats)
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise Invalid(problems=[{"field": "version", "message": "version: send the version "
                                 "you started from (an integer), so that no edit is lost."}])
    claim_version(session, project, expected_version)
    revision = project.current_revision
    for key, value in clean.items():
        setattr(revision, key, value)
    session.flush()
    return project


def require_editable(user: User, project: Project) -> None:
    """Raise unless `user` may edit the proposal now: the proposer (403), in an editable
    state, on a revision not yet submitted (409)."""
    require(user, "edit", project)
    if project.state not in EDITABLE_STATES:
        raise Conflict(f"The proposal cannot be edited while the project is in "
                       f"'{project.state}'.")
    revision = project.current_revision
    if revision.submitted_at is not None:
        raise Conflict(f"Revision {revision.number} was submitted for review and can no "
                       "longer change; a new revision opens when reviewers ask for safeguards.")


def proposal_values(revision: Revision) -> dict[str, Any]:
    """The editable fields of a revision as plain values (the API and the forms read this)."""
    return {name: getattr(revision, name) for name in FIELDS}


def missing_fields(revision: Revision) -> list[str]:
    """What a proposal still lacks before it can be submitted, as sentences."""
    missing = []
    if not revision.title.strip():
        missing.append("Title is missing.")
    if not revision.summary.strip():
        missing.append("Summary is missing.")
    if not revision.project_type:
        missing.append("Project type is missing.")
    if not revision.outcomes:
        missing.append("Target outcomes are missing: name at least one and how you would "
                       "measure it.")
    for outcome in revision.outcomes:
        if not outcome.get("measure", "").strip():
            missing.append(f"Outcome '{outcome['outcome']}' needs a measure.")
    if not revision.roles_needed:
        missing.append("Roles needed are missing: name at least one profession or skill.")
    return missing


def risky_needs(revision: Revision, cats: Catalogues) -> list[str]:
    """Labels of the needed professions and skills the catalogue flags as risky."""
    risky = {"profession": cats.risky("professions"), "skill": cats.risky("skills")}
    catalogue = {"profession": "professions", "skill": "skills"}
    return [cats.label(catalogue[n["kind"]], n["key"]) for n in revision.roles_needed
            if n["key"] in risky[n["kind"]]]
