"""Who may see and do what: the one policy module. Faces, services and templates ask here.

Seeing comes first: a project the caller may not see is a 404, never a 403, so nobody learns
that someone else's project exists (CONTRACT.md, "Who sees what"). Every other rule is a named
predicate in RULES, asked through `can(user, action, project)` or `require(...)`; the faces show
a control only when `can` says yes, and the services refuse with the rule's own message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, joinedload, object_session

from reviewtool.enums import Role, State
from reviewtool.errors import Conflict, Forbidden, NotFound, ServiceError
from reviewtool.models import (
    Assignment,
    ForecastInvitation,
    Pilot,
    Project,
    ReviewRound,
    TransitionEvent,
    User,
    pilot_builders,
)
from reviewtool.models.round_reads import open_rounds, rounds_if_read
from reviewtool.models.types import is_valid_id

# Roles that see every project once it has left draft.
OVERSIGHT_ROLES = (Role.GRANTMAKER, Role.ADMIN)
CONFLICT_HIDES = ("You declared a conflict of interest with this project, so its reviews, "
                  "figures and reviewers are hidden from you.")


# --- seeing ------------------------------------------------------------------------------------

def _assigned_project_ids(user: User) -> Select[tuple[int]]:
    # A reviewer sees a project from the round they were assigned in onwards, unless they
    # withdrew (e.g. declared a conflict): then they learn nothing more about it.
    return (select(ReviewRound.project_id).join(Assignment)
            .where(Assignment.reviewer_id == user.id, Assignment.withdrawn_at.is_(None)))


def _piloted_project_ids(user: User) -> Select[tuple[int]]:
    return (select(Pilot.project_id).join(pilot_builders)
            .where(pilot_builders.c.user_id == user.id))


def _visibility_clause(user: User):
    clauses = [Project.owner_id == user.id]
    if user.has_role(*OVERSIGHT_ROLES):
        # "Left draft" means submitted: a draft withdrawn before submission stays private.
        # A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL may hash an EXISTS, reading
        # every submit event before the first row of a 20-row page (5 ms at 10,000
        # projects); this one it probes by index only for the withdrawn rows it meets.
        submitted = (select(TransitionEvent.project_id)
                     .where(TransitionEvent.project_id == Project.id,
                            TransitionEvent.trigger == "submit")
                     .limit(1).scalar_subquery().is_not(None))
        clauses.append(and_(Project.state != State.DRAFT.value,
                            or_(Project.state != State.WITHDRAWN.value, submitted)))
    if user.has_role(Role.REVIEWER):
        clauses.append(Project.id.in_(_assigned_project_ids(user)))
    if user.has_role(Role.BUILDER):
        clauses.append(Project.id.in_(_piloted_project_ids(user)))
    return or_(*clauses)


def visible_projects(user: User) -> Select[tuple[Project]]:
    """A SELECT of the projects `user` may see; every list starts from it."""
    return select(Project).where(_visibility_clause(user))


def can_see(session: Session, user: User, project_id: int) -> bool:
    """True when `user` may see project `project_id`."""
    stmt = select(Project.id).where(and_(Project.id == project_id, _visibility_clause(user)))
    return session.scalar(stmt) is not None


def load_project(session: Session, user: User, project_id: int) -> Project:
    """The project, if `user` may see it; NotFound otherwise (also for a missing one)."""
    # The owner and the pilot come in the same statement, its builders in one more: every
    # project page names the proposer and asks the builders who may do what (issue 13).
    # Joining the builders too made SQLite materialise every pilot's builders (a nested join).
    stmt = visible_projects(user).where(Project.id == project_id).options(
        joinedload(Project.owner), joinedload(Project.pilot).selectinload(Pilot.builders))
    project = session.scalar(stmt) if is_valid_id(project_id) else None
    if project is None:
        raise NotFound(f"Project {project_id} not found.")
    return project


# --- relations the rules are made of -----------------------------------------------------------

def is_owner(user: User, project: Project) -> bool:
    """True when `user` proposed `project`."""
    return project.owner_id == user.id


def has_conflict(user: User, project: Project) -> bool:
    """True when `user` declared a conflict of interest with `project`."""
    return any(c.user_id == user.id for c in project.conflicts)


def is_pilot_builder(user: User, project: Project) -> bool:
    """True when `user` builds the project's pilot."""
    return project.pilot is not None and user.id in {u.id for u in project.pilot.builders}


