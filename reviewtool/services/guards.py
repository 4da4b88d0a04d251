"""Guards: checks named in the workflow file, that return the reasons a move is refused.

A guard returns a list of human-readable sentences; an empty list means "may go". Guards only
read: they also decide which buttons a page shows, so they must never change anything."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.models import Project, User
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.decisions import decision_problems
from reviewtool.services.pilot_plans import plan_problems
from reviewtool.services.proposals import missing_fields
from reviewtool.services.risks import categories_of, completeness_problems
from reviewtool.services.rounds import current_round, previous_round, round_figures, submitted_count


@dataclass(frozen=True)
class GuardContext:
    """What a guard may look at when a trigger is fired."""
    session: Session
    project: Project
    actor: User
    settings: Mapping[str, Any]
    comment: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    trigger: str = ""


Guard = Callable[[GuardContext], list[str]]
GUARDS: dict[str, Guard] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    """Register a guard under the name the workflow file uses."""
    def register(fn: Guard) -> Guard:
        GUARDS[name] = fn
        return fn

    return register


@guard("proposal_complete")
def proposal_complete(ctx: GuardContext) -> list[str]:
    """Title, summary, type, outcomes with measures, and roles needed are all filled in."""
    return missing_fields(ctx.project.current_revision)


@guard("risk_model_complete")
def risk_model_complete(ctx: GuardContext) -> list[str]:
    """Every risk category has a risk or a reasoned "not applicable"; risky roles need
    reputational harm modelled."""
    revision = ctx.project.current_revision
    return completeness_problems(revision, categories_of(revision, ctx.session),
                                 load_catalogues(ctx.session))


@guard("round_has_min_reviews")
def round_has_min_reviews(ctx: GuardContext) -> list[str]:
    """The open round has at least `min_reviews` submitted reviews."""
    needed = int(ctx.settings.get("min_reviews", 3))
    review_round = current_round(ctx.session, ctx.project)
    if review_round is None:
        return ["There is no open review round."]
    have = submitted_count(review_round)
    if have < needed:
        return [f"Round {review_round.number} has {have} submitted review"
                f"{'' if have == 1 else 's'}; at least {needed} are needed."]
    return []


@guard("safeguards_cover_flagged")
def safeguards_cover_flagged(ctx: GuardContext) -> list[str]:
    """Each risk category reviewers flagged in the last round has a safeguard addressing it."""
    last = previous_round(ctx.session, ctx.project)
    if last is None or not last.figures:
        return []
    covered = {key for s in ctx.project.current_revision.safeguards for key in s.addresses}
    labels = {c["key"]: c["label"] for v in [ctx.project.current_revision.risk_catalogue_version]
              if v for c in v.categories}
    return [f"Reviewers flagged '{labels.get(c['category'], c['category'])}' in round "
            f"{last.number} ({c['concern_pct']}%): add a safeguard that addresses it."
            for c in last.figures["categories"]
            if c["concern_pct"] and c["category"] not in covered]


@guard("pilot_plan_complete")
def pilot_plan_complete(ctx: GuardContext) -> list[str]:
    """A pilot plan with a builder, at least one success and one kill criterion."""
    return plan_problems(ctx.project.pilot)


@guard("concern_within_limit")
def concern_within_limit(ctx: GuardContext) -> list[str]:
    """The open round has `min_reviews` reviews and concern at most `max_concern_pct`, unless
    an override rationale is given (it is recorded and shown in the memo)."""
    reasons = round_has_min_reviews(ctx)
    review_round = current_round(ctx.session, ctx.project)
    if reasons or review_round is None:
        return reasons
    limit = ctx.settings.get("max_concern_pct", 30)
    concern = round_figures(ctx.session, review_round, ctx.project)["concern_pct"]
    override = ctx.extra.get("override_rationale")
    if concern is not None and concern > limit and not (isinstance(override, str)
                                                        and override.strip()):
        return [f"Concern in round {review_round.number} is {concern}%, above the limit of "
                f"{limit}%: give an override rationale to start the pilot anyway."]
    return []


@guard("every_criterion_observed")
def every_criterion_observed(ctx: GuardContext) -> list[str]:
    """Every pilot criterion has at least one observation."""
    pilot = ctx.project.pilot
    if pilot is None:
        return ["This project has no pilot."]
    return [f"Criterion '{c.metric}' ({c.kind}) has no observation yet."
            for c in pilot.criteria if not c.observations]


@guard("decision_details_valid")
def decision_details_valid(ctx: GuardContext) -> list[str]:
    """Conditions (text and due date) and the re-review date are well formed."""
    return decision_problems(ctx.extra, ctx.trigger)
