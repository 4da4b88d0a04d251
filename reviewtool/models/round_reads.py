"""A project's review rounds, read once per unit of work.

The permission rules (is there an open round? is this user assigned?), the review form, the
review section, the trajectory, the forecasts and the memo all ask for a project's rounds; each
asked for them its own way, so one page read the same rounds, assignments and reviews up to
three times (issue 13: at most 12 statements a request). Here they are read once: the rounds,
then their assignments and reviews (selectin-loaded, one statement each)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models.review import ReviewRound
from reviewtool.unit_memo import recall, remember


def _key(project_id: int) -> tuple[str, int]:
    return ("rounds", project_id)


def project_rounds(session: Session, project_id: int) -> list[ReviewRound]:
    """Every round of the project, oldest first."""
    return remember(session, _key(project_id), lambda: list(session.scalars(
        select(ReviewRound).where(ReviewRound.project_id == project_id)
        .order_by(ReviewRound.number))))


def open_rounds(session: Session, project_id: int) -> list[ReviewRound]:
    """The project's open rounds (at most one while the workflow holds)."""
    return [r for r in project_rounds(session, project_id) if r.status == "open"]


def rounds_if_read(session: Session, project_id: int) -> list[ReviewRound] | None:
    """The rounds when this unit of work has read them already, else None: a check that needs
    one indexed lookup should not load every round just to answer it."""
    return recall(session, _key(project_id))
