"""The consultation figures against hand computations (written out in each test)."""

from __future__ import annotations

from math import sqrt

from hypothesis import given
from hypothesis import strategies as st

from reviewtool.consultation_figures import (
    AnswerFacts,
    change,
    in_words,
    segments,
    two_proportion_p,
    wave_figures,
    wilson,
)


def answer(net_negative=False, stance="neutral", confidence=3, categories=(),
           work_group="technical", technical=True, profession="research",
           seniority="senior") -> AnswerFacts:
    return AnswerFacts(net_negative, stance, confidence, frozenset(categories), work_group,
                       technical, profession, seniority)


def test_wilson_12_of_40_matches_hand_computation():
    # p = 0.3, z² = 3.8416, z²/n = 0.09604; centre = (0.3 + 0.04802) / 1.09604 = 0.317525;
    # half = 1.96 · sqrt(0.21/40 + 3.8416/6400) / 1.09604 = 1.96 · 0.0764869 / 1.09604
    #      = 0.136779; so [0.180746, 0.454304] -> 18.1%, 45.4%.
    assert wilson(12, 40) == [18.1, 45.4]


def test_wilson_4_of_40_matches_hand_computation():
    # p = 0.1; centre = (0.1 + 0.04802) / 1.09604 = 0.135050;
    # half = 1.96 · sqrt(0.09/40 + 0.00060025) / 1.09604 = 1.96 · 0.0533877 / 1.09604
    #      = 0.095470; so [0.039580, 0.230520] -> 4.0%, 23.1%.
    assert wilson(4, 40) == [4.0, 23.1]


def test_wilson_20_of_40_and_0_of_40_match_hand_computation():
    # 20/40: centre 0.5; half = 1.96 · sqrt(0.25/40 + 0.00060025) / 1.09604 = 0.148006
    # -> [35.2, 64.8]. 0/40: centre = 0.04802 / 1.09604 = 0.043812, half the same -> [0, 8.8].
    assert wilson(20, 40) == [35.2, 64.8]
    assert wilson(0, 40) == [0.0, 8.8]


def test_wilson_no_answers_is_none():
    assert wilson(0, 0) is None


@given(st.integers(min_value=1, max_value=500).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_wilson_any_count_stays_within_0_100_and_contains_the_share(kn):
    k, n = kn
    low, high = wilson(k, n)
    assert 0 <= low <= round(100 * k / n, 1) + 0.05
    assert round(100 * k / n, 1) - 0.05 <= high <= 100


def test_two_proportion_p_12_of_40_against_4_of_40_matches_hand_computation():
    # pooled = 16/80 = 0.2; se = sqrt(0.2 · 0.8 · (1/40 + 1/40)) = sqrt(0.008) = 0.0894427;
    # z = 0.2 / 0.0894427 = 2.23607; two-sided p = erfc(2.23607 / sqrt 2) = 0.02535 -> 0.025.
    assert round(0.2 / sqrt(0.008), 5) == 2.23607
    assert two_proportion_p(12, 40, 4, 40) == 0.025


def test_wave_figures_40_answers_30_percent_concern():
    answers = ([answer(net_negative=True, stance="pessimistic", confidence=4,
                       categories=("reputation",))] * 12
               + [answer(stance="optimistic", confidence=2)] * 10
               + [answer()] * 18)
    figures = wave_figures(answers, ["reputation", "field_capture"], invited=40)
    # weighted: 12 · 4 = 48 of 48 + 10 · 2 + 18 · 3 = 122 -> 39.3%; optimism 10/40 = 25%.
    assert (figures["answered"], figures["net_negative"], figures["concern_pct"],
            figures["concern_interval"], figures["optimism_pct"],
            figures["weighted_concern_pct"]) == (40, 12, 30.0, [18.1, 45.4], 25.0, 39.3)
    assert figures["categories"] == [{"category": "reputation", "concern_pct": 30.0},
                                     {"category": "field_capture", "concern_pct": 0.0}]


def test_segments_with_fewer_than_5_answers_are_hidden():
    answers = ([answer(work_group="technical", net_negative=True, stance="pessimistic")] * 2
               + [answer(work_group="technical")] * 4
               + [answer(work_group="governance", technical=False)] * 4)
    found = segments(answers)
    # technical: 6 answers, 2 net negative -> 33.3% shown; governance: 4 answers -> hidden.
    assert [(s["key"], s["answered"], s["concern_pct"])
            for s in found["work_group"]["segments"]] == [("technical", 6, 33.3)]
    assert found["work_group"]["hidden"] == 1
    assert found["work_group"]["disagreement_pct"] is None  # one segment shown: no pair
    assert found["technical"]["segments"][0]["key"] == "technical"
    assert found["technical"]["hidden"] == 1  # the 4 non-technical


def test_segments_disagreement_is_the_widest_gap_between_shown_segments():
    answers = ([answer(seniority="senior", net_negative=True, stance="pessimistic")] * 3
               + [answer(seniority="senior")] * 2
               + [answer(seniority="early_career")] * 5)
    found = segments(answers)["seniority"]
    # senior 3/5 = 60%, early career 0/5 = 0%: disagreement 60 points.
    assert [(s["key"], s["concern_pct"]) for s in found["segments"]] == [
        ("early_career", 0.0), ("senior", 60.0)]
    assert found["disagreement_pct"] == 60.0


def _wave(k, n):
    return {"answered": n, "net_negative": k, "concern_pct": round(100 * k / n, 1),
            "concern_interval": wilson(k, n)}


def test_change_30_to_10_percent_of_40_overlaps_and_is_within_noise():
    # [18.1, 45.4] and [4.0, 23.1] overlap (23.1 >= 18.1).
    found = change(_wave(12, 40), _wave(4, 40))
    assert (found["verdict"], found["p_value"]) == ("within_noise", 0.025)
    words = in_words(found, 1, 2)
    assert "within the noise" in words and "concern fell" not in words


def test_change_50_to_10_percent_of_40_does_not_overlap_and_fell():
    # [35.2, 64.8] and [4.0, 23.1]: 23.1 < 35.2.
    found = change(_wave(20, 40), _wave(4, 40))
    assert found["verdict"] == "fell"
    assert "concern fell" in in_words(found, 1, 2)


def test_change_10_to_50_percent_rose():
    assert change(_wave(4, 40), _wave(20, 40))["verdict"] == "rose"


def test_change_without_two_waves_is_none():
    assert change(None, _wave(4, 40)) is None
    assert in_words(None, 1, 2) == "Two closed waves with answers are needed to compare."
