"""The pilot through the JSON API: PUT/GET /pilot, observations, incidents, evaluation, the
guards of start_pilot and finish_pilot, who may do what, and the OpenAPI document."""

from __future__ import annotations

import copy
import json
import re
from datetime import date

import pytest

from tests.factories import ProjectFactory, UserFactory, grantmaker, reviewed
from tests.pilot_factories import (
    CONCERN_66,
    KILL,
    OVERRIDE,
    ROUND_66,
    SUCCESS,
    builder,
    criterion,
    observe,
    plan_data,
    planned,
    running,
)

TODAY = date.today().isoformat()


def transition(client, project, trigger, **body):
    return client.post(f"/projects/{project.id}/transitions", json={"trigger": trigger, **body})


def observation(project, kind, amount, **fields):
    return {"criterion_id": criterion(project, kind).id, "value": amount, "observed_on": TODAY,
            "note": "", **fields}


# --- the plan --------------------------------------------------------------------------------

def test_put_pilot_as_grantmaker_returns_plan_with_ids_and_pending_verdicts(api, workflow):
    gm, builder_user = grantmaker(), builder(name="Bea Builder")
    project, _ = reviewed(workflow, ROUND_66, by=gm)
    response = api(gm).put(f"/projects/{project.id}/pilot", json=plan_data(builder_user))
    assert response.status_code == 200, response.json
    body = response.json
    assert body["builders"] == [{"id": builder_user.id, "name": "Bea Builder"}]
    assert (body["budget"], body["frozen_at"], body["plan_sha256"]) == ("USD 3,000", None, None)
    assert [(c["kind"], c["metric"], c["comparator"], c["target"], c["verdict"])
            for c in body["criteria"]] == [
        ("success", "Participants who finish", ">=", 10.0, "pending"),
        ("kill", "Participants reporting burnout", ">=", 3.0, "pending")]
    assert all(isinstance(c["id"], int) for c in body["criteria"])
    assert api(gm).get(f"/projects/{project.id}/pilot").json == body


def test_get_pilot_without_plan_is_404(api, workflow):
    gm = grantmaker()
    project, _ = reviewed(workflow, ROUND_66, by=gm)
    response = api(gm).get(f"/projects/{project.id}/pilot")
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": f"Project {project.id} has no pilot plan "
                                         "yet."}]}


def _bad(criterion=None, **fields):
    return {"criteria": [{**copy.deepcopy(SUCCESS), **(criterion or {})}, copy.deepcopy(KILL)],
            **fields}


@pytest.mark.parametrize(("change", "errors"), [
    (_bad({"comparator": "!="}), [{"field": "criteria.0.comparator", "message":
                                   "criteria.0.comparator should be one of '>=', '<=' or '='."}]),
    (_bad({"target": "ten"}), [{"field": "criteria.0.target",
                                "message": "criteria.0.target should be a number."}]),
    (_bad(starts_on="2027-03-01", ends_on="2027-02-01"),
     [{"field": "ends_on", "message": "ends_on is before starts_on."}]),
    (_bad({"outcome": "happiness"}), [{"field": "criteria.0.outcome", "message":
                                       "criteria.0.outcome: 'happiness' is neither an outcome "
                                       "(contributors, contributions, coordination) nor a risk "
                                       "category."}]),
    (_bad({"kind": "maybe"}), [{"field": "criteria.0.kind", "message":
                                "criteria.0.kind should be one of 'success' or 'kill'."}]),
])
def test_put_pilot_bad_input_is_422_naming_the_field(api, workflow, change, errors):
    project, gm, builder_user = planned(workflow)
    response = api(gm).put(f"/projects/{project.id}/pilot",
                           json=plan_data(builder_user, **change))
    assert response.status_code == 422
    assert response.json == {"errors": errors}


