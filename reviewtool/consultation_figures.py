"""The figures of a consultation wave. Pure functions over plain values: no database, no Flask.

A wave's answers are counted with the review figures' own formulas (figures.py): concern_pct
(share saying the kind of project could be net negative), optimism_pct, the confidence-
weighted concern and the share flagging each risk category. On top of those:

- **Wilson 95% interval** of concern: with k of n answers net negative, p = k / n, z = 1.96,
  centre = (p + z²/2n) / (1 + z²/n), half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n);
  the interval is [centre - half, centre + half] in percent, rounded half-up to one decimal.
  Unlike p ± z·sqrt(p(1-p)/n) it never leaves [0, 100] and is not zero-width at 0% or 100%.
- **Segments**: answers grouped by the panellist's work group, technical or not, profession
  and seniority (as they described themselves when they answered). A segment is shown only
  with at least MIN_SEGMENT answers, so that nobody's answer can be read off a small group;
  `hidden` counts the segments left out. The **disagreement** of a dimension is the widest
  difference in concern between two of its shown segments.
- **Change** between two closed waves: `fell` when the later interval lies wholly below the
  earlier one, `rose` when wholly above, else `within_noise`. Overlapping intervals is a
  stricter test than a two-proportion z-test at 5%; the z-test's two-sided p-value (pooled
  proportion) is given beside it, for the reader who wants it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import erfc, sqrt
from typing import Any

from reviewtool.figures import (
    ReviewFacts,
    category_concern,
    concern_pct,
    optimism_pct,
    weighted_concern_pct,
)

Z95 = 1.96
MIN_SEGMENT = 5
DIMENSIONS = ("work_group", "technical", "profession", "seniority")


def _one_decimal(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def wilson(k: int, n: int, z: float = Z95) -> list[float] | None:
    """The Wilson score interval of k successes in n, in percent; None when n is 0."""
    if n <= 0:
        return None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return [_one_decimal(max(0.0, centre - half) * 100),
            _one_decimal(min(1.0, centre + half) * 100)]


def two_proportion_p(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test, to three decimals."""
    if not n1 or not n2:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    spread = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return 1.0
    z = (k1 / n1 - k2 / n2) / spread
    return float(Decimal(repr(erfc(abs(z) / sqrt(2)))).quantize(Decimal("0.001"),
                                                                 rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class AnswerFacts:
    """What the figures need from one answer: the review's questions and the segment."""

    net_negative: bool
    stance: str
    confidence: int
    concern_categories: frozenset[str]
    work_group: str
    technical: bool
    profession: str | None
    seniority: str

    def as_review(self) -> ReviewFacts:
        return ReviewFacts(net_negative=self.net_negative, stance=self.stance,
                           confidence=self.confidence,
                           concern_categories=self.concern_categories)

    def segment(self, dimension: str) -> str | None:
        value = getattr(self, dimension)
        if dimension == "technical":
            return "technical" if value else "non_technical"
        return value


def segments(answers: Sequence[AnswerFacts]) -> dict[str, Any]:
    """Per dimension, the segments with at least MIN_SEGMENT answers, how many were hidden,
    and the widest concern difference between two shown segments."""
    out: dict[str, Any] = {}
    for dimension in DIMENSIONS:
        groups: dict[str, list[AnswerFacts]] = {}
        for answer in answers:
            key = answer.segment(dimension)
            if key is not None:
                groups.setdefault(key, []).append(answer)
        shown = []
        for key in sorted(groups):
            group = groups[key]
            if len(group) < MIN_SEGMENT:
                continue
            reviews = [a.as_review() for a in group]
            shown.append({"key": key, "answered": len(group),
                          "concern_pct": concern_pct(reviews),
                          "concern_interval": wilson(sum(a.net_negative for a in group),
                                                     len(group)),
                          "optimism_pct": optimism_pct(reviews)})
        concerns = [s["concern_pct"] for s in shown]
        out[dimension] = {"segments": shown, "hidden": len(groups) - len(shown),
                          "disagreement_pct": (_one_decimal(max(concerns) - min(concerns))
                                               if len(concerns) >= 2 else None)}
    return out


def wave_figures(answers: Sequence[AnswerFacts], categories: Iterable[str],
                 invited: int) -> dict[str, Any]:
    """Every figure of one wave, as frozen when it closes."""
    reviews = [a.as_review() for a in answers]
    net_negative = sum(a.net_negative for a in answers)
    return {"invited": invited, "answered": len(answers), "net_negative": net_negative,
            "concern_pct": concern_pct(reviews),
            "concern_interval": wilson(net_negative, len(answers)),
            "optimism_pct": optimism_pct(reviews),
            "weighted_concern_pct": weighted_concern_pct(reviews),
            "categories": category_concern(reviews, categories),
            "segments": segments(answers)}


def change(earlier: dict[str, Any] | None, later: dict[str, Any] | None) -> dict[str, Any] | None:
    """How concern moved from one closed wave's figures to the next's (None without both)."""
    if not earlier or not later or not earlier["answered"] or not later["answered"]:
        return None
    (low1, high1), (low2, high2) = earlier["concern_interval"], later["concern_interval"]
    verdict = "fell" if high2 < low1 else "rose" if low2 > high1 else "within_noise"
    return {"verdict": verdict, "from_pct": earlier["concern_pct"],
            "to_pct": later["concern_pct"],
            "p_value": two_proportion_p(earlier["net_negative"], earlier["answered"],
                                        later["net_negative"], later["answered"])}


def in_words(found: dict[str, Any] | None, earlier: int, later: int) -> str:
    """The change between waves `earlier` and `later`, said in plain words."""
    if found is None:
        return "Two closed waves with answers are needed to compare."
    head = (f"From wave {earlier} to wave {later}, the share who think this kind of project "
            f"could be net negative went from {found['from_pct']}% to {found['to_pct']}%")
    if found["verdict"] == "fell":
        return (f"{head}: concern fell. The 95% intervals do not overlap, so the drop is "
                "larger than sampling noise.")
    if found["verdict"] == "rose":
        return (f"{head}: concern rose. The 95% intervals do not overlap, so the rise is "
                "larger than sampling noise.")
    return (f"{head}. The 95% intervals overlap, so the change is within the noise: a "
            "larger wave would be needed to tell.")
