"""Who may see and do what: the one policy module. Faces and services ask here, nowhere else.

Seeing comes first: a project the caller may not see is a 404, never a 403, so nobody learns
that someone else's project exists (CONTRACT.md, "Who sees what")."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from reviewtool.enums import EDITABLE_STATES, Role, State
from reviewtool.errors import Conflict, Forbidden, NotFound
from reviewtool.models import (
    Assignment,
    Pilot,
    Project,
    ReviewRound,
    TransitionEvent,
    User,
    pilot_builders,
)
from reviewtool.models.types import is_valid_id

# Roles that see every project once it has left draft.
OVERSIGHT_ROLES = (Role.GRANTMAKER, Role.ADMIN)


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
        submitted = exists().where(TransitionEvent.project_id == Project.id,
                                   TransitionEvent.trigger == "submit")
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
    project = (session.scalar(visible_projects(user).where(Project.id == project_id))
               if is_valid_id(project_id) else None)
    if project is None:
        raise NotFound(f"Project {project_id} not found.")
    return project


def project_member_ids(session: Session, project: Project) -> set[int]:
    """Users who work on the project besides its proposer: its pilot's builders."""
    return {user.id for user in project.pilot.builders} if project.pilot else set()


def is_assigned_reviewer(session: Session, user: User, project: Project) -> bool:
    """True when `user` holds a live assignment in any round of `project`."""
    return session.scalar(_assigned_project_ids(user).where(
        ReviewRound.project_id == project.id).limit(1)) is not None


def is_owner(user: User, project: Project) -> bool:
    """True when `user` proposed `project`."""
    return project.owner_id == user.id


def holds_workflow_role(user: User, role: str, project: Project) -> bool:
    """True when `user` holds the workflow file's `role` for `project`.

    "owner" and "pilot_builder" are relations to the project; the others are user roles."""
    if role == "owner":
        return is_owner(user, project)
    if role == "pilot_builder":
        return project.pilot is not None and user in project.pilot.builders
    return user.has_role(role)


def has_conflict(user: User, project: Project) -> bool:
    """True when `user` declared a conflict of interest with `project`."""
    return any(c.user_id == user.id for c in project.conflicts)


def may_fire(user: User, roles: tuple[str, ...], project: Project) -> bool:
    """True when `user` holds one of the roles a trigger names and has no declared conflict
    (a conflicted grantmaker must not steer, nor learn counts from a guard's refusal)."""
    if has_conflict(user, project):
        return False
    return any(holds_workflow_role(user, role, project) for role in roles)


def require_edit(user: User, project: Project) -> None:
    """Raise unless `user` may edit the proposal now (the owner, in an editable state)."""
    if not is_owner(user, project):
        raise Forbidden("Only the proposer can edit this project.")
    if project.state not in EDITABLE_STATES:
        raise Conflict(f"The proposal cannot be edited while the project is in "
                       f"'{project.state}'.")
    revision = project.current_revision
    if revision.submitted_at is not None:
        raise Conflict(f"Revision {revision.number} was submitted for review and can no "
                       "longer change; a new revision opens when reviewers ask for safeguards.")


def require_steward(user: User, project: Project) -> None:
    """Raise Forbidden unless `user` is a grantmaker without a declared conflict here."""
    require_role(user, Role.GRANTMAKER)
    if has_conflict(user, project):
        raise Forbidden("You declared a conflict of interest with this project, so you cannot "
                        "manage its reviews.")


def require_role(user: User, *roles: str) -> None:
    """Raise Forbidden unless `user` holds one of `roles`."""
    if not user.has_role(*roles):
        raise Forbidden(f"This needs the {' or '.join(roles)} role.")