@pytest.mark.parametrize("target", ["NaN", "Infinity", "-Infinity", "1" + "0" * 400])
def test_put_pilot_target_not_finite_is_422(api, workflow, client, target):
    project, gm, builder_user = planned(workflow)
    body = plan_data(builder_user, criteria=[{**SUCCESS, "target": 1}, KILL])
    text = json.dumps(body).replace('"target": 1,', f'"target": {target},')
    response = client.put(f"/api/v1/projects/{project.id}/pilot", data=text,
                          headers={**api(gm).headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["criteria.0.target"]


def test_put_pilot_by_proposer_is_403_and_by_other_proposer_404(api, workflow):
    project, _, builder_user = planned(workflow)
    assert api(project.owner).put(f"/projects/{project.id}/pilot",
                                  json=plan_data(builder_user)).status_code == 403
    assert api(UserFactory()).put(f"/projects/{project.id}/pilot",
                                  json=plan_data(builder_user)).status_code == 404


def test_put_pilot_in_risk_model_is_409(api, session):
    gm = grantmaker()
    project = ProjectFactory(state="risk_model")
    response = api(gm).put(f"/projects/{project.id}/pilot", json=plan_data(builder()))
    assert response.status_code == 409


# --- start_pilot -----------------------------------------------------------------------------

def test_start_pilot_without_kill_criterion_is_422(api, workflow):
    project, gm, _ = planned(workflow, criteria=[SUCCESS])
    response = transition(api(gm), project, "start_pilot")
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "The pilot plan needs at least one kill "
                                         "criterion."}]}


def test_start_pilot_concern_66_7_needs_override_then_shows_hash(api, workflow, session):
    project, gm, _ = planned(workflow, ROUND_66)
    refused = transition(api(gm), project, "start_pilot")
    assert (refused.status_code, refused.json) == (422, {"errors": [{"message": CONCERN_66}]})

    started = transition(api(gm), project, "start_pilot", override_rationale=OVERRIDE)
    assert (started.status_code, started.json["state"]) == (200, "pilot")
    pilot = api(gm).get(f"/projects/{project.id}/pilot").json
    session.expire_all()
    assert pilot["plan_sha256"] == project.pilot.plan_sha256
    assert re.fullmatch(r"[0-9a-f]{64}", pilot["plan_sha256"])
    assert pilot["frozen_at"].endswith("Z")


# --- the builders' work ----------------------------------------------------------------------

def test_post_observation_by_builder_updates_evaluation(api, workflow):
    project, _, builder_user = running(workflow)
    response = api(builder_user).post(f"/projects/{project.id}/pilot/observations",
                                      json=observation(project, "success", 12, note="Week 4"))
    assert response.status_code == 201
    assert {k: v for k, v in response.json.items() if k != "id"} == {
        "criterion_id": criterion(project, "success").id, "value": 12.0, "observed_on": TODAY,
        "note": "Week 4"}
    evaluation = api(project.owner).get(f"/projects/{project.id}/pilot/evaluation").json
    assert [(c["kind"], c["verdict"], c["latest"]) for c in evaluation["criteria"]] == [
        ("success", "met", 12.0), ("kill", "pending", None)]
    assert evaluation["summary"]["success_met"] == 1


def test_post_observation_by_proposer_is_403_and_other_proposer_404(api, workflow):
    project, _, _ = running(workflow)
    body = observation(project, "success", 12)
    own = api(project.owner).post(f"/projects/{project.id}/pilot/observations", json=body)
    assert (own.status_code, own.json) == (403, {"errors": [{"message": "Only the builders "
                                                             "of this project's pilot can "
                                                             "record its results."}]})
    other = api(UserFactory()).post(f"/projects/{project.id}/pilot/observations", json=body)
    assert other.status_code == 404


@pytest.mark.parametrize(("fields", "field"), [
    ({"value": "ten"}, "value"), ({"criterion_id": 0}, "criterion_id"),
    ({"observed_on": "yesterday"}, "observed_on"), ({"extra": 1}, "extra")])
def test_post_observation_bad_input_is_422(api, workflow, fields, field):
    project, _, builder_user = running(workflow)
    response = api(builder_user).post(f"/projects/{project.id}/pilot/observations",
                                      json=observation(project, "success", 1, **fields))
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == [field]


def test_post_observation_breaching_kill_shows_alert_in_pilot(api, workflow):
    project, _, builder_user = running(workflow)
    api(builder_user).post(f"/projects/{project.id}/pilot/observations",
                           json=observation(project, "kill", 4))
    alerts = api(project.owner).get(f"/projects/{project.id}/pilot").json["alerts"]
    assert [(a["kind"], a["resolved"]) for a in alerts] == [("kill_criterion", False)]


