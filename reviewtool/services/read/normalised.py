"""Normalised risk scores: beside the raw mean of the reviewers' likelihood x severity per
risk, the mean after removing each reviewer's own average offset from the panel (formula in
forecast_scores.reviewer_offsets, docs/FIGURES.md). Shown to grantmakers and admins; the raw
figure stays the default.

Each reviewer's offset is computed over all their submitted reviews, on every project: one
statement for the panel's and every reviewer's totals, kept per process until the figures'
stamp moves (services/figure_cache.py), whatever the number of rounds or reviews."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, case, func, literal, null, select, true, union_all
from sqlalchemy.orm import Session

from reviewtool import forecast_scores as fs
from reviewtool.models import Assignment, Review, ReviewRound
from reviewtool.services.figure_cache import cached

NOTE = ("Normalised: each reviewer's scores minus their own offset, the mean of all their "
        f"scores on every project minus the mean of every reviewer's scores; a reviewer with "
        f"fewer than {fs.MIN_REVIEWS_FOR_OFFSET} scored reviews keeps their raw scores.")


def _panel() -> Select:
    """Every live review's scores in sum (withdrawn assignments left out), as a row whose
    reviewer is NULL: the panel whose mean the offsets are measured from. Every review less
    the few withdrawn ones, so both sums read an index only (0014), never each review's JSON
    nor a join of every review with its assignment."""
    sums = (func.coalesce(func.sum(Review.score_total), 0),
            func.coalesce(func.sum(Review.score_count), 0))
    every = select(*sums).subquery()
    gone = (select(*sums).join(Assignment, Assignment.id == Review.assignment_id)
            .where(Assignment.withdrawn_at.is_not(None)).subquery())
    return (select(null(), every.c[0] - gone.c[0], every.c[1] - gone.c[1], literal(0))
            .select_from(every.join(gone, true())))


def score_totals(session: Session) -> tuple[fs.ScoreTotals, dict[int, fs.ScoreTotals]]:
    """The panel's totals and every reviewer's (their live reviews in sum), in one statement:
    the reviewers' GROUP BY over their live assignments, then the panel's row."""
    mine = (select(Assignment.reviewer_id, func.sum(Review.score_total),
                   func.sum(Review.score_count), func.count(case((Review.score_count > 0, 1))))
            .join(Review, Review.assignment_id == Assignment.id)
            .where(Assignment.withdrawn_at.is_(None))
            .group_by(Assignment.reviewer_id))
    panel, reviewers = fs.ScoreTotals(0, 0, 0), {}
    for reviewer, total, count, scored in session.execute(union_all(mine, _panel())):
        totals = fs.ScoreTotals(int(total), int(count), int(scored))
        if reviewer is None:
            panel = totals
        else:
            reviewers[reviewer] = totals
    return panel, reviewers


def kept_score_totals(session: Session) -> tuple[fs.ScoreTotals, dict[int, fs.ScoreTotals]]:
    """score_totals, kept per process until the figures' stamp moves."""
    return cached(session, ("score_totals",), lambda: score_totals(session))


def reviewer_offsets(session: Session, reviewer_ids: Iterable[int]) -> dict[int, float]:
    """The given reviewers' offsets from the panel. Every reviewer's totals are read at once
    and kept in the process until a review, an assignment or a round changes
    (services/figure_cache.py): they are the same for every project page."""
    ids = frozenset(reviewer_ids)
    if not ids:
        return {}
    panel, reviewers = kept_score_totals(session)
    return fs.offsets_from_totals({r: reviewers[r] for r in ids if r in reviewers}, panel)


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
