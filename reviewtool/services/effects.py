"""Effects: what a trigger does besides moving the state, named in the workflow file.

They run inside services.transitions.fire, after the conditional UPDATE succeeded and in the
same transaction, so a move and its effects are committed (or rolled back) together."""

from __future__ import annotations

from collections.abc import Callable

from reviewtool.services import decisions, forecasts, memos, pilot_plans, revisions, rounds
from reviewtool.services.guards import GuardContext
from reviewtool.services.reviews import carry_over_reviewers

Effect = Callable[[GuardContext], None]
EFFECTS: dict[str, Effect] = {}


def effect(name: str) -> Callable[[Effect], Effect]:
    """Register an effect under the name the workflow file uses."""

    def register(fn: Effect) -> Effect:
        EFFECTS[name] = fn
        return fn

    return register


@effect("open_round")
def open_round(ctx: GuardContext) -> None:
    """Open the next review round on the current revision (frozen as submitted); the last
    round's reviewers are re-assigned to it and notified."""
    previous = rounds.previous_round(ctx.session, ctx.project)
    review_round = rounds.open_round(ctx.session, ctx.project)
    if previous is not None:
        carry_over_reviewers(ctx.session, ctx.project, previous, review_round)


@effect("start_revision")
def start_revision(ctx: GuardContext) -> None:
    """Open a new draft revision, a copy of the submitted one, for the proposer's safeguards."""
    revisions.start_revision(ctx.session, ctx.project)


@effect("close_round")
def close_round(ctx: GuardContext) -> None:
    """Close the open review round and freeze its figures."""
    rounds.close_round(ctx.session, ctx.project)


@effect("freeze_pilot")
def freeze_pilot(ctx: GuardContext) -> None:
    """Freeze the pilot plan: timestamp and SHA-256 of its canonical form."""
    pilot_plans.freeze(ctx.project.pilot)


@effect("invite_forecasts")
def invite_forecasts(ctx: GuardContext) -> None:
    """Invite the last round's reviewers and the grantmakers to forecast the frozen plan."""
    forecasts.invite(ctx.session, ctx.project, ctx.settings)


@effect("score_forecasts")
def score_forecasts(ctx: GuardContext) -> None:
    """Score every forecast of the pilot against its criteria's verdicts (Brier score)."""
    forecasts.score(ctx.session, ctx.project)


@effect("record_decision")
def record_decision(ctx: GuardContext) -> None:
    """Store the decision (go, no-go or recycle) with its rationale and conditions."""
    decisions.record_decision(ctx.session, ctx.project, ctx.actor, ctx.trigger, ctx.comment,
                              ctx.extra)


@effect("store_memo")
def store_memo(ctx: GuardContext) -> None:
    """Render the decision memo and store its bytes and SHA-256."""
    memos.store_memo(ctx.session, ctx.project, ctx.settings)
