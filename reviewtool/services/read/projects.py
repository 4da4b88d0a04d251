"""Lists of projects as a viewer may see them: the project list, the dashboards, the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from reviewtool.enums import State
from reviewtool.errors import Invalid
from reviewtool.models import Project, Revision, User
from reviewtool.permissions import visible_projects


@dataclass(frozen=True)
class ProjectPage:
    """One page of a project list, newest change first."""

    items: list[Project]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, -(-self.total // self.per_page))


def project_page(session: Session, viewer: User, *, page: int = 1, per_page: int = 20,
                 state: str = "", project_type: str = "", owned: bool | None = None,
                 strict: bool = False) -> ProjectPage:
    """The projects `viewer` may see, filtered: by state, by project type, and by whether the
    viewer owns them (`owned` True or False; None for both). `strict` refuses an unknown state
    (the API's 422) instead of matching nothing."""
    stmt = visible_projects(viewer)
    if state:
        if strict and state not in {s.value for s in State}:
            raise Invalid(problems=[{"field": "state", "message": f"Unknown state {state!r}."}])
        stmt = stmt.where(Project.state == state)
    if project_type:
        stmt = stmt.join(Revision, (Revision.project_id == Project.id) & Revision.is_current)
        stmt = stmt.where(Revision.project_type == project_type)
    if owned is not None:
        stmt = stmt.where((Project.owner_id == viewer.id) if owned
                          else (Project.owner_id != viewer.id))
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.options(selectinload(Project.owner))
                           .order_by(Project.updated_at.desc(), Project.id.desc())
                           .limit(per_page).offset((page - 1) * per_page)).unique()
    return ProjectPage(list(rows), page, per_page, total)
