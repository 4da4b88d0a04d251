"""Effects: what a trigger does besides moving the state, named in the workflow file.

They run inside services.transitions.fire, after the conditional UPDATE succeeded and in the
same transaction, so a move and its effects are committed (or rolled back) together."""

from __future__ import annotations

from collections.abc import Callable

from reviewtool.workflow.guards import GuardContext

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
    """Open the next review round on the current revision."""
    from reviewtool.services.rounds import open_round as open_next

    open_next(ctx.session, ctx.project)


@effect("close_round")
def close_round(ctx: GuardContext) -> None:
    """Close the open review round and freeze its figures."""
    from reviewtool.services.rounds import close_round as close_open

    close_open(ctx.session, ctx.project)
