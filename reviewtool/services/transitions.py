"""The one function that moves a project between workflow states.

Modelled on pretalx's `set_submission_state`: a single documented place owns every side
effect of a move, so nothing else ever writes `project.state`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.errors import Conflict, Invalid
from reviewtool.models import Project, TransitionEvent, User
from reviewtool.permissions import can, require
from reviewtool.services import project_notices
from reviewtool.services.effects import EFFECTS
from reviewtool.services.guards import GUARDS, GuardContext
from reviewtool.services.versioning import claim_version
from reviewtool.services.workflows import workflow_for
from reviewtool.workflow import TriggerDef, Workflow

COMMENT_MAX = 10_000


def allowed_triggers(workflow: Workflow, user: User, project: Project) -> list[str]:
    """Triggers the user's roles may fire from the current state (guards not evaluated)."""
    workflow = workflow_for(project, workflow)
    return [name for name in workflow.triggers_from(project.state)
            if may_fire(user, workflow.trigger(name), project)]


def may_fire(user: User, definition: TriggerDef, project: Project) -> bool:
    """The permission rule "fire" for one trigger of the workflow."""
    return can(user, "fire", project, label=definition.label, roles=definition.roles)


def refusals(session: Session, workflow: Workflow, project: Project, trigger: str, *,
             actor: User, comment: str = "", extra: Mapping[str, Any] | None = None) -> list[str]:
    """Every reason the trigger's guards give for refusing the move now (empty: it may go)."""
    workflow = workflow_for(project, workflow)
    definition = workflow.trigger(trigger)
    ctx = GuardContext(session=session, project=project, actor=actor,
                       settings=workflow.settings, comment=comment, extra=extra or {},
                       trigger=trigger)
    reasons: list[str] = []
    if definition.comment == "required" and not comment.strip():
        reasons.append(f"'{definition.label}' needs a rationale: write it in the comment.")
    for name in definition.guards:
        reasons.extend(GUARDS[name](ctx))
    return reasons


def fire(session: Session, workflow: Workflow, project: Project, trigger: Any, *, actor: User,
         expected_version: Any = None, comment: Any = "",
         extra: Mapping[str, Any] | None = None) -> TransitionEvent:
    """Fire `trigger` on `project` as `actor`: check, move, record. Flushes, never commits.

    Order of refusals follows CONTRACT.md: 403 (role), 409 (not available now, or stale),
    422 (every guard reason at once). The UPDATE is conditional on state and version, so of
    two concurrent moves exactly one wins, whichever process it runs in. The move follows
    the project's own workflow (the one it started under), whatever the caller configured."""
    workflow = workflow_for(project, workflow)
    if not isinstance(trigger, str) or not trigger:
        raise Invalid(problems=[{"field": "trigger", "message": "Name the trigger to fire."}])
    try:
        definition = workflow.trigger(trigger)
    except KeyError:
        known = ", ".join(workflow.definition.triggers)
        raise Invalid(problems=[{"field": "trigger", "message":
                                 f"Unknown trigger {trigger!r}; known: {known}."}]) from None
    require(actor, "fire", project, label=definition.label, roles=definition.roles)
    from_state = project.state
    to_state = workflow.destination(trigger, from_state)
    if to_state is None:
        raise Conflict(f"'{definition.label}' is not possible while the project is in "
                       f"'{from_state}'.")
    if expected_version is None:
        expected_version = project.version
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise Invalid(problems=[{"field": "version", "message": "version must be an integer."}])
    if expected_version != project.version:
        raise Conflict("Someone else changed this project first; reload it and try again.",
                       current_version=project.version)
    if comment is None:
        comment = ""
    if not isinstance(comment, str) or len(comment) > COMMENT_MAX:  # 422: after 403 and 409
        raise Invalid(problems=[{"field": "comment", "message":
                                 f"comment: write text of at most {COMMENT_MAX} characters."}])
    override = (extra or {}).get("override_rationale")
    if override is not None and (not isinstance(override, str) or len(override) > COMMENT_MAX):
        raise Invalid(problems=[{"field": "override_rationale", "message":
                                 "override_rationale: write text of at most "
                                 f"{COMMENT_MAX} characters."}])
    reasons = refusals(session, workflow, project, trigger, actor=actor, comment=comment,
                       extra=extra)
    if reasons:
        raise Invalid(problems=[{"message": r} for r in reasons])
    claim_version(session, project, expected_version, from_state=from_state,
                  values={"state": to_state})
    event = TransitionEvent(project_id=project.id, actor_id=actor.id, from_state=from_state,
                            to_state=to_state, trigger=trigger, comment=comment.strip(),
                            override_rationale=override.strip() if override else None)
    session.add(event)
    session.flush()
    ctx = GuardContext(session=session, project=project, actor=actor,
                       settings=workflow.settings, comment=comment.strip(), extra=extra or {},
                       trigger=trigger)
    for name in definition.effects:
        EFFECTS[name](ctx)
    project_notices.after_move(session, project, to_state, comment.strip())
    session.flush()
    return event
