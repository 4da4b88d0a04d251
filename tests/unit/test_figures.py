"""The round figures (reviewtool/figures.py): exact values, then properties with hypothesis."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewtool import figures
from reviewtool.figures import ReviewFacts

CATEGORIES = ["reputational_harm", "capabilities", "displacement", "low_fidelity"]
PERCENTAGES = (figures.concern_pct, figures.weighted_concern_pct, figures.optimism_pct)


def facts(net_negative=False, stance="neutral", confidence=3, categories=(), scores=None):
    return ReviewFacts(net_negative=net_negative, stance=stance, confidence=confidence,
                       concern_categories=frozenset(categories), risk_scores=scores or {})


# The "Done when": net negative yes, no, yes; stances optimistic, optimistic, neutral.
DONE_WHEN = [facts(True, "optimistic", 5, ["capabilities", "displacement"]),
             facts(False, "optimistic", 1, ["capabilities"]),
             facts(True, "neutral", 2)]


# --- exact values ----------------------------------------------------------------------------

def test_concern_pct_two_of_three_net_negative_is_66_7():
    assert figures.concern_pct(DONE_WHEN) == 66.7


def test_optimism_pct_two_of_three_optimistic_is_66_7():
    assert figures.optimism_pct(DONE_WHEN) == 66.7


def test_category_concern_per_category_in_the_order_given():
    assert figures.category_concern(DONE_WHEN, CATEGORIES) == [
        {"category": "reputational_harm", "concern_pct": 0.0},
        {"category": "capabilities", "concern_pct": 66.7},
        {"category": "displacement", "concern_pct": 33.3},
        {"category": "low_fidelity", "concern_pct": 0.0},
    ]


def test_weighted_concern_pct_sums_confidences_of_net_negative_reviews():
    # (5 + 2) / (5 + 1 + 2) = 87.5 %, where the unweighted share is 66.7 %.
    assert figures.weighted_concern_pct(DONE_WHEN) == 87.5


def test_weighted_concern_pct_low_confidence_alarm_counts_little():
    reviews = [facts(True, confidence=1), facts(False, confidence=5), facts(False, confidence=2)]
    assert figures.concern_pct(reviews) == 33.3
    assert figures.weighted_concern_pct(reviews) == 12.5


def test_round_figures_of_the_done_when_reviews():
    assert figures.round_figures(DONE_WHEN, ["capabilities", "displacement"]) == {
        "n_reviews": 3, "concern_pct": 66.7, "optimism_pct": 66.7,
        "weighted_concern_pct": 87.5,
        "categories": [{"category": "capabilities", "concern_pct": 66.7},
                       {"category": "displacement", "concern_pct": 33.3}],
        "disagreement": []}


def test_figures_with_no_reviews_are_none():
    assert figures.concern_pct([]) is None
    assert figures.weighted_concern_pct([]) is None
    assert figures.optimism_pct([]) is None
    assert figures.category_concern([], ["capabilities"]) == [
        {"category": "capabilities", "concern_pct": None}]
    assert figures.round_figures([], ["capabilities"]) == {
        "n_reviews": 0, "concern_pct": None, "optimism_pct": None,
        "weighted_concern_pct": None,
        "categories": [{"category": "capabilities", "concern_pct": None}],
        "disagreement": []}


def test_figures_of_reviews_that_all_flag_are_100_and_none_flag_are_0():
    flagging = [facts(True, "optimistic", c, ["capabilities"]) for c in (1, 4)]
    calm = [facts(False, "pessimistic", c) for c in (2, 5)]
    assert (figures.concern_pct(flagging), figures.weighted_concern_pct(flagging),
            figures.optimism_pct(flagging)) == (100.0, 100.0, 100.0)
    assert (figures.concern_pct(calm), figures.weighted_concern_pct(calm),
            figures.optimism_pct(calm)) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 8, 12.5), (1, 6, 16.7), (1, 3, 33.3), (2, 3, 66.7), (5, 6, 83.3),
    (1, 16, 6.3),    # 6.25: half-up, where round() would give 6.2
    (3, 16, 18.8),   # 18.75
    (1, 40, 2.5), (1, 80, 1.3),  # 1.25
    (1, 7, 14.3), (0, 5, 0.0), (5, 5, 100.0),
])
def test_percent_rounds_half_up_to_one_decimal(part, whole, expected):
    assert figures.percent(part, whole) == expected


def test_percent_of_zero_whole_is_none():
    assert figures.percent(0, 0) is None


def test_weighted_concern_pct_rounds_half_up():
    # 1 / (1 + 5 + 5 + 5) = 6.25 %
    reviews = [facts(True, confidence=1), *[facts(False, confidence=5)] * 3]
    assert figures.weighted_concern_pct(reviews) == 6.3


# --- disagreement ----------------------------------------------------------------------------

def test_disagreement_lists_widest_spread_first():
    reviews = [facts(scores={1: (2, 2), 2: (1, 1), 3: (4, 4)}),
               facts(scores={1: (3, 3), 2: (5, 5)}),
               facts(scores={1: (2, 3), 2: (1, 2)})]
    assert figures.disagreement(reviews) == [
        {"risk_id": 2, "scores": [1, 2, 25], "n": 3, "spread": 24, "stdev": 11.09},
        {"risk_id": 1, "scores": [4, 6, 9], "n": 3, "spread": 5, "stdev": 2.05},
    ]  # risk 3 has one score only: nothing to disagree about


def test_disagreement_equal_spread_larger_stdev_first():
    # Spread 8 each; [1, 9, 9] deviates more (3.77) than [1, 5, 9] (3.27).
    reviews = [facts(scores={10: (1, 1), 20: (1, 1)}),
               facts(scores={10: (1, 5), 20: (3, 3)}),
               facts(scores={10: (3, 3), 20: (3, 3)})]
    assert figures.disagreement(reviews) == [
        {"risk_id": 20, "scores": [1, 9, 9], "n": 3, "spread": 8, "stdev": 3.77},
        {"risk_id": 10, "scores": [1, 5, 9], "n": 3, "spread": 8, "stdev": 3.27},
    ]


def test_disagreement_full_tie_orders_by_risk_id():
    reviews = [facts(scores={7: (1, 1), 3: (2, 2)}), facts(scores={7: (2, 2), 3: (1, 1)})]
    assert [row["risk_id"] for row in figures.disagreement(reviews)] == [3, 7]


def test_disagreement_agreement_has_zero_spread_and_stdev():
    reviews = [facts(scores={1: (2, 3)}), facts(scores={1: (3, 2)})]
    assert figures.disagreement(reviews) == [
        {"risk_id": 1, "scores": [6, 6], "n": 2, "spread": 0, "stdev": 0.0}]


def test_disagreement_without_scores_is_empty():
    assert figures.disagreement([facts(), facts()]) == []
    assert figures.disagreement([]) == []


# --- properties ------------------------------------------------------------------------------

scale = st.integers(min_value=1, max_value=5)
review_facts = st.builds(
    ReviewFacts,
    net_negative=st.booleans(),
    stance=st.sampled_from(["optimistic", "neutral", "pessimistic"]),
    confidence=scale,
    concern_categories=st.frozensets(st.sampled_from(CATEGORIES)),
    risk_scores=st.dictionaries(st.integers(min_value=1, max_value=6), st.tuples(scale, scale),
                                max_size=4),
)
review_lists = st.lists(review_facts, max_size=15)


def one_decimal_within_0_and_100(value) -> bool:
    return (isinstance(value, float) and 0.0 <= value <= 100.0
            and Decimal(str(value)).as_tuple().exponent >= -1)


@settings(deadline=None)  # pure and fast, but a loaded CI machine must not fail it
@given(review_lists)
def test_every_percentage_is_none_iff_no_reviews_else_one_decimal_in_range(reviews):
    values = [f(reviews) for f in PERCENTAGES]
    values += [row["concern_pct"] for row in figures.category_concern(reviews, CATEGORIES)]
    for value in values:
        if reviews:
            assert one_decimal_within_0_and_100(value), value
        else:
            assert value is None


@settings(deadline=None)
@given(st.lists(review_facts, min_size=1, max_size=15))
def test_concern_pct_of_reviews_that_all_flag_is_100(reviews):
    flagging = [ReviewFacts(True, r.stance, r.confidence, r.concern_categories | {"capabilities"},
                            r.risk_scores) for r in reviews]
    assert figures.concern_pct(flagging) == 100.0
    assert figures.weighted_concern_pct(flagging) == 100.0
    assert figures.category_concern(flagging, ["capabilities"]) == [
        {"category": "capabilities", "concern_pct": 100.0}]


@settings(deadline=None)
@given(st.data())
def test_permuting_reviews_changes_no_figure(data):
    reviews = data.draw(review_lists)
    shuffled = data.draw(st.permutations(reviews))
    assert figures.round_figures(shuffled, CATEGORIES) == figures.round_figures(reviews,
                                                                               CATEGORIES)


@settings(deadline=None)
@given(review_lists, scale)
def test_weighted_concern_equals_concern_when_confidences_are_equal(reviews, confidence):
    same = [ReviewFacts(r.net_negative, r.stance, confidence, r.concern_categories,
                        r.risk_scores) for r in reviews]
    assert figures.weighted_concern_pct(same) == figures.concern_pct(same)


@settings(deadline=None)
@given(review_lists)
def test_disagreement_spread_nonnegative_stdev_at_most_spread_widest_first(reviews):
    rows = figures.disagreement(reviews)
    for row in rows:
        assert row["n"] == len(row["scores"]) >= 2
        assert row["spread"] == max(row["scores"]) - min(row["scores"]) >= 0
        assert 0 <= row["stdev"] <= row["spread"]
    keys = [(-row["spread"], -row["stdev"], row["risk_id"]) for row in rows]
    assert keys == sorted(keys)


@settings(deadline=None)
@given(review_lists)
def test_round_figures_counts_every_review(reviews):
    result = figures.round_figures(reviews, CATEGORIES)
    assert result["n_reviews"] == len(reviews)
    assert [row["category"] for row in result["categories"]] == CATEGORIES