def test_post_incident_by_builder_is_201_and_bad_severity_422(api, workflow):
    project, _, builder_user = running(workflow)
    body = {"what": "A session ran three hours over.", "category": "participant_harm",
            "severity": 2, "occurred_on": TODAY}
    created = api(builder_user).post(f"/projects/{project.id}/pilot/incidents", json=body)
    assert created.status_code == 201
    assert {k: v for k, v in created.json.items() if k != "id"} == body
    refused = api(builder_user).post(f"/projects/{project.id}/pilot/incidents",
                                     json={**body, "severity": 6})
    assert (refused.status_code, refused.json) == (422, {"errors": [
        {"field": "severity", "message": "severity should be at most 5."}]})
    pilot = api(builder_user).get(f"/projects/{project.id}/pilot").json
    assert pilot["summary"]["incidents"] == 1


def test_finish_pilot_with_one_unmeasured_criterion_is_422_naming_it(api, workflow):
    project, _, builder_user = running(workflow)
    api(builder_user).post(f"/projects/{project.id}/pilot/observations",
                           json=observation(project, "success", 12))
    response = transition(api(builder_user), project, "finish_pilot")
    assert (response.status_code, response.json) == (422, {"errors": [{
        "message": "Criterion 'Participants reporting burnout' (kill) has no observation yet."}]})


def test_skip_pilot_without_comment_is_422_and_with_comment_decision(api, workflow):
    gm = grantmaker()
    project, _ = reviewed(workflow, ROUND_66, by=gm)
    assert transition(api(gm), project, "skip_pilot").status_code == 422
    response = transition(api(gm), project, "skip_pilot",
                          comment="The main risk cannot be tested in a trial.")
    assert (response.status_code, response.json["state"]) == (200, "decision")


# --- the OpenAPI document --------------------------------------------------------------------

def test_openapi_documents_every_pilot_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    routes = set()
    for rule in app.url_map.iter_rules():
        if app.view_functions[rule.endpoint].__module__ == "reviewtool.api.pilots":
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {("/projects/{project_id}/pilot", "get"),
                      ("/projects/{project_id}/pilot", "put"),
                      ("/projects/{project_id}/pilot/observations", "post"),
                      ("/projects/{project_id}/pilot/incidents", "post"),
                      ("/projects/{project_id}/pilot/evaluation", "get"),
                      ("/projects/{project_id}/alerts/{alert_id}/resolve", "post")}
    assert all(method in document["paths"][path] for path, method in routes)
    schemas = document["components"]["schemas"]
    assert set(schemas["PlanIn"]["properties"]) == {"builder_id", "builder_ids", "starts_on",
                                                    "ends_on", "budget", "criteria",
                                                    "justification"}
    assert set(schemas["CriterionIn"]["properties"]["comparator"]["enum"]) == {">=", "<=", "="}
    assert set(schemas["ObservationIn"]["required"]) == {"criterion_id", "value", "observed_on"}
    assert set(schemas["IncidentIn"]["required"]) == {"what", "category", "severity",
                                                      "occurred_on"}


def test_resolve_alert_by_grantmaker_removes_it_from_open_alerts(api, session, workflow):

    project, gm, builder_user = running(workflow)
    observe(project, builder_user, "kill", 3)
    alert_id = api(gm).get(f"/projects/{project.id}/pilot").json["alerts"][0]["id"]
    response = api(gm).post(f"/projects/{project.id}/alerts/{alert_id}/resolve")
    assert response.status_code == 200
    assert [a["resolved"] for a in response.json["alerts"]] == [True]
    again = api(gm).post(f"/projects/{project.id}/alerts/{alert_id}/resolve")
    assert again.status_code == 409
    assert again.json == {"errors": [{"message": "That alert is already resolved."}]}


def test_resolve_alert_by_builder_is_403_and_unknown_alert_404(api, session, workflow):

    project, gm, builder_user = running(workflow)
    observe(project, builder_user, "kill", 3)
    alert_id = api(gm).get(f"/projects/{project.id}/pilot").json["alerts"][0]["id"]
    refused = api(builder_user).post(f"/projects/{project.id}/alerts/{alert_id}/resolve")
    assert refused.status_code == 403
    missing = api(gm).post(f"/projects/{project.id}/alerts/{alert_id + 1000}/resolve")
    assert missing.status_code == 404
    assert missing.json == {"errors": [{"message": f"Project {project.id} has no alert "
                                                   f"{alert_id + 1000}."}]}
