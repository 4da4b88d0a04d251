"""Normalised risk scores: beside the raw mean of the reviewers' likelihood x severity per
risk, the mean after removing each reviewer's own average offset from the panel (formula in
forecast_scores.reviewer_offsets, docs/FIGURES.md). Shown to grantmakers and admins; the raw
figure stays the default.

Each reviewer's offset is computed over all their submitted reviews, on every project: one
statement for the panel's mean and one for the project's reviewers, whatever the number of
rounds or reviews."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, case, func, select, true
from sqlalchemy.orm import Session

from reviewtool import forecast_scores as fs
from reviewtool.models import Assignment, Review, ReviewRound
from reviewtool.services.unit_memo import remember

NOTE = ("Normalised: each reviewer's scores minus their own offset, the mean of all their "
        f"scores on every project minus the mean of every reviewer's scores; a reviewer with "
        f"fewer than {fs.MIN_REVIEWS_FOR_OFFSET} scored reviews keeps their raw scores.")


def _sums() -> Select:
    return select(func.coalesce(func.sum(Review.score_total), 0),
                  func.coalesce(func.sum(Review.score_count), 0))


def panel_totals(session: Session) -> fs.ScoreTotals:
    """Every live review's scores in sum (withdrawn assignments left out): the panel whose
    mean the offsets are measured from. Every review less the few withdrawn ones, so both
    sums read an index only (0014), never each review's JSON or a join of every review."""
    every = _sums().subquery()
    gone = (_sums().join(Assignment, Assignment.id == Review.assignment_id)
            .where(Assignment.withdrawn_at.is_not(None)).subquery())
    total, count = session.execute(select(every.c[0] - gone.c[0], every.c[1] - gone.c[1])
                                   .select_from(every.join(gone, true()))).one()
    return fs.ScoreTotals(int(total), int(count), 0)


def reviewer_totals(session: Session, reviewer_ids: Iterable[int]) -> dict[int, fs.ScoreTotals]:
    """Each of the given reviewers' live reviews in sum: one GROUP BY over their assignments."""
    rows = session.execute(
        select(Assignment.reviewer_id, func.sum(Review.score_total), func.sum(Review.score_count),
               func.count(case((Review.score_count > 0, 1))))
        .join(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.withdrawn_at.is_(None), Assignment.reviewer_id.in_(list(reviewer_ids)))
        .group_by(Assignment.reviewer_id))
    return {reviewer: fs.ScoreTotals(int(total), int(count), scored)
            for reviewer, total, count, scored in rows}


def reviewer_offsets(session: Session, reviewer_ids: Iterable[int]) -> dict[int, float]:
    """The given reviewers' offsets from the panel, read once per unit of work."""
    ids = frozenset(reviewer_ids)
    return remember(session, ("reviewer_offsets", ids), lambda: fs.offsets_from_totals(
        reviewer_totals(session, ids), panel_totals(session)) if ids else {})


def round_scores(review_round: ReviewRound) -> dict[int, dict[int, int]]:
    """risk id -> {reviewer id: likelihood x severity} over the round's live reviews."""
    scores: dict[int, dict[int, int]] = {}
    for assignment in review_round.assignments:
        if assignment.withdrawn_at is None and assignment.review is not None:
            for s in assignment.review.risk_scores:
                scores.setdefault(s["risk_id"], {})[assignment.reviewer_id] = (
                    s["likelihood"] * s["severity"])
    return scores


def normalised_rows(review_round: ReviewRound, offsets: dict[int, float]) -> list[dict[str, Any]]:
    """Per risk scored in the round: n, raw mean and normalised mean, by risk id."""
    figures = fs.normalised_risk_scores(round_scores(review_round), offsets)
    return [{"risk_id": risk_id, **row} for risk_id, row in sorted(figures.items())]
