"""The downside-risk model: validation, replacement, completeness rules and risk appetite."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from reviewtool.errors import Invalid
from reviewtool.models import Project, Revision, Risk, RiskCatalogueVersion, RiskExclusion, User
from reviewtool.services.catalogues import Catalogues, latest_risk_catalogue
from reviewtool.services.proposals import require_editable, risky_needs
from reviewtool.services.validation import parse
from reviewtool.services.versioning import claim_version

Scale = Annotated[int, Field(ge=1, le=5)]
DESCRIPTION_MAX = 2000
MAX_RISKS = 100

# The appetite's defaults, used when a workflow file does not set its own thresholds.
APPETITE_DEFAULTS = {"appetite_residual_score": 15, "appetite_irreversible_severity": 4}


class RiskIn(BaseModel):
    """One risk as the API and the editor send it."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: int | None = None
    category: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=DESCRIPTION_MAX)]
    likelihood: Scale
    severity: Scale
    reversibility: Literal["reversible", "hard_to_reverse", "irreversible"]
    pilot_reveals: Literal["yes", "partly", "no"]
    knowledge: Literal["low", "medium", "high"]
    mitigation: Annotated[str, StringConstraints(strip_whitespace=True,
                                                 max_length=DESCRIPTION_MAX)] = ""
    residual_likelihood: Scale | None = None
    residual_severity: Scale | None = None


class ExclusionIn(BaseModel):
    """A category marked not applicable, with the reason."""

    model_config = ConfigDict(extra="forbid", strict=True)
    category: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=DESCRIPTION_MAX)]


class RiskModelIn(BaseModel):
    """The whole model of a revision (PUT /projects/{id}/risks)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    risks: Annotated[list[RiskIn], Field(max_length=MAX_RISKS)] = []
    not_applicable: Annotated[list[ExclusionIn], Field(max_length=50)] = []
    version: int | None = None


def _consistency_problems(model: RiskModelIn, keys: list[str]) -> list[dict[str, str]]:
    problems = []
    for i, risk in enumerate(model.risks):
        where = f"risks.{i}"
        if risk.category not in keys:
            problems.append({"field": f"{where}.category", "message":
                             f"{where}.category: {risk.category!r} is not a risk category."})
        res_l = risk.residual_likelihood or risk.likelihood
        res_s = risk.residual_severity or risk.severity
        if res_l > risk.likelihood or res_s > risk.severity:
            problems.append({"field": f"{where}.residual_likelihood", "message":
                             f"{where}: the residual likelihood and severity (after safeguards) "
                             "cannot be above the inherent ones."})
        elif (res_l, res_s) != (risk.likelihood, risk.severity) and not risk.mitigation:
            problems.append({"field": f"{where}.mitigation", "message":
                             f"{where}: the residual risk is lowered, so name the safeguard "
                             "that lowers it."})
    seen: set[str] = set()
    for i, exclusion in enumerate(model.not_applicable):
        where = f"not_applicable.{i}.category"
        if exclusion.category not in keys:
            problems.append({"field": where, "message":
                             f"{where}: {exclusion.category!r} is not a risk category."})
        if exclusion.category in seen:
            problems.append({"field": where, "message": f"{where}: listed twice."})
        if any(r.category == exclusion.category for r in model.risks):
            problems.append({"field": where, "message":
                             f"{where}: '{exclusion.category}' has risks, so it cannot also be "
                             "marked not applicable."})
        seen.add(exclusion.category)
    return problems


def validate_model(data: Any, catalogue: RiskCatalogueVersion) -> RiskModelIn:
    """Check the payload's shape, ranges and consistency; raise Invalid with every problem."""
    model = parse(RiskModelIn, data, what="the risk model (with 'risks' and 'not_applicable')")
    problems = _consistency_problems(model, [c["key"] for c in catalogue.categories])
    if problems:
        raise Invalid(problems=problems)
    return model


def replace_risk_model(session: Session, user: User, project: Project, data: Any) -> Revision:
    """Replace the current revision's risk model; risks sent with their id keep it."""
    require_editable(user, project)
    catalogue = latest_risk_catalogue(session)
    model = validate_model(data, catalogue)
    revision = project.current_revision
    existing = {risk.id: risk for risk in revision.risks}
    unknown = [r.id for r in model.risks if r.id is not None and r.id not in existing]
    if unknown:
        raise Invalid(problems=[{"field": "risks", "message": f"Risk {unknown[0]} is not part "
                                 "of this project's current model; leave out 'id' for a new one."}])
    claim_version(session, project, project.version if model.version is None else model.version)
    kept: list[Risk] = []
    for position, item in enumerate(model.risks):
        values = item.model_dump(exclude={"id"})
        values["residual_likelihood"] = item.residual_likelihood or item.likelihood
        values["residual_severity"] = item.residual_severity or item.severity
        risk = existing.get(item.id) if item.id is not None else None
        risk = risk or Risk()
        for key, value in {**values, "position": position}.items():
            setattr(risk, key, value)
        kept.append(risk)
    revision.risks = kept
    # Reuse the row of a category excluded before: deleting it and inserting a new one in the
    # same flush would break the (revision, category) unique constraint.
    excluded = {exclusion.category: exclusion for exclusion in revision.exclusions}
    exclusions = []
    for item in model.not_applicable:
        exclusion = excluded.get(item.category) or RiskExclusion(category=item.category)
        exclusion.reason = item.reason
        exclusions.append(exclusion)
    revision.exclusions = exclusions
    revision.risk_catalogue_version = catalogue
    session.flush()
    return revision


def appetite(settings: Mapping[str, Any]) -> dict[str, int]:
    """The workflow's risk appetite thresholds."""
    return {key: int(settings.get(key, default)) for key, default in APPETITE_DEFAULTS.items()}


def above_appetite(risk: Risk, settings: Mapping[str, Any]) -> bool:
    """True when the residual score reaches the appetite, or an irreversible risk stays severe."""
    limits = appetite(settings)
    return (risk.residual_score >= limits["appetite_residual_score"]
            or (risk.reversibility == "irreversible"
                and risk.residual_severity >= limits["appetite_irreversible_severity"]))


def categories_of(revision: Revision, session: Session) -> list[dict[str, Any]]:
    """The categories the revision's model answers to: its pinned version, else the newest."""
    # The newest first: most revisions are pinned to it, and then the pin is found in the
    # session without a statement of its own (the risk model view reads the newest anyway).
    latest = latest_risk_catalogue(session)
    version = revision.risk_catalogue_version or latest
    return list(version.categories) if version else []


def completeness_problems(revision: Revision, categories: list[dict[str, Any]],
                          cats: Catalogues) -> list[str]:
    """Why the model is not ready for review: each category unaddressed, each rule broken."""
    covered = {r.category for r in revision.risks}
    excluded = {e.category: e.reason for e in revision.exclusions}
    problems = [f"Risk category '{c['label']}' is not addressed: add a risk or mark it not "
                "applicable with a reason." for c in categories
                if c["key"] not in covered and c["key"] not in excluded]
    risky = risky_needs(revision, cats)
    if risky:
        for c in categories:
            if c.get("risky_roles_require") and c["key"] not in covered:
                problems.append(
                    f"'{c['label']}' needs at least one risk, not 'not applicable': the project "
                    f"needs {', '.join(risky)}, which the catalogue marks as risky.")
    return problems
