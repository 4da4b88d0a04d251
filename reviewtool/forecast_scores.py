"""Scoring forecasts and normalising reviewers' risk scores. Pure functions over plain values.

Formulas (docs/FIGURES.md, "Forecasts" and "Normalised risk scores"):
- A forecast is a probability p in whole percent (1-99) that an event happens (a success
  criterion met, a kill criterion breached, a project meeting its target outcome); o is 1 when
  it happened and 0 when not. Its Brier score is (p/100 - o)^2: 0 is perfect, 0.25 is what
  always saying 50 % earns, 1 is certain and wrong.
- A person's score is the mean Brier score of their scored forecasts, with its standard error
  (sample standard deviation / sqrt(n)) as the uncertainty.
- The aggregate forecast of a question is the mean, and the median, of everyone's p; it is
  scored like a single forecast.
- Calibration: forecasts fall into ten bins by p (1-9, 10-19, ..., 90-99 %); per bin, the
  count, the mean forecast and the observed frequency (events that happened / forecasts) with
  its 95 % Wilson interval. Shown from MIN_SCORED scored forecasts on.
- Normalised risk score: see `normalised_risk_scores`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median, stdev

MIN_SCORED = 5          # a calibration chart needs at least this many scored forecasts
MIN_REVIEWS_FOR_OFFSET = 10  # a reviewer's offset counts from this many scored reviews on
BINS = 10
Z95 = 1.96


def round_half_up(value: float, places: int) -> float:
    """value rounded half-up (as written in decimal) to `places` decimals."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def brier(probability_pct: float, happened: bool) -> float:
    """(p/100 - o)^2 for a forecast of p percent; exact for whole percentages."""
    diff = Decimal(str(probability_pct)) / 100 - (1 if happened else 0)
    return float(diff * diff)


def aggregate(probabilities: Sequence[float]) -> dict[str, float | None]:
    """The mean and the median of everyone's forecast of one question (percent)."""
    if not probabilities:
        return {"mean": None, "median": None}
    return {"mean": round_half_up(sum(probabilities) / len(probabilities), 2),
            "median": float(median(probabilities))}


def summary(briers: Sequence[float]) -> dict[str, float | int | None]:
    """n, mean Brier score (4 decimals) and its standard error (None below two forecasts)."""
    n = len(briers)
    if not n:
        return {"n": 0, "mean_brier": None, "stderr": None}
    error = round_half_up(stdev(briers) / math.sqrt(n), 4) if n >= 2 else None
    return {"n": n, "mean_brier": round_half_up(sum(briers) / n, 4), "stderr": error}


def wilson(hits: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of hits/n, in percent (one decimal)."""
    p = hits / n
    centre = p + Z95 ** 2 / (2 * n)
    margin = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n))
    scale = 1 + Z95 ** 2 / n
    return (round_half_up(100 * max(0.0, (centre - margin) / scale), 1),
            round_half_up(100 * min(1.0, (centre + margin) / scale), 1))


def bin_of(probability_pct: float) -> int:
    """The bin index (0-9) of a forecast: 1-9 % is bin 0, 10-19 % bin 1, ..., 90-99 % bin 9."""
    return min(BINS - 1, max(0, int(probability_pct // 10)))


def calibration(forecasts: Iterable[tuple[float, bool]]) -> list[dict[str, object]]:
    """Per bin of (probability percent, happened) pairs: bounds, count, mean forecast and
    observed frequency in percent with its 95 % interval (None for an empty bin)."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
    for probability, happened in forecasts:
        bins[bin_of(probability)].append((probability, happened))
    rows = []
    for index, members in enumerate(bins):
        n, hits = len(members), sum(h for _, h in members)
        total = sum(p for p, _ in members)
        low, high = wilson(hits, n) if n else (None, None)
        rows.append({"bin": index, "lower": max(1, 10 * index), "upper": 10 * index + 9,
                     "n": n, "happened": hits,
                     "mean_forecast": round_half_up(total / n, 1) if n else None,
                     "observed_pct": round_half_up(100 * hits / n, 1) if n else None,
                     "observed_low": low, "observed_high": high})
    return rows


@dataclass(frozen=True)
class ScoreTotals:
    """One reviewer's scores in sum: `total` of their likelihood x severity scores, `count` of
    scores, and `scored_reviews`, how many of their reviews scored at least one risk."""

    total: int
    count: int
    scored_reviews: int


def reviewer_offsets(history: Mapping[int, Sequence[Sequence[int]]]) -> dict[int, float]:
    """Each reviewer's offset from the panel: history maps a reviewer to their reviews, each
    the list of likelihood x severity scores it gave (see `offsets_from_totals`)."""
    totals = {reviewer: ScoreTotals(sum(sum(r) for r in reviews), sum(len(r) for r in reviews),
                                    sum(1 for r in reviews if r))
              for reviewer, reviews in history.items()}
    return offsets_from_totals(totals, ScoreTotals(sum(t.total for t in totals.values()),
                                                   sum(t.count for t in totals.values()), 0))


def offsets_from_totals(reviewers: Mapping[int, ScoreTotals],
                        panel: ScoreTotals) -> dict[int, float]:
    """The offsets of `reviewers` from the panel, whose mean M is the mean of every score of
    every reviewer (panel.total / panel.count); a reviewer with MIN_REVIEWS_FOR_OFFSET or more
    reviews that scored a risk has offset (mean of their scores) - M; anyone with fewer has
    offset 0 (too little to tell harshness from the projects they happened to review)."""
    if not panel.count:
        return {}
    mean = panel.total / panel.count
    return {reviewer: (t.total / t.count - mean
                       if t.scored_reviews >= MIN_REVIEWS_FOR_OFFSET else 0.0)
            for reviewer, t in reviewers.items()}


def normalised_risk_scores(scores: Mapping[int, Mapping[int, int]],
                           offsets: Mapping[int, float]) -> dict[int, dict[str, float | int]]:
    """Per risk: n, the raw mean of the reviewers' scores and the normalised mean, the mean of
    (score - that reviewer's offset), both rounded half-up to one decimal. `scores` maps a risk
    to {reviewer: likelihood x severity}."""
    result = {}
    for risk_id, by_reviewer in scores.items():
        if not by_reviewer:
            continue
        raw = [float(s) for s in by_reviewer.values()]
        adjusted = [s - offsets.get(r, 0.0) for r, s in by_reviewer.items()]
        result[risk_id] = {"n": len(raw), "raw_mean": round_half_up(sum(raw) / len(raw), 1),
                           "normalised_mean": round_half_up(sum(adjusted) / len(adjusted), 1)}
    return result
