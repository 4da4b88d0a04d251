"""Every named rule of reviewtool/permissions.py refuses someone, through the API, and each of
these tests fails when its rule is made permissive: the second test below swaps the rule for
one that allows everyone and checks that the very same request is then no longer refused.
A rule added to permissions.RULES without a scenario here fails the first test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from reviewtool import permissions
from reviewtool.services.reviews import declare_conflict
from tests.consultation_factories import CLOSES, answer_data, consultation, panellist
from tests.decision_factories import at_decision
from tests.factories import (
    PASSWORD,
    ProjectFactory,
    UserFactory,
    assign,
    grantmaker,
    project_in_review,
    reviewed,
    reviewer,
    submit,
)
from tests.pilot_factories import builder, criterion, plan_data, running


@dataclass(frozen=True)
class Outcome:
    """What a scenario's request got: its status, and whether the thing a rule guards showed."""

    status: int
    shown: bool = False


Scenario = Callable[..., Outcome]
SCENARIOS: dict[str, tuple[Scenario, Outcome]] = {}


def scenario(rule: str, refused: Outcome):
    """Register the decorated request as the scenario of `rule`, refused with `refused`."""

    def register(fn: Scenario) -> Scenario:
        SCENARIOS[rule] = (fn, refused)
        return fn

    return register


@scenario("create_project", Outcome(403))
def _reviewer_creates_a_project(api, session, workflow) -> Outcome:
    return Outcome(api(reviewer()).post("/projects", json={"title": "Mine"}).status_code)


@scenario("list_users", Outcome(403))
def _proposer_lists_users(api, session, workflow) -> Outcome:
    return Outcome(api(UserFactory()).get("/users").status_code)


@scenario("edit_catalogues", Outcome(403))
def _grantmaker_adds_a_project_type(api, session, workflow) -> Outcome:
    response = api(grantmaker()).post("/catalogues/project_types",
                                      json={"key": "podcast", "label": "Podcast"})
    return Outcome(response.status_code)


@scenario("read_audit", Outcome(403))
def _reviewer_reads_the_audit_trail(api, session, workflow) -> Outcome:
    return Outcome(api(reviewer()).get("/audit").status_code)


@scenario("manage_users", Outcome(403))
def _grantmaker_disables_an_account(api, session, workflow) -> Outcome:
    response = api(grantmaker()).patch(f"/users/{UserFactory().id}", json={"active": False})
    return Outcome(response.status_code)


def _page_client(api, user):
    """The shared test client, signed in as `user` on the pages (these rules have no API)."""
    client = api(user).client
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}).status_code == 302
    return client


@scenario("manage_outbox", Outcome(403))
def _grantmaker_opens_the_outbox(api, session, workflow) -> Outcome:
    return Outcome(_page_client(api, grantmaker()).get("/admin/outbox").status_code)


@scenario("read_workflow", Outcome(403))
def _reviewer_opens_the_workflow(api, session, workflow) -> Outcome:
    return Outcome(_page_client(api, reviewer()).get("/admin/workflow").status_code)


@scenario("read_queue", Outcome(403))
def _admin_opens_the_grantmakers_queue(api, session, workflow) -> Outcome:
    return Outcome(_page_client(api, UserFactory(roles=("admin",))).get("/queue").status_code)


@scenario("read_portfolio", Outcome(403))
def _reviewer_reads_the_portfolio(api, session, workflow) -> Outcome:
    return Outcome(api(reviewer()).get("/portfolio").status_code)


@scenario("export_tables", Outcome(403))
def _proposer_exports_the_reviews(api, session, workflow) -> Outcome:
    return Outcome(api(UserFactory()).get("/exports/reviews.csv").status_code)


@scenario("edit", Outcome(403))
def _grantmaker_edits_someone_elses_proposal(api, session, workflow) -> Outcome:
    project = ProjectFactory(state="risk_model")
    response = api(grantmaker()).patch(f"/projects/{project.id}",
                                       json={"title": "Taken over", "version": project.version})
    return Outcome(response.status_code)


@scenario("fire", Outcome(403))
def _conflicted_grantmaker_skips_the_pilot(api, session, workflow) -> Outcome:
    project = project_in_review(workflow)
    boss = grantmaker()
    declare_conflict(session, boss, project, "funder_relationship")
    response = api(boss).post(f"/projects/{project.id}/transitions",
                              json={"trigger": "skip_pilot", "comment": "No trial needed."})
    return Outcome(response.status_code)


@scenario("steward", Outcome(403))
def _conflicted_grantmaker_assigns_a_reviewer(api, session, workflow) -> Outcome:
    project = project_in_review(workflow)
    boss = grantmaker()
    declare_conflict(session, boss, project, "personal")
    response = api(boss).post(f"/projects/{project.id}/reviewers",
                              json={"user_id": reviewer().id})
    return Outcome(response.status_code)


@scenario("plan_pilot", Outcome(403))
def _proposer_writes_the_pilot_plan(api, session, workflow) -> Outcome:
    project = project_in_review(workflow)
    response = api(project.owner).put(f"/projects/{project.id}/pilot",
                                      json=plan_data(builder()))
    return Outcome(response.status_code)


@scenario("record_pilot", Outcome(403))
def _grantmaker_records_an_observation(api, session, workflow) -> Outcome:
    project, gm, _ = running(workflow)
    response = api(gm).post(f"/projects/{project.id}/pilot/observations", json={
        "criterion_id": criterion(project, "success").id, "value": 3,
        "observed_on": "2026-11-30", "note": ""})
    return Outcome(response.status_code)


