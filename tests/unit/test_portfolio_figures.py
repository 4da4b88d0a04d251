"""The portfolio's figures against hand computations on one small fixed data set (the
arithmetic is written out beside each expected value)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from reviewtool import pipeline_figures as pipe
from reviewtool import portfolio_figures as pf
from reviewtool.figures import percent

TYPES = [("training_course", "Training"), ("events", "Events"),
         ("communications", "Communications")]
GROUPS = [("strategy", "Strategy"), ("governance", "Governance"), ("technical", "Technical")]
OUTCOMES = [("contributors", "Contributors"), ("contributions", "Contributions"),
            ("coordination", "Coordination")]
P1 = pf.ProjectRound(1, "A", "events", ("strategy", "technical"), ("contributors",), 2, 4,
                     75.0, 25.0)  # 3 of 4 net negative, 1 of 4 optimistic
P2 = pf.ProjectRound(2, "B", "events", ("technical",), ("contributors", "coordination"), 1, 2,
                     0.0, 100.0)  # 0 of 2, 2 of 2
P3 = pf.ProjectRound(3, "C", "events", ("technical",), ("coordination",), 1, 3, 33.3, 33.3)
P4 = pf.ProjectRound(4, "D", "communications", ("strategy",), ("contributors",), 3, 5,
                     40.0, 60.0)  # 2 of 5, 3 of 5
PROJECTS = [P1, P2, P3, P4]


def row(key, label, projects, reviews, concern, optimism, mean_concern, mean_optimism):
    return {"key": key, "label": label, "projects": projects, "reviews": reviews,
            "optimism_pct": optimism, "concern_pct": concern,
            "mean_optimism_pct": mean_optimism, "mean_concern_pct": mean_concern,
            "too_few": projects < 3}


def test_by_type_pooled_and_mean_of_projects_differ_as_computed_by_hand():
    assert pf.group_figures(PROJECTS, TYPES, lambda p: [p.project_type]) == [
        # pooled 4/9 = 44.4 both; mean concern (75 + 0 + 33.3)/3 = 36.1,
        # mean optimism (25 + 100 + 33.3)/3 = 52.77 -> 52.8
        row("events", "Events", 3, 9, 44.4, 44.4, 36.1, 52.8),
        row("communications", "Communications", 1, 5, 40.0, 60.0, 40.0, 60.0)]


def test_by_work_group_counts_a_project_in_each_of_its_groups():
    assert pf.group_figures(PROJECTS, GROUPS, lambda p: p.work_groups) == [
        # strategy: P1 + P4, 9 reviews, 5 net negative (55.6), 4 optimistic (44.4);
        # means (75 + 40)/2 = 57.5 and (25 + 60)/2 = 42.5
        row("strategy", "Strategy", 2, 9, 55.6, 44.4, 57.5, 42.5),
        row("technical", "Technical", 3, 9, 44.4, 44.4, 36.1, 52.8)]


def test_by_outcome_hand_computation():
    assert pf.group_figures(PROJECTS, OUTCOMES, lambda p: p.outcomes) == [
        # contributors: P1 P2 P4, 11 reviews: 5/11 = 45.5, 6/11 = 54.5; means 38.3 and 61.7
        row("contributors", "Contributors", 3, 11, 45.5, 54.5, 38.3, 61.7),
        # coordination: P2 P3, 5 reviews: 1/5 = 20.0, 3/5 = 60.0; means 16.65 -> 16.7, 66.7
        row("coordination", "Coordination", 2, 5, 20.0, 60.0, 16.7, 66.7)]


def test_unknown_group_keys_follow_the_catalogue_labelled_by_themselves():
    odd = pf.ProjectRound(9, "Z", "retired_type", (), (), 1, 1, 100.0, 0.0)
    rows = pf.group_figures([P4, odd], TYPES, lambda p: [p.project_type])
    assert [(r["key"], r["label"]) for r in rows] == [
        ("communications", "Communications"), ("retired_type", "retired_type")]


@given(st.integers(min_value=1, max_value=999).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n))))
def test_count_back_recovers_every_count_below_a_thousand_reviews(pair):
    n, k = pair
    assert pf.count_back(percent(k, n), n) == k


TRAILS = [
    pf.RoundTrail(1, "A", "events", (75.0, 25.0), (), ("supervisory_team", "comms_review")),
    pf.RoundTrail(2, "B", "events", (0.0, 50.0), (), ("comms_review",)),
    pf.RoundTrail(3, "C", "events", (33.3,)),  # one round: not in "does revising help?"
    pf.RoundTrail(4, "D", "communications", (60.0, 40.0, 20.0), ("supervisory_team",),
                  ("supervisory_team", "staged_rollout")),
]
SAFEGUARDS = [("supervisory_team", "Supervisory team"), ("staged_rollout", "Staged roll-out"),
              ("comms_review", "Communications review")]


def test_revision_effect_first_against_last_round_with_safeguards_added():
    assert pf.revision_effect(TRAILS) == [
        {"project_id": 1, "title": "A", "project_type": "events", "rounds": 2,
         "first_concern_pct": 75.0, "last_concern_pct": 25.0, "change": -50.0, "fell": True,
         "safeguards_added": ["comms_review", "supervisory_team"]},
        {"project_id": 2, "title": "B", "project_type": "events", "rounds": 2,
         "first_concern_pct": 0.0, "last_concern_pct": 50.0, "change": 50.0, "fell": False,
         "safeguards_added": ["comms_review"]},
        {"project_id": 4, "title": "D", "project_type": "communications", "rounds": 3,
         "first_concern_pct": 60.0, "last_concern_pct": 20.0, "change": -40.0, "fell": True,
         "safeguards_added": ["staged_rollout"]}]  # it had a supervisory team from round 1


def test_revision_by_type_and_safeguard_effect():
    effects = pf.revision_effect(TRAILS)
    assert pf.revision_by_type(effects, TYPES) == [
        {"key": "events", "label": "Events", "projects": 2, "mean_first_concern_pct": 37.5,
         "mean_last_concern_pct": 37.5, "fell": 1, "too_few": True},
        {"key": "communications", "label": "Communications", "projects": 1,
         "mean_first_concern_pct": 60.0, "mean_last_concern_pct": 20.0, "fell": 1,
         "too_few": True}]
    assert pf.safeguard_effect(effects, SAFEGUARDS) == [
        {"key": "supervisory_team", "label": "Supervisory team", "projects": 1, "fell": 1,
         "share_pct": 100.0, "too_few": True},
        {"key": "staged_rollout", "label": "Staged roll-out", "projects": 1, "fell": 1,
         "share_pct": 100.0, "too_few": True},
        # added by A (fell) and B (rose): 1 of 2
        {"key": "comms_review", "label": "Communications review", "projects": 2, "fell": 1,
         "share_pct": 50.0, "too_few": True}]


CATEGORIES = [("reputational_harm", "Reputational"), ("capabilities", "Capabilities"),
              ("low_fidelity", "Low fidelity")]
REVIEWS = [
    pf.ReviewConcern(1, "events", True, frozenset({"capabilities", "reputational_harm"})),
    pf.ReviewConcern(1, "events", True, frozenset({"capabilities"})),
    pf.ReviewConcern(1, "events", True, frozenset()),
    pf.ReviewConcern(1, "events", False, frozenset({"capabilities"})),  # not net negative
    pf.ReviewConcern(4, "communications", True, frozenset({"reputational_harm"})),
    pf.ReviewConcern(4, "communications", True, frozenset({"low_fidelity",
                                                           "reputational_harm"})),
]


def test_recurring_concerns_share_of_net_negative_reviews():
    # five net-negative reviews: reputational 3 (60%), capabilities 2 (40%), low fidelity 1
    assert pf.recurring_concerns(REVIEWS, CATEGORIES) == [
        {"key": "reputational_harm", "label": "Reputational", "reviews": 3, "share_pct": 60.0},
        {"key": "capabilities", "label": "Capabilities", "reviews": 2, "share_pct": 40.0},
        {"key": "low_fidelity", "label": "Low fidelity", "reviews": 1, "share_pct": 20.0}]


def test_recurring_concerns_by_type():
    rows = pf.recurring_by_type(REVIEWS, CATEGORIES, TYPES)
    assert [(r["key"], r["projects"], r["net_negative_reviews"], r["too_few"],
             [c["share_pct"] for c in r["categories"]]) for r in rows] == [
        ("events", 1, 3, True, [33.3, 66.7, 0.0]),
        ("communications", 1, 2, True, [100.0, 0.0, 50.0])]


def test_widest_disagreement_risks_and_projects():
    latest = [(1, "A", [{"risk_id": 10, "scores": [1, 25], "n": 2, "spread": 24, "stdev": 12.0},
                        {"risk_id": 11, "scores": [4, 9], "n": 2, "spread": 5, "stdev": 2.5}]),
              (2, "B", [{"risk_id": 20, "scores": [1, 9, 25], "n": 3, "spread": 24,
                         "stdev": 9.98}]),
              (3, "C", [])]
    found = pf.widest_disagreement(latest, limit=2)
    assert [(c["project_id"], c["risk_id"], c["spread"]) for c in found["risks"]] == [
        (1, 10, 24), (2, 20, 24)]  # equal spreads: the larger deviation first
    assert found["projects"] == [
        {"project_id": 1, "title": "A", "widest_spread": 24, "risk_id": 10, "risks_scored": 2},
        {"project_id": 2, "title": "B", "widest_spread": 24, "risk_id": 20, "risks_scored": 1}]
    pf.name_risks(found["projects"], {10: ("capabilities", "Grads join labs")}, CATEGORIES)
    assert (found["projects"][0]["category_label"], found["projects"][0]["description"],
            found["projects"][1]["category"]) == ("Capabilities", "Grads join labs", "")


def test_type_context_median_of_the_others_or_too_few():
    assert pf.type_context(P3, [P1, P2, P3])["too_few"] is True  # two others only
    p5 = pf.ProjectRound(5, "E", "events", (), (), 1, 5, 20.0, 40.0)
    context = pf.type_context(P3, [P1, P2, P3, p5])
    # the others: concern 75, 0, 20 -> median 20; optimism 25, 100, 40 -> median 40
    assert context == {"round": 1, "n_reviews": 3, "concern_pct": 33.3, "optimism_pct": 33.3,
                       "peers": 3, "too_few": False, "median_concern_pct": 20.0,
                       "median_optimism_pct": 40.0}
    assert pf.type_context(None, [P1, P2, p5])["concern_pct"] is None


def test_pilots_by_type():
    pilots = [pipe.PilotFacts(1, "events", (("success", "met"), ("success", "not_met"),
                                            ("kill", "met")), True),
              pipe.PilotFacts(2, "events", (("success", "met"), ("kill", "not_met"),
                                            ("kill", "pending")), False),
              pipe.PilotFacts(3, "communications", (("success", "pending"),), False)]
    assert pipe.pilots_by_type(pilots, TYPES) == [
        {"key": "events", "label": "Events", "pilots": 2, "success_met": 2, "success_total": 3,
         "kill_breached": 1, "kill_total": 3, "stopped": 1, "too_few": True},
        {"key": "communications", "label": "Communications", "pilots": 1, "success_met": 0,
         "success_total": 1, "kill_breached": 0, "kill_total": 0, "stopped": 0,
         "too_few": True}]


def test_decisions_by_type_counts_every_decision():
    decisions = [(1, "events", "go"), (2, "events", "recycle"), (2, "events", "go"),
                 (3, "events", "no_go"), (4, "communications", "no_go")]
    assert pipe.decisions_by_type(decisions, TYPES) == [
        {"key": "events", "label": "Events", "projects": 3, "go": 2, "no_go": 1,
         "recycle": 1, "too_few": False},
        {"key": "communications", "label": "Communications", "projects": 1, "go": 0,
         "no_go": 1, "recycle": 0, "too_few": True}]


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, tzinfo=UTC)


def test_days_in_state_medians_of_finished_stays():
    first = pipe.stays(at(1), [(at(3), "draft", "risk_model"), (at(3, 12), "risk_model",
                                                                "review"),
                               (at(10, 12), "review", "revision")])
    assert first == [("draft", 2.0), ("risk_model", 0.5), ("review", 7.0)]  # revision: open
    second = pipe.stays(at(1), [(at(2), "draft", "risk_model"), (at(6), "risk_model",
                                                                 "review")])
    states = [("draft", "Draft"), ("risk_model", "Risk model"), ("review", "Review"),
              ("revision", "Revision")]
    assert pipe.days_in_state(first + second, states) == [
        {"key": "draft", "label": "Draft", "stays": 2, "median_days": 1.5},
        {"key": "risk_model", "label": "Risk model", "stays": 2, "median_days": 2.3},  # 2.25
        {"key": "review", "label": "Review", "stays": 1, "median_days": 7.0}]


def test_roles_needed_in_the_pipeline_and_decided_go():
    needs = [pipe.Need(1, "review", "profession", "marketing_communications", False,
                       "full_time"),
             pipe.Need(1, "review", "skill", "networking", True, "fractional"),
             pipe.Need(2, "go", "skill", "networking", True, "fractional"),
             pipe.Need(3, "no_go", "skill", "networking", True, "fractional"),  # neither
             pipe.Need(4, "decision", "profession", "marketing_communications", False,
                       "fractional")]
    labels = {"profession": [("research", "Research"),
                             ("marketing_communications", "Marketing")],
              "skill": [("networking", "Networking")]}
    assert pipe.roles_needed(needs, labels) == [
        {"kind": "profession", "key": "marketing_communications", "label": "Marketing",
         "projects": 2, "pipeline": 2, "go": 0, "technical": 0, "non_technical": 2,
         "full_time": 1, "fractional": 1},
        {"kind": "skill", "key": "networking", "label": "Networking", "projects": 2,
         "pipeline": 1, "go": 1, "technical": 2, "non_technical": 0, "full_time": 0,
         "fractional": 2}]
    assert [(m["key"], m["pipeline"], m["go"]) for m in pipe.role_modes(needs)] == [
        ("technical", 1, 1), ("non_technical", 2, 0), ("full_time", 1, 0),
        ("fractional", 2, 1)]
