"""A go decision's outcome forecast: locked with the decision, scored when the outcome is
recorded, counted in the grantmaker's calibration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reviewtool.errors import Conflict, Forbidden, Invalid
from reviewtool.services import decision_forecasts
from reviewtool.services.decisions import latest_decision
from reviewtool.services.read.calibration import calibration_view
from reviewtool.services.read.decision import decision_section
from tests.decision_factories import at_decision, decide_go

LATER = (date.today() + timedelta(days=180)).isoformat()


def test_go_forecast_is_scored_when_the_outcome_is_recorded(session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey, review_by=LATER, outcome_probability=70)
    project, gm = journey.project, journey.grantmaker
    section = decision_section(session, project, gm)
    assert section["outcome_forecast"]["probability"] == 70
    assert section["can_record_outcome"] is True
    assert decision_section(session, project, project.owner)["outcome_forecast"] is None
    with pytest.raises(Forbidden):
        decision_forecasts.record_outcome(session, journey.reviewers[0], project, {"met": True},
                                          latest_decision(session, project))
    scored = decision_forecasts.record_outcome(session, gm, project, {"met": False},
                                               latest_decision(session, project))
    assert scored.brier == 0.49  # (0.70 - 0)^2
    with pytest.raises(Conflict, match="already recorded"):
        decision_forecasts.record_outcome(session, gm, project, {"met": True},
                                          latest_decision(session, project))
    mine = calibration_view(session, gm)["mine"]
    assert (mine["n"], mine["mean_brier"], mine["note"]) == (1, 0.49, "not enough forecasts yet")


def test_go_forecast_without_a_re_review_date_is_refused(session, workflow):
    journey = at_decision(workflow)
    with pytest.raises(Invalid) as refused:
        decide_go(workflow, journey, outcome_probability=70)
    assert "An outcome forecast needs a re-review date: the day it is scored by." in str(
        refused.value.problems)


def test_outcome_without_a_forecast_is_a_conflict(session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey, review_by=LATER)
    with pytest.raises(Conflict, match="no go decision with an outcome forecast"):
        decision_forecasts.record_outcome(session, journey.grantmaker, journey.project,
                                          {"met": True}, latest_decision(session,
                                                                         journey.project))