def project_member_ids(project: Project) -> set[int]:
    """Users who work on the project besides its proposer: its pilot's builders."""
    return {user.id for user in project.pilot.builders} if project.pilot else set()


def is_assigned_reviewer(user: User, project: Project) -> bool:
    """True when `user` holds a live assignment in any round of `project`."""
    session = object_session(project)
    rounds = rounds_if_read(session, project.id)
    if rounds is not None:  # the page read them already: no statement for the answer
        return any(a.reviewer_id == user.id and a.withdrawn_at is None
                   for r in rounds for a in r.assignments)
    return session.scalar(_assigned_project_ids(user).where(
        ReviewRound.project_id == project.id).limit(1)) is not None


def holds_workflow_role(user: User, role: str, project: Project) -> bool:
    """True when `user` holds the workflow file's `role` for `project`.

    "owner" and "pilot_builder" are relations to the project; the others are user roles."""
    if role == "owner":
        return is_owner(user, project)
    if role == "pilot_builder":
        return is_pilot_builder(user, project)
    return user.has_role(role)


# --- the rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One named permission: who may do it, and what a refused caller is told."""

    name: str
    check: Callable[..., bool]
    message: Callable[..., str]
    refusal: type[ServiceError] = Forbidden  # 403; a few refusals are conflicts (409)


RULES: dict[str, Rule] = {}


def rule(name: str, message: str | Callable[..., str],
         refusal: type[ServiceError] = Forbidden):
    """Register the decorated predicate as rule `name`; `message` says why it refuses."""
    say = message if callable(message) else (lambda *args, **kwargs: message)

    def register(check: Callable[..., bool]) -> Callable[..., bool]:
        RULES[name] = Rule(name, check, say, refusal)
        return check

    return register


def can(user: User, action: str, project: Project | None = None, **context: Any) -> bool:
    """True when `user` may do `action` (to `project`, for project rules)."""
    return bool(RULES[action].check(user, project, **context))


def require(user: User, action: str, project: Project | None = None, **context: Any) -> None:
    """Raise the rule's refusal (Forbidden, mostly) with its message unless `user` may do
    `action`."""
    if not can(user, action, project, **context):
        found = RULES[action]
        raise found.refusal(found.message(user, project, **context))


def require_role(user: User, *roles: str) -> None:
    """Raise Forbidden unless `user` holds one of `roles` (the rules' common first step)."""
    if not user.has_role(*roles):
        raise Forbidden(_needs(*roles))


def _needs(*roles: str) -> str:
    return f"This needs the {' or '.join(roles)} role."


def _steward_message(user: User, project: Project, **_: Any) -> str:
    if not user.has_role(Role.GRANTMAKER):
        return _needs(Role.GRANTMAKER)
    if is_owner(user, project):
        return "You proposed this project, so you cannot manage its review or its pilot."
    return ("You declared a conflict of interest with this project, so you cannot manage its "
            "reviews.")


@rule("create_project", _needs(Role.PROPOSER))
def _create_project(user: User, project: None) -> bool:
    return user.has_role(Role.PROPOSER)


@rule("list_users", _needs(Role.GRANTMAKER, Role.ADMIN))
def _list_users(user: User, project: None) -> bool:
    return user.has_role(*OVERSIGHT_ROLES)


@rule("edit_catalogues", _needs(Role.ADMIN))
def _edit_catalogues(user: User, project: None) -> bool:
    return user.has_role(Role.ADMIN)


@rule("read_audit", _needs(Role.GRANTMAKER, Role.ADMIN))
def _read_audit(user: User, project: None) -> bool:
    return user.has_role(*OVERSIGHT_ROLES)


@rule("manage_users", _needs(Role.ADMIN))
def _manage_users(user: User, project: None) -> bool:
    """Disable and enable accounts, change their roles."""
    return user.has_role(Role.ADMIN)


