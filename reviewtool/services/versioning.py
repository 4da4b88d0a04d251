"""Optimistic concurrency: every change to a project claims its version with one UPDATE."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from reviewtool.errors import Conflict
from reviewtool.models import Project, utcnow


def claim_version(session: Session, project: Project, expected_version: int,
                  *, from_state: str | None = None, values: dict[str, Any] | None = None) -> None:
    """Bump the project's version iff it still has `expected_version` (and `from_state`).

    The WHERE clause makes the database the referee: of two writers that read the same
    version, exactly one UPDATE touches the row, on SQLite and PostgreSQL, in one process
    or many. The loser gets a Conflict and its transaction is rolled back by the face."""
    if expected_version != project.version:
        # Stale as read; also keeps a version beyond the database's integers (2**31 on
        # PostgreSQL, 2**63 on SQLite) out of the SQL, where it would be an overflow error.
        raise Conflict("Someone else changed this project first; reload it and try again.",
                       current_version=project.version)
    conditions = [Project.id == project.id, Project.version == expected_version]
    if from_state is not None:
        conditions.append(Project.state == from_state)
    stmt = (update(Project).where(*conditions)
            .values(version=Project.version + 1, updated_at=utcnow(), **(values or {}))
            .execution_options(synchronize_session=False))
    if session.execute(stmt).rowcount != 1:
        raise Conflict("Someone else changed this project first; reload it and try again.",
                       current_version=project.version)
    session.refresh(project)
