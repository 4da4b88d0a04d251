"""Forecast pages through the test client: the form, its refusals, what each person sees before
and after the end, the calibration page (bin counts, "not enough forecasts yet") and the CSV."""

from __future__ import annotations

import csv
import html
import io
import re

from reviewtool.services.transitions import fire
from tests.factories import UserFactory, assign, grantmaker, project_in_review, reviewer, submit
from tests.forecast_factories import finish, forecast, running_with
from tests.pilot_factories import builder, criterion, observe
from tests.queries import statements_for


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ",
                                                    response.get_data(as_text=True))))


def test_forecast_form_refuses_an_out_of_range_value_and_keeps_what_was_typed(
        session, workflow, login):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    client = login(r1)
    url = f"/projects/{project.id}/forecasts"
    success, kill = criterion(project, "success").id, criterion(project, "kill").id
    response = client.post(url, data={f"c{success}": "150", f"c{kill}": "20"})
    assert response.status_code == 422
    page = _text(response)
    assert ("Success criterion “Participants who finish >= 10 people” is met: probability (%): "
            "give a whole percentage from 1 to 99.") in page
    assert 'value="150"' in response.get_data(as_text=True)
    response = client.post(url, data={f"c{success}": "70", f"c{kill}": "20"})
    assert response.status_code == 303
    page = _text(client.get(url))
    assert "Your forecasts, locked on" in page and "70 %" in page
    assert "Lock my forecasts" not in page


def test_forecasts_are_hidden_from_everyone_else_until_the_pilot_finishes(
        session, workflow, login):
    gm, build, admin = grantmaker(), builder(), UserFactory(roles=("admin",))
    r1, r2 = reviewer(), reviewer()
    project = running_with(workflow, [r1, r2, reviewer()], gm, build)
    forecast(r1, project, 83, 17)
    url = f"/projects/{project.id}/forecasts"
    for other in (r2, gm, admin, project.owner):
        page = _text(login(other).get(url))
        assert "83 %" not in page and "17 %" not in page
        assert "Everyone's forecasts are hidden until the pilot finishes." in page
    finish(workflow, project, build, gm, 12, 1)
    gm_page = _text(login(gm).get(url))
    assert f"{r1.name} 83 % (0.0289) 17 % (0.0289) 0.0289" in gm_page  # (0.83-1)^2, 0.17^2
    owner_page = _text(login(project.owner).get(url))
    assert r1.name not in owner_page and "Each forecaster" not in owner_page
    assert "83.0 %" in owner_page  # the aggregate (one forecaster's mean)


def test_calibration_page_shows_bin_counts_from_twelve_forecasts_and_not_enough_below_five(
        session, workflow, login):
    gm, build = grantmaker(), builder()
    sharp, newcomer = reviewer(name="Sharp Reviewer"), reviewer(name="New Reviewer")
    # Six pilots, two forecasts each for Sharp: 12 scored; New forecasts two pilots: 4.
    plans = [(5, 15), (25, 35), (45, 55), (65, 75), (85, 95), (92, 8)]
    for i, (success, kill) in enumerate(plans):
        project = running_with(workflow, [sharp, newcomer, reviewer()], gm, build)
        forecast(sharp, project, success, kill)
        if i < 2:
            forecast(newcomer, project, 50, 50)
        finish(workflow, project, build, gm, 12, 1)  # success met, kill not breached
    # Success criteria are met (happened), kill criteria not. Sharp's bins: 5 (met), 8 (not)
    # -> 1-9 %: 2, mean 6.5, 1 happened, 50 %; 15 (not) -> 10-19: 1; 25 (met) -> 20-29: 1;
    # ... 85 (met) -> 80-89; 92 (met), 95 (not) -> 90-99: 2, mean 93.5, 1 happened, 50 %.
    page = _text(login(sharp).get("/calibration"))
    assert "12 scored forecasts" in page
    for row in ("1-9 % 2 6.5 % 1 50.0 %", "10-19 % 1 15.0 % 0 0.0 %",
                "20-29 % 1 25.0 % 1 100.0 %", "30-39 % 1 35.0 % 0 0.0 %",
                "40-49 % 1 45.0 % 1 100.0 %", "50-59 % 1 55.0 % 0 0.0 %",
                "60-69 % 1 65.0 % 1 100.0 %", "70-79 % 1 75.0 % 0 0.0 %",
                "80-89 % 1 85.0 % 1 100.0 %", "90-99 % 2 93.5 % 1 50.0 %"):
        assert row in page, row
    assert "Each forecaster" not in page
    newcomer_page = _text(login(newcomer).get("/calibration"))
    assert "4 scored forecasts" in newcomer_page
    assert "not enough forecasts yet" in newcomer_page and "1-9 %" not in newcomer_page
    gm_page = _text(login(gm).get("/calibration"))
    assert "Sharp Reviewer 12" in gm_page and "New Reviewer 4" in gm_page
    assert "The whole panel 16 scored forecasts" in gm_page