@rule("manage_outbox", _needs(Role.ADMIN))
def _manage_outbox(user: User, project: None) -> bool:
    """See the mail waiting or given up on (never its text: reset links) and retry it."""
    return user.has_role(Role.ADMIN)


@rule("read_workflow", _needs(Role.GRANTMAKER, Role.ADMIN))
def _read_workflow(user: User, project: None) -> bool:
    """The workflow in use, drawn, with its thresholds."""
    return user.has_role(*OVERSIGHT_ROLES)


@rule("read_queue", _needs(Role.GRANTMAKER))
def _read_queue(user: User, project: None) -> bool:
    """The whole of what waits on a grantmaker, kind by kind (the dashboard shows the first)."""
    return user.has_role(Role.GRANTMAKER)


@rule("read_portfolio", _needs(Role.GRANTMAKER, Role.ADMIN))
def _read_portfolio(user: User, project: None) -> bool:
    """The portfolio's figures across projects (each viewer's own conflicts left out)."""
    return user.has_role(*OVERSIGHT_ROLES)


@rule("export_tables", _needs(Role.GRANTMAKER, Role.ADMIN))
def _export_tables(user: User, project: None) -> bool:
    """Whole tables as CSV or JSON; reviewer e-mails only where `see_reviewers` allows."""
    return user.has_role(*OVERSIGHT_ROLES)


@rule("edit", "Only the proposer can edit this project.")
def _edit(user: User, project: Project) -> bool:
    """The proposal, its risk model and its safeguard revisions are the proposer's."""
    return is_owner(user, project)


def is_conflicted(user: User, project: Project) -> bool:
    """A declared conflict of interest, or owning the project: either rules out every
    grantmaker action on it (a proposer who is also a grantmaker never judges their own)."""
    return has_conflict(user, project) or is_owner(user, project)


def _fire_message(user: User, project: Project, *, label: str, roles: tuple[str, ...]) -> str:
    if is_owner(user, project) and any(user.has_role(r) for r in roles):
        return f"You proposed this project, so you cannot '{label}' it."
    if has_conflict(user, project):
        return f"You declared a conflict of interest with this project, so you cannot '{label}'."
    return f"'{label}' can be done by: {', '.join(roles)}."


@rule("fire", _fire_message)
def _fire(user: User, project: Project, *, label: str, roles: tuple[str, ...]) -> bool:
    """A trigger's roles, and no declared conflict: a conflicted grantmaker must not steer,
    nor learn counts from a guard's refusal. The proposer fires only as the owner (or as the
    pilot's builder): their user roles do not count on their own project."""
    if has_conflict(user, project):
        return False
    relations = ("owner", "pilot_builder")
    return any(holds_workflow_role(user, role, project) for role in roles
               if role in relations or not is_owner(user, project))


@rule("steward", _steward_message)
def _steward(user: User, project: Project) -> bool:
    """Manage the review: assign and unassign reviewers, list candidates, resolve alerts."""
    return user.has_role(Role.GRANTMAKER) and not is_conflicted(user, project)


@rule("plan_pilot", _steward_message)
def _plan_pilot(user: User, project: Project) -> bool:
    """Write or amend the pilot plan: a steward's job, so never the conflicted or the owner."""
    return user.has_role(Role.GRANTMAKER) and not is_conflicted(user, project)


@rule("record_pilot", "Only the builders of this project's pilot can record its results.")
def _record_pilot(user: User, project: Project) -> bool:
    return is_pilot_builder(user, project)


@rule("review", "Only reviewers assigned to the open round can review this project.")
def _review(user: User, project: Project) -> bool:
    """A live assignment in the open round (reviewers review independently, round by round)."""
    return user.has_role(Role.REVIEWER) and any(
        a.reviewer_id == user.id and a.withdrawn_at is None
        for r in _open_rounds(project) for a in r.assignments)


def _open_rounds(project: Project) -> list[ReviewRound]:
    return open_rounds(object_session(project), project.id)


@rule("declare_conflict", "You proposed this project; proposers never review their own.",
      refusal=Conflict)
