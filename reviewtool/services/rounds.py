"""Review rounds: opening, closing (figures frozen), and the facts the figures are made of."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewtool import figures
from reviewtool.errors import Conflict
from reviewtool.models import Assignment, Project, Review, ReviewRound, utcnow
from reviewtool.models.round_reads import open_rounds
from reviewtool.services import project_notices
from reviewtool.services.revisions import freeze
from reviewtool.services.risks import categories_of


def open_round(session: Session, project: Project) -> ReviewRound:
    """Open the next round on the current revision, which becomes a submitted snapshot."""
    last = session.scalar(select(func.max(ReviewRound.number))
                          .where(ReviewRound.project_id == project.id)) or 0
    revision = project.current_revision
    freeze(revision)
    review_round = ReviewRound(project_id=project.id, revision_id=revision.id, number=last + 1)
    session.add(review_round)
    session.flush()
    return review_round


def previous_round(session: Session, project: Project) -> ReviewRound | None:
    """The newest closed round of the project, if any."""
    return session.scalar(select(ReviewRound)
                          .where(ReviewRound.project_id == project.id,
                                 ReviewRound.status == "closed")
                          .order_by(ReviewRound.number.desc()).limit(1))


def current_round(session: Session, project: Project) -> ReviewRound | None:
    """The open round of the project, if any (from the rounds read once per unit of work)."""
    return next(iter(open_rounds(session, project.id)), None)


def require_open_round(session: Session, project: Project) -> ReviewRound:
    """The open round, or a Conflict saying there is none."""
    review_round = current_round(session, project)
    if review_round is None:
        raise Conflict("This project has no open review round now.")
    return review_round


def live_reviews(review_round: ReviewRound) -> list[Review]:
    """Submitted reviews of the round, leaving out reviewers who withdrew."""
    return [a.review for a in review_round.assignments
            if a.review is not None and a.withdrawn_at is None]


def facts(review: Review) -> figures.ReviewFacts:
    """A review as the pure figures module sees it."""
    return figures.ReviewFacts(
        net_negative=review.net_negative, stance=review.stance, confidence=review.confidence,
        concern_categories=frozenset(review.concern_categories),
        risk_scores={s["risk_id"]: (s["likelihood"], s["severity"])
                     for s in review.risk_scores})


def round_figures(session: Session, review_round: ReviewRound,
                  project: Project) -> dict[str, Any]:
    """The round's figures: frozen ones once closed, computed live while open."""
    if review_round.figures is not None:
        return review_round.figures
    revision = next(r for r in project.revisions if r.id == review_round.revision_id)
    keys = [c["key"] for c in categories_of(revision, session)]
    return figures.round_figures([facts(r) for r in live_reviews(review_round)], keys)


def close_round(session: Session, project: Project) -> ReviewRound | None:
    """Close the open round (if any), freezing its figures, and tell the proposer."""
    review_round = current_round(session, project)
    if review_round is None:
        return None
    review_round.figures = round_figures(session, review_round, project)
    review_round.status, review_round.closed_at = "closed", utcnow()
    project_notices.round_closed(session, project, review_round)
    session.flush()
    return review_round


def submitted_count(review_round: ReviewRound) -> int:
    """How many live reviews the round has."""
    return len(live_reviews(review_round))


def reviewer_loads(session: Session, reviewer_ids: list[int]) -> dict[int, int]:
    """Open, not yet reviewed assignments per reviewer (their current load), in one query."""
    if not reviewer_ids:
        return {}
    rows = session.execute(
        select(Assignment.reviewer_id, func.count()).join(ReviewRound)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(ReviewRound.status == "open", Assignment.withdrawn_at.is_(None),
               Review.id.is_(None), Assignment.reviewer_id.in_(reviewer_ids))
        .group_by(Assignment.reviewer_id))
    return {reviewer_id: count for reviewer_id, count in rows}