def test_calibration_csv_names_forecasters_only_for_grantmakers(session, workflow, login):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    forecast(r1, project, 70, 20)
    finish(workflow, project, build, gm, 12, 1)
    rows = list(csv.DictReader(io.StringIO(
        login(gm).get("/calibration/forecasts.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["email"], r["probability"], r["brier"]) for r in rows] == [
        (r1.email, "70", "0.09"), (r1.email, "20", "0.04")]  # (0.7-1)^2, 0.2^2
    own = login(r1).get("/calibration/forecasts.csv").get_data(as_text=True)
    assert "email" not in own.splitlines()[0] and own.count("\n") == 3


def test_calibration_page_queries_do_not_grow_with_forecasts(session, workflow, app, client,
                                                             login):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    forecast(r1, project, 70, 20)
    finish(workflow, project, build, gm, 12, 1)
    login(gm)
    few = statements_for(app, client, "/calibration")
    for _ in range(2):
        more = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
        forecast(r1, more, 60, 30)
        finish(workflow, more, build, gm, 12, 1)
    assert statements_for(app, client, "/calibration") == few


def test_project_page_shows_normalised_scores_to_grantmakers_only(session, workflow, login):
    from_gm = grantmaker()
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me, by=from_gm)
    risk = sorted(project.current_revision.risks, key=lambda r: r.position)[0]
    submit(project, me, risk_scores=[{"risk_id": risk.id, "likelihood": 3, "severity": 4}])
    page = _text(login(from_gm).get(f"/projects/{project.id}"))
    # One reviewer with one review: no offset, so normalised equals raw (3 x 4 = 12).
    assert f"{risk.description} 1 12.0 12.0" in page
    assert "fewer than 10 scored reviews keeps their raw scores" in page
    assert "Normalised mean" not in _text(login(project.owner).get(f"/projects/{project.id}"))


def _at_decision(session, workflow):
    gm = grantmaker()
    project = project_in_review(workflow)
    for _ in range(3):
        user = reviewer()
        assign(project, user, by=gm)
        submit(project, user, stance="optimistic")
    fire(session, workflow, project, "skip_pilot", actor=gm, comment="Cannot be trialled.")
    return project, gm


def test_go_form_outcome_forecast_refused_keeps_what_was_typed_then_is_scored(
        session, workflow, login):
    project, gm = _at_decision(session, workflow)
    client = login(gm)
    go = {"trigger": "go", "version": str(project.version), "comment": "Fund it.",
          "review_by": "2030-01-31"}
    response = client.post(f"/projects/{project.id}/transitions",
                           data={**go, "outcome_probability": "seventy"})
    assert response.status_code == 422
    assert ("The outcome forecast 'seventy' is not a whole percentage from 1 to 99."
            in _text(response))
    assert 'value="seventy"' in response.get_data(as_text=True)
    response = client.post(f"/projects/{project.id}/transitions",
                           data={**go, "outcome_probability": "70"})
    assert response.status_code == 303
    page = _text(client.get(f"/projects/{project.id}"))
    assert "Outcome forecast: 70 % that the project meets its target outcome" in page
    response = client.post(f"/projects/{project.id}/decision/outcome", data={"met": "yes"})
    assert response.status_code == 303
    page = _text(client.get(f"/projects/{project.id}"))
    assert "Outcome recorded: met; Brier score 0.09." in page  # (0.70 - 1)^2
    assert "Record the outcome" not in page


def test_forecasts_page_queries_do_not_grow_with_forecasters(session, workflow, app, client,
                                                             login):
    gm, build = grantmaker(), builder()
    few, many = [reviewer() for _ in range(1)], [reviewer() for _ in range(4)]
    counts = []
    for people in (few, many):
        extra = [reviewer() for _ in range(max(0, 3 - len(people)))]
        project = running_with(workflow, people + extra, gm, build)
        for user in people:
            forecast(user, project, 60, 40)
        finish(workflow, project, build, gm, 12, 1)
        login(gm)
        counts.append(statements_for(app, client, f"/projects/{project.id}/forecasts"))
    assert counts[0] == counts[1]


def test_forecast_form_after_the_first_observation_is_a_409_saying_why(session, workflow,
                                                                        login):
    gm, build, r1 = grantmaker(), builder(), reviewer()
    project = running_with(workflow, [r1, reviewer(), reviewer()], gm, build)
    success, kill = criterion(project, "success").id, criterion(project, "kill").id
    client = login(r1)
    assert "Lock my forecasts" in _text(client.get(f"/projects/{project.id}/forecasts"))
    observe(project, build, "success", 4)
    response = client.post(f"/projects/{project.id}/forecasts",
                           data={f"c{success}": "70", f"c{kill}": "20"})
    assert response.status_code == 409
    page = _text(response)
    assert "Forecasts closed at the pilot's first observation." in page
    assert "Lock my forecasts" not in page
