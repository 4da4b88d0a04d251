"""The figures of a review round. Pure functions over plain values: no database, no Flask.

Formulas (CONTRACT.md, "Figures"), over the *submitted* reviews of one round:
- concern_pct          = 100 x (reviews saying "could be net negative") / (reviews)
- category concern_pct = 100 x (reviews flagging that category) / (reviews)
- weighted_concern_pct = 100 x sum(confidence of net-negative reviews) / sum(confidence)
- optimism_pct         = 100 x (reviews with stance "optimistic") / (reviews)
Each is rounded half-up to one decimal, and None when the round has no reviews.
- disagreement per risk: the reviewers' scores (likelihood x severity) for that risk; its
  spread is max - min and its population standard deviation. Risks are listed widest spread
  first, so the largest differences get discussed instead of averaged away."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import pstdev
from typing import Any


@dataclass(frozen=True)
class ReviewFacts:
    """What the figures need from one submitted review."""

    net_negative: bool
    stance: str
    confidence: int
    concern_categories: frozenset[str] = frozenset()
    # risk id -> (likelihood, severity) as this reviewer scores it
    risk_scores: dict[int, tuple[int, int]] = field(default_factory=dict)


def percent(part: float, whole: float) -> float | None:
    """100 x part / whole, rounded half-up to one decimal; None when whole is 0."""
    if not whole:
        return None
    value = Decimal(str(part)) * 100 / Decimal(str(whole))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def concern_pct(reviews: Sequence[ReviewFacts]) -> float | None:
    """Share of reviews saying the project could be net negative."""
    return percent(sum(r.net_negative for r in reviews), len(reviews))


def weighted_concern_pct(reviews: Sequence[ReviewFacts]) -> float | None:
    """Concern weighted by each reviewer's confidence (1-5)."""
    return percent(sum(r.confidence for r in reviews if r.net_negative),
                   sum(r.confidence for r in reviews))


def optimism_pct(reviews: Sequence[ReviewFacts]) -> float | None:
    """Share of reviews whose stance is optimistic."""
    return percent(sum(r.stance == "optimistic" for r in reviews), len(reviews))


def category_concern(reviews: Sequence[ReviewFacts],
                     categories: Iterable[str]) -> list[dict[str, Any]]:
    """For each category (in the order given), the share of reviews flagging it."""
    return [{"category": key,
             "concern_pct": percent(sum(key in r.concern_categories for r in reviews),
                                    len(reviews))}
            for key in categories]


def disagreement(reviews: Sequence[ReviewFacts]) -> list[dict[str, Any]]:
    """Per risk scored by two or more reviewers: scores, spread and deviation, widest first."""
    scores: dict[int, list[int]] = {}
    for review in reviews:
        for risk_id, (likelihood, severity) in review.risk_scores.items():
            scores.setdefault(risk_id, []).append(likelihood * severity)
    rows = [{"risk_id": risk_id, "scores": sorted(values), "n": len(values),
             "spread": max(values) - min(values),
             "stdev": float(Decimal(str(pstdev(values))).quantize(
                 Decimal("0.01"), rounding=ROUND_HALF_UP))}
            for risk_id, values in scores.items() if len(values) >= 2]
    return sorted(rows, key=lambda r: (-r["spread"], -r["stdev"], r["risk_id"]))


def round_figures(reviews: Sequence[ReviewFacts], categories: Iterable[str]) -> dict[str, Any]:
    """Every figure of one round, as stored when the round closes."""
    return {"n_reviews": len(reviews), "concern_pct": concern_pct(reviews),
            "optimism_pct": optimism_pct(reviews),
            "weighted_concern_pct": weighted_concern_pct(reviews),
            "categories": category_concern(reviews, categories),
            "disagreement": disagreement(reviews)}


def criterion_met(comparator: str, target: float, value: float) -> bool:
    """Whether `value comparator target` holds ('>=', '<=' or '=', with float tolerance)."""
    if comparator == ">=":
        return value >= target
    if comparator == "<=":
        return value <= target
    return abs(value - target) <= 1e-9 * max(1.0, abs(target))


def verdict(comparator: str, target: float, values_oldest_first: Sequence[float]) -> str:
    """A criterion's verdict from its observations: the latest one decides (met / not_met);
    'pending' before the first observation. For a kill criterion 'met' means breached."""
    if not values_oldest_first:
        return "pending"
    return "met" if criterion_met(comparator, target, values_oldest_first[-1]) else "not_met"


def pilot_tally(verdicts: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Counts over (kind, verdict) pairs of a pilot's criteria: success criteria met of all,
    kill criteria breached (a kill criterion's 'met') of all, and those not measured yet."""
    pairs = list(verdicts)
    return {"success_met": sum(k == "success" and v == "met" for k, v in pairs),
            "success_total": sum(k == "success" for k, v in pairs),
            "kill_breached": sum(k == "kill" and v == "met" for k, v in pairs),
            "kill_total": sum(k == "kill" for k, v in pairs),
            "pending": sum(v == "pending" for _, v in pairs)}
