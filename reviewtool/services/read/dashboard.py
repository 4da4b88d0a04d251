"""The dashboard: what waits on the signed-in user, one part per role they hold.

A part is None when the user does not hold its role, so the page shows only what applies;
every list is read in a fixed number of queries, never one per row."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewtool.enums import EDITABLE_STATES, Role, State
from reviewtool.models import (
    Assignment,
    ConflictDeclaration,
    Project,
    Review,
    ReviewRound,
    Revision,
    User,
)
from reviewtool.permissions import OVERSIGHT_ROLES
from reviewtool.services.read.pilot import builder_pilots
from reviewtool.services.read.projects import project_page
from reviewtool.services.read.queue import grantmaker_queue, pipeline_by_state


def reviewer_assignments(session: Session, reviewer: User) -> list[dict[str, Any]]:
    """The reviewer's live assignments in open rounds, pending ones first: one query."""
    rows = session.execute(
        select(Project.id, Revision.title, ReviewRound.number, Assignment.due_on,
               Review.id.is_not(None).label("submitted"))
        .select_from(Assignment)
        .join(ReviewRound, ReviewRound.id == Assignment.round_id)
        .join(Project, Project.id == ReviewRound.project_id)
        .join(Revision, Revision.id == ReviewRound.revision_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.reviewer_id == reviewer.id, Assignment.withdrawn_at.is_(None),
               ReviewRound.status == "open")
        .order_by(Review.id.is_not(None), Assignment.due_on, Project.id))
    today = date.today()
    return [{"project_id": pid, "title": title, "round": number, "due_on": due_on,
             "status": "submitted" if submitted else "pending",
             "days_left": (due_on - today).days if due_on else None}
            for pid, title, number, due_on, submitted in rows]


def review_progress(session: Session, grantmaker: User) -> list[dict[str, Any]]:
    """Projects in review with submitted and assigned counts of the open round: one query.

    A project the grantmaker declared a conflict with keeps its counts hidden."""
    conflicted = func.count(ConflictDeclaration.id) > 0
    rows = session.execute(
        select(Project.id, Revision.title, ReviewRound.number,
               func.count(Assignment.id.distinct()), func.count(Review.id.distinct()),
               conflicted)
        .select_from(Project)
        .join(ReviewRound, (ReviewRound.project_id == Project.id) & (ReviewRound.status == "open"))
        .join(Revision, Revision.id == ReviewRound.revision_id)
        .outerjoin(Assignment, (Assignment.round_id == ReviewRound.id)
                   & Assignment.withdrawn_at.is_(None))
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .outerjoin(ConflictDeclaration, (ConflictDeclaration.project_id == Project.id)
                   & (ConflictDeclaration.user_id == grantmaker.id))
        .where(Project.state == State.REVIEW.value)
        .group_by(Project.id, Revision.title, ReviewRound.number)
        .order_by(Project.updated_at.desc(), Project.id.desc()).limit(100))
    return [{"project_id": pid, "title": title, "round": number, "hidden": hidden,
             "assigned": None if hidden else assigned, "submitted": None if hidden else done}
            for pid, title, number, assigned, done, hidden in rows]


def dashboard(session: Session, user: User) -> dict[str, Any]:
    """Every part of `user`'s dashboard; a part is None when its role does not apply."""
    proposals = None
    if user.has_role(Role.PROPOSER):
        mine = project_page(session, user, owned=True).items
        proposals = {"projects": mine,
                     "workable": sum(p.state in EDITABLE_STATES for p in mine)}
    return {
        "proposals": proposals,
        "assignments": reviewer_assignments(session, user)
        if user.has_role(Role.REVIEWER) else None,
        "pilots": builder_pilots(session, user) if user.has_role(Role.BUILDER) else None,
        "in_review": review_progress(session, user) if user.has_role(Role.GRANTMAKER) else None,
        "queue": grantmaker_queue(session, user) if user.has_role(Role.GRANTMAKER) else None,
        "pipeline": pipeline_by_state(session, user)
        if user.has_role(*OVERSIGHT_ROLES) else None,
        "oversight": project_page(session, user, owned=False).items
        if user.has_role(*OVERSIGHT_ROLES) else None,
    }