@scenario("review", Outcome(403))
def _unassigned_reviewer_grantmaker_reviews(api, session, workflow) -> Outcome:
    project = project_in_review(workflow)
    response = api(grantmaker(roles=("grantmaker", "reviewer"))).post(
        f"/projects/{project.id}/reviews", json={"stance": "neutral"})
    return Outcome(response.status_code)


@scenario("declare_conflict", Outcome(409))
def _proposer_declares_a_conflict(api, session, workflow) -> Outcome:
    project = project_in_review(workflow)
    response = api(project.owner).post(f"/projects/{project.id}/conflicts",
                                       json={"kind": "personal"})
    return Outcome(response.status_code)


@scenario("see_reviews", Outcome(403))
def _conflicted_grantmaker_reads_the_rounds(api, session, workflow) -> Outcome:
    project, _ = reviewed(workflow, [{"net_negative": True}])
    boss = grantmaker()
    declare_conflict(session, boss, project, "personal")
    return Outcome(api(boss).get(f"/projects/{project.id}/rounds").status_code)


@scenario("see_reviewers", Outcome(200, shown=False))
def _reviewer_reads_the_rounds(api, session, workflow) -> Outcome:
    project = project_in_review(workflow)
    me, other = reviewer(), reviewer()
    assign(project, me)
    assign(project, other)
    submit(project, me)
    response = api(me).get(f"/projects/{project.id}/rounds")
    named = any("user" in a for a in response.json[0]["assignments"])
    return Outcome(response.status_code, shown=named)


@scenario("read_memo", Outcome(403))
def _reviewer_reads_the_draft_memo(api, session, workflow) -> Outcome:
    journey = at_decision(workflow)
    return Outcome(api(journey.reviewers[0]).get(
        f"/projects/{journey.project.id}/memo.html").status_code)


@scenario("run_consultations", Outcome(403))
def _reviewer_opens_a_consultation(api, session, workflow) -> Outcome:
    response = api(reviewer()).post("/consultations", json={
        "title": "Courses", "project_type": "training_course", "description": "Courses."})
    return Outcome(response.status_code)


@scenario("panel_member", Outcome(403))
def _proposer_joins_the_panel(api, session, workflow) -> Outcome:
    response = api(UserFactory()).put("/panel", json={
        "work_group": "technical", "technical": True, "seniority": "senior", "consent": True})
    return Outcome(response.status_code)


@scenario("answer_consultations", Outcome(403))
def _withdrawn_panellist_answers_a_wave(api, session, workflow) -> Outcome:
    boss, me = grantmaker(), panellist()
    made = consultation(boss)
    api(boss).post(f"/consultations/{made.id}/waves",
                   json={"closes_on": CLOSES, "panellist_ids": [me.id]})
    # Withdrawn after answering: the invitation stays (answered), the consent does not.
    api(me).post(f"/consultations/{made.id}/waves/1/answers", json=answer_data(False))
    api(me).put("/panel", json={"work_group": "technical", "technical": True,
                                "seniority": "senior", "consent": False})
    response = api(me).post(f"/consultations/{made.id}/waves/1/answers",
                            json=answer_data(True))
    return Outcome(response.status_code)


@scenario("forecast", Outcome(403))
def _builder_forecasts_their_own_pilot(api, session, workflow) -> Outcome:
    project, _, build = running(workflow)  # the builder sees it but was never invited
    response = api(build).post(f"/projects/{project.id}/forecasts", json={"forecasts": [
        {"criterion_id": c.id, "probability": 50} for c in project.pilot.criteria]})
    return Outcome(response.status_code)


@scenario("read_calibration", Outcome(403))
def _proposer_reads_the_calibration(api, session, workflow) -> Outcome:
    return Outcome(api(UserFactory()).get("/calibration").status_code)


@scenario("read_panel_calibration", Outcome(200, shown=False))
def _reviewer_reads_the_calibration(api, session, workflow) -> Outcome:
    response = api(reviewer()).get("/calibration")
    return Outcome(response.status_code, shown=response.json["people"] is not None)


@scenario("record_outcome", Outcome(403))
def _reviewer_records_the_outcome(api, session, workflow) -> Outcome:
    journey = at_decision(workflow)
    response = api(journey.reviewers[0]).post(f"/projects/{journey.project.id}/decision/outcome",
                                              json={"met": True})
    return Outcome(response.status_code)


def test_permission_rules_each_have_a_refusal_scenario():
    assert sorted(SCENARIOS) == sorted(permissions.RULES)


@pytest.mark.parametrize("rule", sorted(SCENARIOS))
def test_permission_rule_refuses_its_scenario(rule, api, session, workflow):
    run, refused = SCENARIOS[rule]
    assert run(api, session, workflow) == refused


@pytest.mark.parametrize("rule", sorted(SCENARIOS))
def test_permission_rule_made_permissive_lets_its_scenario_through(rule, api, session,
                                                                   workflow, monkeypatch):
    run, refused = SCENARIOS[rule]
    monkeypatch.setitem(permissions.RULES, rule,
                        replace(permissions.RULES[rule], check=lambda *a, **k: True))
    assert run(api, session, workflow) != refused


def test_conflicted_grantmaker_firing_any_trigger_is_403_and_nothing_moves(api, session,
                                                                          workflow):
    project, _ = reviewed(workflow, [{}, {}, {}])
    boss = grantmaker()
    declare_conflict(session, boss, project, "funder_relationship")
    client = api(boss)
    for trigger in ("request_safeguards", "skip_pilot", "no_go"):
        response = client.post(f"/projects/{project.id}/transitions",
                               json={"trigger": trigger, "comment": "Because."})
        assert (trigger, response.status_code) == (trigger, 403)
    session.expire_all()
    assert project.state == "review"
    assert api(grantmaker()).post(f"/projects/{project.id}/transitions", json={
        "trigger": "skip_pilot", "comment": "Because."}).status_code == 200
