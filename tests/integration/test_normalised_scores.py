"""Normalised risk scores on a fixed data set: a harsh and a lenient reviewer with ten
reviews each elsewhere, and a newcomer; each figure checked against a hand computation."""

from __future__ import annotations

from reviewtool.forecast_scores import ScoreTotals
from reviewtool.services.read.normalised import score_totals
from reviewtool.services.read.rounds import rounds_view
from tests.factories import assign, grantmaker, project_in_review, reviewer, submit


def _scores(project, *pairs):
    risks = sorted(project.current_revision.risks, key=lambda r: r.position)
    return [{"risk_id": risk.id, "likelihood": likelihood, "severity": severity}
            for risk, (likelihood, severity) in zip(risks, pairs, strict=False)]


def test_normalised_scores_of_a_harsh_and_a_lenient_reviewer_match_the_hand_computation(
        session, workflow):
    gm = grantmaker()
    harsh, lenient, newcomer = reviewer(), reviewer(), reviewer()
    for _ in range(10):  # ten reviews each elsewhere: harsh scores 4 x 4, lenient 2 x 2
        elsewhere = project_in_review(workflow)
        for user, score in ((harsh, (4, 4)), (lenient, (2, 2))):
            assign(elsewhere, user, by=gm)
            submit(elsewhere, user, risk_scores=_scores(elsewhere, score))
    target = project_in_review(workflow)
    for user in (harsh, lenient, newcomer):
        assign(target, user, by=gm)
    risks = sorted(target.current_revision.risks, key=lambda r: r.position)
    a, b = risks[0].id, risks[1].id
    submit(target, harsh, risk_scores=[{"risk_id": a, "likelihood": 5, "severity": 4}])  # 20
    submit(target, lenient, risk_scores=[{"risk_id": b, "likelihood": 2, "severity": 3}])  # 6
    submit(target, newcomer, risk_scores=[{"risk_id": a, "likelihood": 3, "severity": 4},
                                          {"risk_id": b, "likelihood": 4, "severity": 3}])
    # Every score: 10 x 16 + 20 (harsh), 10 x 4 + 6 (lenient), 12 + 12 (newcomer) = 250 over
    # 24 scores: panel mean 10.416667. Harsh: 180 / 11 = 16.363636, offset 5.946970; lenient:
    # 46 / 11 = 4.181818, offset -6.234848; newcomer: one review, offset 0.
    # Risk a: raw (20 + 12) / 2 = 16.0; normalised (20 - 5.946970 + 12) / 2 = 13.026515 -> 13.0
    # Risk b: raw (6 + 12) / 2 = 9.0; normalised (6 + 6.234848 + 12) / 2 = 12.117424 -> 12.1
    shown = rounds_view(session, target, gm)[0]["normalised"]["risks"]
    assert shown == [{"risk_id": a, "n": 2, "raw_mean": 16.0, "normalised_mean": 13.0},
                     {"risk_id": b, "n": 2, "raw_mean": 9.0, "normalised_mean": 12.1}]


def test_normalised_scores_are_not_shown_to_a_reviewer_or_the_proposer(session, workflow):
    target = project_in_review(workflow)
    me = reviewer()
    assign(target, me)
    submit(target, me)
    assert "normalised" not in rounds_view(session, target, me)[0]
    assert "normalised" not in rounds_view(session, target, target.owner)[0]


def test_review_score_totals_follow_the_scores_when_a_review_is_edited(session, workflow):
    target = project_in_review(workflow)
    me = reviewer()
    assign(target, me)
    review = submit(target, me, risk_scores=_scores(target, (5, 4), (2, 3)))
    assert (review.score_total, review.score_count) == (26, 2)  # 5 x 4 + 2 x 3
    submit(target, me, risk_scores=_scores(target, (1, 2)))
    session.refresh(review)
    assert (review.score_total, review.score_count) == (2, 1)


def test_score_totals_sum_each_reviewers_live_reviews_and_leave_out_withdrawn(session,
                                                                               workflow):
    gm = grantmaker()
    one, two = reviewer(), reviewer()
    first, second = project_in_review(workflow), project_in_review(workflow)
    for project, user, pairs in ((first, one, [(4, 4)]), (second, one, [(2, 3), (1, 1)]),
                                 (first, two, [])):
        assign(project, user, by=gm)
        submit(project, user, risk_scores=_scores(project, *pairs))
    withdrawn = assign(second, two, by=gm)
    submit(second, two, risk_scores=_scores(second, (5, 5)))
    withdrawn.withdrawn_at = withdrawn.assigned_at
    session.flush()
    # one: 16 + (6 + 1) = 23 over 3 scores in 2 scored reviews; two: one live review without
    # scores (their withdrawn 5 x 5 left out). The panel is the same two reviewers here.
    assert score_totals(session) == (ScoreTotals(23, 3, 0), {
        one.id: ScoreTotals(23, 3, 2), two.id: ScoreTotals(0, 0, 0)})