def _declare_conflict(user: User, project: Project) -> bool:
    return not is_owner(user, project)


@rule("see_reviews", CONFLICT_HIDES)
def _see_reviews(user: User, project: Project) -> bool:
    """Reviews, figures and reviewers of a project stay hidden from whoever declared a
    conflict with it (not even counts)."""
    return not has_conflict(user, project)


@rule("see_reviewers", "Only grantmakers and admins see who reviewed.")
def _see_reviewers(user: User, project: Project) -> bool:
    """Reviewer names, e-mails and how each one's view moved: oversight roles, never the
    proposer (an account that is both sees its own project as its proposer)."""
    return (user.has_role(*OVERSIGHT_ROLES) and not is_owner(user, project)
            and not has_conflict(user, project))


def _memo_message(user: User, project: Project) -> str:
    if has_conflict(user, project):
        return ("You declared a conflict of interest with this project, so its memo is hidden "
                "from you.")
    return "Only grantmakers and the proposer can read the decision memo."


@rule("read_memo", _memo_message)
def _read_memo(user: User, project: Project) -> bool:
    """The proposer and oversight roles, never someone who declared a conflict (the memo
    carries every figure and rationale)."""
    if has_conflict(user, project):
        return False
    return is_owner(user, project) or user.has_role(*OVERSIGHT_ROLES)


# --- consultations (models/consultations.py) ----------------------------------------------------

@rule("run_consultations", _needs(Role.GRANTMAKER, Role.ADMIN))
def _run_consultations(user: User, project: None) -> bool:
    """Create consultations, open and close their waves, remind, read the results."""
    return user.has_role(*OVERSIGHT_ROLES)


@rule("panel_member", _needs(Role.PANELLIST))
def _panel_member(user: User, project: None) -> bool:
    """Describe oneself to the panel, give or withdraw consent to be surveyed."""
    return user.has_role(Role.PANELLIST)


@rule("answer_consultations", "This needs the panellist role and your consent to be "
      "surveyed (give it on your panel page).")
def _answer_consultations(user: User, project: None, *, consenting: bool) -> bool:
    """Answer a wave one was invited to: a panellist whose consent stands. Which waves they
    were invited to is the service's to check (a wave they were not invited to is a 404)."""
    return user.has_role(Role.PANELLIST) and consenting


def is_invited_forecaster(user: User, project: Project) -> bool:
    """True when `user` was invited to forecast the project's pilot when it started."""
    if project.pilot is None:
        return False
    session = object_session(project)
    return session.scalar(select(ForecastInvitation.id).where(
        ForecastInvitation.pilot_id == project.pilot.id,
        ForecastInvitation.user_id == user.id)) is not None


@rule("forecast", "Only the reviewers of the last round and the grantmakers invited when the "
      "pilot started can forecast it.")
def _forecast(user: User, project: Project) -> bool:
    """Forecast the pilot's criteria: those invited when its plan was frozen, no one else (an
    invitation is never given to the proposer or a conflicted grantmaker)."""
    return is_invited_forecaster(user, project) and not has_conflict(user, project)


@rule("read_calibration", _needs(Role.REVIEWER, Role.GRANTMAKER, Role.ADMIN))
def _read_calibration(user: User, project: None) -> bool:
    """The calibration page: a reviewer sees their own scores, oversight roles everyone's."""
    return user.has_role(Role.REVIEWER, *OVERSIGHT_ROLES)


@rule("read_panel_calibration", _needs(Role.GRANTMAKER, Role.ADMIN))
def _read_panel_calibration(user: User, project: None) -> bool:
    """Every person's scores, the panel's, and the forecasts with names (CSV included)."""
    return user.has_role(*OVERSIGHT_ROLES)


@rule("record_outcome", "Only admins and grantmakers who may steer this project can record "
      "its outcome.")
def _record_outcome(user: User, project: Project) -> bool:
    """Record whether a funded project met its target outcome (scoring the go's forecast)."""
    return user.has_role(Role.ADMIN) or (user.has_role(Role.GRANTMAKER)
                                         and not is_conflicted(user, project))
