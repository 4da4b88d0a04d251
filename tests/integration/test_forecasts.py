"""Pilot forecasts through the real services: invited when the plan freezes, locked, hidden
until the pilot finishes, scored then; every Brier score checked by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reviewtool.errors import Conflict, Forbidden, Invalid
from reviewtool.models import Forecast, ForecastInvitation, OutboxMessage
from reviewtool.services import forecasts
from reviewtool.services.read.calibration import calibration_view
from reviewtool.services.read.forecasts import forecasts_view
from reviewtool.services.transitions import fire
from tests.factories import UserFactory, grantmaker, reviewer
from tests.forecast_factories import forecast, running_with
from tests.pilot_factories import builder, criterion, observe


def _briers(session, project, user):
    rows = session.scalars(select(Forecast).where(Forecast.pilot_id == project.pilot.id,
                                                  Forecast.user_id == user.id))
    return {("success" if f.criterion_id == criterion(project, "success").id else "kill"):
            f.brier for f in rows}


def test_forecasts_of_three_reviewers_on_two_pilots_are_scored_and_hidden_until_the_end(
        session, workflow):
    gm, build, admin = grantmaker(), builder(), UserFactory(roles=("admin",))
    r1, r2, r3 = reviewer(), reviewer(), reviewer()
    a = running_with(workflow, [r1, r2, r3], gm, build)
    b = running_with(workflow, [r1, r2, r3], gm, build)
    invited = session.scalars(select(ForecastInvitation.user_id).where(
        ForecastInvitation.pilot_id == a.pilot.id)).all()
    assert sorted(invited) == sorted([r1.id, r2.id, r3.id, gm.id])
    mails = session.scalars(select(OutboxMessage.to_email).where(
        OutboxMessage.project_id == a.id,
        OutboxMessage.subject.startswith("Forecast the pilot"))).all()
    assert sorted(mails) == sorted([r1.email, r2.email, r3.email, gm.email])
    body = session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.project_id == a.id, OutboxMessage.to_email == r1.email,
        OutboxMessage.subject.startswith("Forecast the pilot"))).one()
    # the link where they act (BASE_URL first when an app runs), then the preferences' link
    assert f"Give your forecasts: /projects/{a.id}/forecasts\n" in body

    forecast(r1, a, 80, 10)
    forecast(r2, a, 60, 40)
    forecast(r3, a, 30, 70)
    forecast(r1, b, 90, 5)
    forecast(r2, b, 50, 50)
    forecast(r3, b, 20, 95)
    # Before the end: each forecaster sees their own, nobody sees anyone else's.
    for project in (a, b):
        for viewer in (r1, r2, r3, gm, admin, project.owner):
            view = forecasts_view(session, project, viewer)
            assert {f["criterion_id"] for f in view["mine"]} == (
                {c.id for c in project.pilot.criteria} if viewer in (r1, r2, r3) else set())
            assert view["aggregate"] is None and view["people"] is None
    assert forecasts_view(session, a, r1)["mine"][0]["probability"] == 80

    # A: success 12 >= 10 met; kill 1 >= 3 not breached. B: success 8 not met; kill 4 breached.
    for project, success, kill in ((a, 12, 1), (b, 8, 4)):
        observe(project, build, "success", success)
        observe(project, build, "kill", kill)
        fire(session, workflow, project, "finish_pilot", actor=gm)

    # A success happened: (0.8-1)^2 = 0.04, (0.6-1)^2 = 0.16, (0.3-1)^2 = 0.49;
    # A kill did not: 0.1^2 = 0.01, 0.4^2 = 0.16, 0.7^2 = 0.49.
    assert _briers(session, a, r1) == {"success": 0.04, "kill": 0.01}
    assert _briers(session, a, r2) == {"success": 0.16, "kill": 0.16}
    assert _briers(session, a, r3) == {"success": 0.49, "kill": 0.49}
    # B success did not: 0.9^2 = 0.81, 0.5^2 = 0.25, 0.2^2 = 0.04;
    # B kill happened: (0.05-1)^2 = 0.9025, (0.5-1)^2 = 0.25, (0.95-1)^2 = 0.0025.
    assert _briers(session, b, r1) == {"success": 0.81, "kill": 0.9025}
    assert _briers(session, b, r2) == {"success": 0.25, "kill": 0.25}
    assert _briers(session, b, r3) == {"success": 0.04, "kill": 0.0025}

    # The aggregate of A: success mean (80+60+30)/3 = 56.67 -> (0.5667-1)^2 = 0.1877, median
    # 60 -> 0.16; kill mean (10+40+70)/3 = 40 -> 0.16, median 40 -> 0.16.
    view = forecasts_view(session, a, gm)
    assert [(x["mean"], x["median"], x["brier_mean"], x["brier_median"])
            for x in view["aggregate"]] == [(56.67, 60.0, 0.1877, 0.16),
                                            (40.0, 40.0, 0.16, 0.16)]
    # mean over criteria: (0.1877 + 0.16) / 2 = 0.17385 -> 0.1739 (half-up); median 0.16
    assert view["aggregate_brier"] == {"mean": 0.1739, "median": 0.16}
    assert {p["user"]["id"]: p["mean_brier"] for p in view["people"]} == {
        r1.id: 0.025, r2.id: 0.16, r3.id: 0.49}  # (0.04+0.01)/2, (0.16+0.16)/2, 0.49
    owner_view = forecasts_view(session, a, a.owner)
    assert owner_view["people"] is None and owner_view["aggregate"][1]["mean"] == 40.0
    reviewer_view = forecasts_view(session, a, r2)
    assert reviewer_view["people"] is None and reviewer_view["my_mean_brier"] == 0.16

    # Across both pilots, per person: r1 (0.04+0.01+0.81+0.9025)/4 = 0.440625 -> 0.4406;
    # r2 (0.16+0.16+0.25+0.25)/4 = 0.205; r3 (0.49+0.49+0.04+0.0025)/4 = 0.255625 -> 0.2556.
    people = {p["user"]["id"]: (p["n"], p["mean_brier"])
              for p in calibration_view(session, admin)["people"]}
    assert people == {r1.id: (4, 0.4406), r2.id: (4, 0.205), r3.id: (4, 0.2556)}


def test_forecast_after_the_first_observation_is_refused(session, workflow):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    observe(project, build, "success", 3)
    with pytest.raises(Conflict, match="first observation"):
        forecast(r1, project, 50, 50)


def test_forecasts_once_locked_cannot_be_changed(session, workflow):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    locked = forecast(r1, project, 50, 50)
    assert len(locked[0].sha256) == 64 and locked[0].sha256 == locked[1].sha256
    with pytest.raises(Conflict, match="locked"):
        forecast(r1, project, 60, 40)


def test_forecast_by_someone_not_invited_is_refused(session, workflow):
    gm, build = grantmaker(), builder()
    project = running_with(workflow, [reviewer(), reviewer(), reviewer()], gm, build)
    with pytest.raises(Forbidden):
        forecast(reviewer(), project, 50, 50)


def test_forecast_missing_a_criterion_or_out_of_range_is_refused(session, workflow):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    with pytest.raises(Invalid) as refused:
        forecasts.submit(session, r1, project, {"forecasts": [
            {"criterion_id": criterion(project, "success").id, "probability": 100}]})
    messages = " ".join(p["message"] for p in refused.value.problems)
    assert "99" in messages
    with pytest.raises(Invalid, match="criterion"):
        forecasts.submit(session, r1, project, {"forecasts": [
            {"criterion_id": criterion(project, "success").id, "probability": 40}]})
