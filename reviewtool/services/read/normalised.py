"""Normalised risk scores: beside the raw mean of the reviewers' likelihood x severity per
risk, the mean after removing each reviewer's own average offset from the panel (formula in
forecast_scores.reviewer_offsets, docs/FIGURES.md). Shown to grantmakers and admins; the raw
figure stays the default.

Each reviewer's offset is computed over all their submitted reviews, on every project: one
query for every reviewer of the project, whatever the number of rounds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import forecast_scores as fs
from reviewtool.models import Assignment, Review, ReviewRound

NOTE = ("Normalised: each reviewer's scores minus their own offset, the mean of all their "
        f"scores on every project minus the mean of every reviewer's scores; a reviewer with "
        f"fewer than {fs.MIN_REVIEWS_FOR_OFFSET} scored reviews keeps their raw scores.")


def panel_history(session: Session) -> dict[int, list[list[int]]]:
    """Every reviewer's reviews as lists of likelihood x severity scores (withdrawn
    assignments left out): the panel whose mean the offsets are measured from."""
    history: dict[int, list[list[int]]] = {}
    rows = session.execute(select(Assignment.reviewer_id, Review.risk_scores)
                           .join(Review, Review.assignment_id == Assignment.id)
                           .where(Assignment.withdrawn_at.is_(None)))
    for reviewer_id, scores in rows:
        history.setdefault(reviewer_id, []).append(
            [s["likelihood"] * s["severity"] for s in scores])
    return history


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
