"""The forecasts API: locking forecasts, what GET shows before and after the end, calibration."""

from __future__ import annotations

from tests.factories import UserFactory, grantmaker, reviewer
from tests.forecast_factories import finish, running_with
from tests.pilot_factories import builder, criterion


def _body(project, success: int, kill: int) -> dict:
    return {"forecasts": [
        {"criterion_id": criterion(project, "success").id, "probability": success},
        {"criterion_id": criterion(project, "kill").id, "probability": kill}]}


def test_api_forecasts_are_locked_then_shown_with_scores_after_the_end(session, workflow, api):
    gm, build, r1, r2 = grantmaker(), builder(), reviewer(), reviewer()
    project = running_with(workflow, [r1, r2, reviewer()], gm, build)
    url = f"/projects/{project.id}/forecasts"
    response = api(r1).post(url, json=_body(project, 70, 20))
    assert response.status_code == 201
    assert [f["probability"] for f in response.json["mine"]] == [70, 20]
    assert len(response.json["mine"][0]["sha256"]) == 64
    assert api(r1).post(url, json=_body(project, 60, 30)).status_code == 409
    before = api(gm).get(url).json
    assert before["mine"] == [] and before["people"] is None and before["aggregate"] is None
    assert api(r2).get(url).json["mine"] == []
    finish(workflow, project, build, gm, 12, 1)
    after = api(gm).get(url).json
    # (0.7-1)^2 = 0.09, 0.2^2 = 0.04; mean (0.09+0.04)/2 = 0.065
    assert [(p["user"]["id"], p["mean_brier"], [f["brier"] for f in p["forecasts"]])
            for p in after["people"]] == [(r1.id, 0.065, [0.09, 0.04])]
    assert api(project.owner).get(url).json["people"] is None
    assert api(r1).post(url, json=_body(project, 60, 30)).status_code == 409  # pilot is over


def test_api_forecast_outside_the_range_is_a_422_naming_the_field(session, workflow, api):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    response = api(r1).post(f"/projects/{project.id}/forecasts",
                            json=_body(project, 0, 100))
    assert response.status_code == 422
    fields = [p["field"] for p in response.json["errors"]]
    assert fields == ["forecasts.0.probability", "forecasts.1.probability"]


def test_api_calibration_shows_everyone_only_to_oversight(session, workflow, api):
    assert api(reviewer()).get("/calibration").json["people"] is None
    assert api(UserFactory(roles=("admin",))).get("/calibration").json["people"] == []
    assert api(UserFactory()).get("/calibration").status_code == 403
