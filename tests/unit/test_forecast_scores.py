"""Brier scores, aggregates, calibration bins and normalised risk scores, each against a hand
computation written beside it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reviewtool import forecast_scores as fs


def test_brier_of_whole_percentages_is_exact():
    assert fs.brier(70, True) == 0.09       # (0.70 - 1)^2
    assert fs.brier(70, False) == 0.49      # (0.70 - 0)^2
    assert fs.brier(1, False) == 0.0001     # (0.01)^2
    assert fs.brier(50, True) == 0.25


def test_aggregate_of_three_forecasts_is_mean_and_median():
    assert fs.aggregate([20, 50, 95]) == {"mean": 55.0, "median": 50.0}
    assert fs.aggregate([20, 50]) == {"mean": 35.0, "median": 35.0}
    assert fs.aggregate([]) == {"mean": None, "median": None}


def test_summary_of_three_briers_gives_mean_and_standard_error():
    # mean (0.09 + 0.49 + 0.01) / 3 = 0.196667; sample sd: deviations -0.106667, 0.293333,
    # -0.186667; squares 0.011378 + 0.086044 + 0.034844 = 0.132267; / 2 = 0.066133;
    # sd 0.257164; / sqrt(3) = 0.148474
    assert fs.summary([0.09, 0.49, 0.01]) == {"n": 3, "mean_brier": 0.1967, "stderr": 0.1485}
    assert fs.summary([0.09]) == {"n": 1, "mean_brier": 0.09, "stderr": None}
    assert fs.summary([]) == {"n": 0, "mean_brier": None, "stderr": None}


def test_bin_of_edges_fall_in_the_bin_they_open():
    assert [fs.bin_of(p) for p in (1, 9, 10, 19, 50, 89, 90, 99)] == [0, 0, 1, 1, 5, 8, 9, 9]


def test_calibration_of_twelve_forecasts_counts_each_bin():
    forecasts = [(5, False), (8, False), (15, True), (30, False), (35, True), (35, False),
                 (60, True), (65, True), (70, False), (90, True), (95, True), (99, True)]
    bins = fs.calibration(forecasts)
    assert [b["n"] for b in bins] == [2, 1, 0, 3, 0, 0, 2, 1, 0, 3]
    assert sum(b["n"] for b in bins) == 12
    assert bins[3]["happened"] == 1 and bins[3]["observed_pct"] == 33.3   # 1 of 3
    assert bins[3]["mean_forecast"] == 33.3                               # (30+35+35)/3
    assert bins[9]["observed_pct"] == 100.0 and bins[9]["mean_forecast"] == 94.7  # 284/3
    assert bins[2]["observed_pct"] is None and bins[2]["observed_low"] is None
    assert (bins[0]["lower"], bins[0]["upper"], bins[9]["lower"], bins[9]["upper"]) == (
        1, 9, 90, 99)


def test_wilson_interval_of_one_in_three():
    # p = 1/3, z = 1.96, n = 3: centre = 0.3333 + 3.8416/6 = 0.97360; margin = 1.96 x
    # sqrt(0.2222/3 + 3.8416/36) = 1.96 x sqrt(0.074074 + 0.106711) = 1.96 x 0.425188 =
    # 0.833368; scale = 1 + 3.8416/3 = 2.28053; (0.97360 - 0.83337) / 2.28053 = 0.06149,
    # (0.97360 + 0.83337) / 2.28053 = 0.79234
    assert fs.wilson(1, 3) == (6.1, 79.2)


def _reviews(score: int, count: int) -> list[list[int]]:
    return [[score, score] for _ in range(count)]


def test_normalised_scores_remove_a_harsh_and_a_lenient_reviewer_offset():
    # Harsh H: 10 reviews scoring 16 twice each; lenient L: 10 reviews scoring 4; middle M:
    # 10 reviews scoring 10; newcomer N: 3 reviews scoring 20 (too few for an offset).
    # Panel mean = (20 x 16 + 20 x 4 + 20 x 10 + 6 x 20) / 66 = (320 + 80 + 200 + 120) / 66
    # = 720 / 66 = 10.909091. Offsets: H 16 - 10.909091 = 5.090909; L 4 - 10.909091 =
    # -6.909091; M -0.909091; N 0.
    history = {1: _reviews(16, 10), 2: _reviews(4, 10), 3: _reviews(10, 10), 4: _reviews(20, 3)}
    offsets = fs.reviewer_offsets(history)
    assert round(offsets[1], 6) == 5.090909 and round(offsets[2], 6) == -6.909091
    assert round(offsets[3], 6) == -0.909091 and offsets[4] == 0.0
    # Risk 7: H 20, L 6, M 12 -> raw (20 + 6 + 12) / 3 = 12.667 -> 12.7; normalised
    # (20 - 5.090909 + 6 + 6.909091 + 12 + 0.909091) / 3 = 40.727273 / 3 = 13.575758 -> 13.6.
    # Risk 8: H 16 and N 20 -> raw 18.0; normalised (10.909091 + 20) / 2 = 15.454545 -> 15.5.
    scores = {7: {1: 20, 2: 6, 3: 12}, 8: {1: 16, 4: 20}}
    assert fs.normalised_risk_scores(scores, offsets) == {
        7: {"n": 3, "raw_mean": 12.7, "normalised_mean": 13.6},
        8: {"n": 2, "raw_mean": 18.0, "normalised_mean": 15.5}}


def test_reviewer_offsets_ignore_reviews_without_scores_when_counting():
    # 9 scored reviews and 3 without a score: fewer than 10 scored, so no offset.
    history = {1: [*_reviews(16, 9), [], [], []], 2: _reviews(4, 10)}
    assert fs.reviewer_offsets(history)[1] == 0.0


@given(st.lists(st.tuples(st.integers(1, 99), st.booleans()), max_size=60))
def test_calibration_counts_every_forecast_once(forecasts):
    bins = fs.calibration(forecasts)
    assert sum(b["n"] for b in bins) == len(forecasts)
    assert sum(b["happened"] for b in bins) == sum(h for _, h in forecasts)


@given(st.integers(1, 99), st.booleans())
def test_brier_is_between_zero_and_one(probability, happened):
    assert 0 < fs.brier(probability, happened) < 1
    assert fs.brier(probability, happened) == fs.brier(100 - probability, not happened)


@given(st.dictionaries(st.integers(1, 5), st.integers(1, 25), min_size=1))
def test_normalised_equals_raw_when_no_reviewer_has_an_offset(scores):
    result = fs.normalised_risk_scores({1: scores}, {r: 0.0 for r in scores})[1]
    assert result["raw_mean"] == result["normalised_mean"]


def test_offsets_from_totals_match_the_hand_computation():
    # The same panel as the harsh and lenient test above, in sums: H 20 scores totalling 320
    # over 10 scored reviews, L 80 over 20 scores, M 200, N 120 over 6 scores in 3 reviews.
    totals = {1: fs.ScoreTotals(320, 20, 10), 2: fs.ScoreTotals(80, 20, 10),
              3: fs.ScoreTotals(200, 20, 10), 4: fs.ScoreTotals(120, 6, 3)}
    offsets = fs.offsets_from_totals(totals, fs.ScoreTotals(720, 66, 0))
    assert {k: round(v, 6) for k, v in offsets.items()} == {
        1: 5.090909, 2: -6.909091, 3: -0.909091, 4: 0.0}


def test_offsets_from_totals_are_empty_when_no_reviewer_scored_anything():
    assert fs.offsets_from_totals({1: fs.ScoreTotals(0, 0, 0)}, fs.ScoreTotals(0, 0, 0)) == {}
