"""The risk model through the JSON API: PUT /projects/{id}/risks, the model inside GET
/projects/{id}, and the issue's "Done when" for request_review."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import COMPLETE, ProjectFactory, UserFactory

CATEGORIES = ["reputational_harm", "capabilities", "displacement", "low_fidelity",
              "participant_harm", "info_hazard", "coordination_harm"]
MARKETING = {**COMPLETE, "roles_needed": [
    {"kind": "profession", "key": "marketing_communications", "technical": False,
     "commitment": "fractional", "hours_per_month": 20}]}


def risk(**overrides: Any) -> dict[str, Any]:
    """One risk as a script sends it: capabilities, 3 x 3, no safeguard."""
    return {"category": "capabilities", "description": "Alumni join capabilities labs.",
            "likelihood": 3, "severity": 3, "reversibility": "reversible",
            "pilot_reveals": "yes", "knowledge": "medium", **overrides}


def model_without(*left_out: str) -> dict[str, Any]:
    """One risk for each default category except `left_out`."""
    return {"risks": [risk(category=key, description=f"A {key} risk.")
                      for key in CATEGORIES if key not in left_out]}


def request_review(client, project_id: int):
    return client.post(f"/projects/{project_id}/transitions",
                       json={"trigger": "request_review", "comment": "Please review."})


# --- request_review: the "Done when" --------------------------------------------------

def test_request_review_missing_two_categories_is_422_naming_both(api, session):
    project = ProjectFactory(state="risk_model")
    owner = api(project.owner)
    assert owner.put(f"/projects/{project.id}/risks",
                     json=model_without("displacement", "coordination_harm")).status_code == 200
    response = request_review(owner, project.id)
    assert response.status_code == 422
    assert response.json == {"errors": [
        {"message": "Risk category 'Displacement' is not addressed: add a risk or mark it not "
                    "applicable with a reason."},
        {"message": "Risk category 'Coordination harm' is not addressed: add a risk or mark it "
                    "not applicable with a reason."}]}
    assert owner.get(f"/projects/{project.id}").json["state"] == "risk_model"


def test_request_review_risky_profession_with_reputational_harm_excluded_is_422(api, session):
    project = ProjectFactory(state="risk_model", proposal=MARKETING)
    owner = api(project.owner)
    body = {**model_without("reputational_harm"),
            "not_applicable": [{"category": "reputational_harm", "reason": "Only posters."}]}
    assert owner.put(f"/projects/{project.id}/risks", json=body).status_code == 200
    response = request_review(owner, project.id)
    assert response.status_code == 422
    assert response.json == {"errors": [
        {"message": "'Reputational harm to the community' needs at least one risk, not 'not "
                    "applicable': the project needs Marketing and communications, which the "
                    "catalogue marks as risky."}]}


def test_request_review_complete_model_moves_to_review_with_owner_in_history(api, session):
    project = ProjectFactory(proposal=MARKETING)
    owner = api(project.owner)
    submitted = owner.post(f"/projects/{project.id}/transitions", json={"trigger": "submit"})
    assert submitted.json["state"] == "risk_model"
    assert owner.put(f"/projects/{project.id}/risks", json=model_without()).status_code == 200

    response = request_review(owner, project.id)
    assert response.status_code == 200
    assert response.json["state"] == "review"
    history = owner.get(f"/projects/{project.id}/history")
    assert history.status_code == 200
    assert [(e["trigger"], e["from"], e["to"], e["actor"], e["comment"])
            for e in history.json] == [
        ("submit", "draft", "risk_model", {"id": project.owner.id, "name": project.owner.name},
         ""),
        ("request_review", "risk_model", "review",
         {"id": project.owner.id, "name": project.owner.name}, "Please review.")]


def test_request_review_then_put_risks_is_409(api, session):
    project = ProjectFactory(state="risk_model")
    owner = api(project.owner)
    owner.put(f"/projects/{project.id}/risks", json=model_without())
    assert request_review(owner, project.id).status_code == 200
    response = owner.put(f"/projects/{project.id}/risks", json=model_without())
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "The proposal cannot be edited while the "
                                                    "project is in 'review'."}]}


# --- 422 with field-level errors --------------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    (0, "risks.0.likelihood should be at least 1."),
    (6, "risks.0.likelihood should be at most 5."),
    ("high", "risks.0.likelihood should be a whole number."),
    (None, "risks.0.likelihood should be a whole number."),
    (2.5, "risks.0.likelihood should be a whole number."),
    (True, "risks.0.likelihood should be a whole number."),
], ids=["0", "6", "high", "null", "2.5", "true"])
def test_put_risks_bad_likelihood_is_422_on_the_field(api, session, value, message):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks",
                                      json={"risks": [risk(likelihood=value)]})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "risks.0.likelihood", "message": message}]}


def test_put_risks_missing_likelihood_is_422_required(api, session):
    project = ProjectFactory(state="risk_model")
    body = risk()
    del body["likelihood"]
    response = api(project.owner).put(f"/projects/{project.id}/risks", json={"risks": [body]})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "risks.0.likelihood",
                                         "message": "risks.0.likelihood is required."}]}


def test_put_risks_one_megabyte_description_is_422(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks",
                                      json={"risks": [risk(description="x" * 1_000_000)]})
    assert response.status_code == 422
    assert response.json == {"errors": [{
        "field": "risks.0.description",
        "message": "risks.0.description is too long: at most 2000 characters."}]}


def test_put_risks_blank_description_is_422(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks",
                                      json={"risks": [risk(description="   ")]})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "risks.0.description",
                                         "message": "risks.0.description is required."}]}


def test_put_risks_bad_choice_and_unknown_key_are_422(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks", json={"risks": [
        risk(reversibility="maybe", colour="red")]})
    assert response.status_code == 422
    assert response.json == {"errors": [
        {"field": "risks.0.reversibility", "message": "risks.0.reversibility should be one of "
                                                      "'reversible', 'hard_to_reverse' or "
                                                      "'irreversible'."},
        {"field": "risks.0.colour", "message": "risks.0.colour is not a known field."}]}


def test_put_risks_residual_above_inherent_is_422(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks", json={"risks": [
        risk(likelihood=2, residual_likelihood=4, mitigation="Something.")]})
    assert response.status_code == 422
    assert response.json == {"errors": [{
        "field": "risks.0.residual_likelihood",
        "message": "risks.0: the residual likelihood and severity (after safeguards) cannot be "
                   "above the inherent ones."}]}


def test_put_risks_not_an_object_is_422(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks", json=[risk()])
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Send a JSON object as the request body "
                                                    "(with 'Content-Type: application/json')."}]}


def test_put_risks_risks_not_a_list_is_422(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks", json={"risks": "none"})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "risks",
                                         "message": "risks should be a list."}]}


# --- who may ----------------------------------------------------------------------------------

def test_put_risks_by_other_proposer_is_404(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(UserFactory()).put(f"/projects/{project.id}/risks",
                                      json={"risks": [risk()]})
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": f"Project {project.id} not found."}]}


def test_put_risks_by_grantmaker_on_visible_project_is_403(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(UserFactory(roles=("grantmaker",))).put(f"/projects/{project.id}/risks",
                                                           json={"risks": [risk()]})
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "Only the proposer can edit this "
                                                    "project."}]}


def test_put_risks_without_token_is_401(client, session):
    project = ProjectFactory(state="risk_model")
    response = client.put(f"/api/v1/projects/{project.id}/risks", json={"risks": [risk()]})
    assert response.status_code == 401


def test_get_risks_by_grantmaker_on_draft_is_404(api, session):
    project = ProjectFactory()
    response = api(UserFactory(roles=("grantmaker",))).get(f"/projects/{project.id}/risks")
    assert response.status_code == 404


# --- reading the model ------------------------------------------------------------------------

def test_put_risks_answers_the_model_with_ids(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks", json={
        "risks": [risk()],
        "not_applicable": [{"category": "info_hazard", "reason": "Public material."}]})
    assert response.status_code == 200
    [stored] = response.json["risks"]
    assert isinstance(stored["id"], int)
    assert response.json["not_applicable"] == [{"category": "info_hazard",
                                                "reason": "Public material."}]
    assert response.json["catalogue_version"] == 1
    assert len(response.json["problems"]) == 5


def test_put_risks_ids_sent_back_are_kept(api, session):
    project = ProjectFactory(state="risk_model")
    owner = api(project.owner)
    first = owner.put(f"/projects/{project.id}/risks", json={"risks": [risk()]}).json
    [stored] = first["risks"]
    second = owner.put(f"/projects/{project.id}/risks", json={"risks": [
        risk(id=stored["id"], description="Reworded.")]}).json
    assert [(r["id"], r["description"]) for r in second["risks"]] == [(stored["id"],
                                                                        "Reworded.")]


def test_put_and_get_risks_list_risks_in_the_order_sent(api, session):
    project = ProjectFactory(state="risk_model")
    owner = api(project.owner)
    sent = ["participant_harm", "capabilities", "participant_harm", "displacement"]
    put = owner.put(f"/projects/{project.id}/risks", json={"risks": [
        risk(category=key, description=f"Risk {n}.") for n, key in enumerate(sent)]}).json
    got = owner.get(f"/projects/{project.id}/risks").json
    assert [(r["category"], r["description"]) for r in put["risks"]] == [
        (key, f"Risk {n}.") for n, key in enumerate(sent)]
    assert got["risks"] == put["risks"]


def test_get_project_contains_the_risk_model(api, session):
    project = ProjectFactory(state="risk_model")
    owner = api(project.owner)
    owner.put(f"/projects/{project.id}/risks", json={
        "risks": [risk(likelihood=5, severity=4, residual_likelihood=4, residual_severity=4,
                       mitigation="Pilot at one campus first.", reversibility="irreversible",
                       pilot_reveals="partly", knowledge="low")],
        "not_applicable": [{"category": "info_hazard", "reason": "Public material."}]})
    grantmaker = api(UserFactory(roles=("grantmaker",)))
    for reader in (owner, grantmaker):
        response = reader.get(f"/projects/{project.id}")
        assert response.status_code == 200
        model = response.json["risk_model"]
        assert sorted(model) == ["above_appetite", "appetite", "catalogue_version",
                                 "not_applicable", "problems", "risks"]
        [stored] = model["risks"]
        assert {k: v for k, v in stored.items() if k != "id"} == {
            "category": "capabilities", "description": "Alumni join capabilities labs.",
            "likelihood": 5, "severity": 4, "score": 20, "reversibility": "irreversible",
            "pilot_reveals": "partly", "knowledge": "low",
            "mitigation": "Pilot at one campus first.", "residual_likelihood": 4,
            "residual_severity": 4, "residual_score": 16, "above_appetite": True}
        assert model["above_appetite"] == 1
        assert model["appetite"] == {"appetite_residual_score": 15,
                                     "appetite_irreversible_severity": 4}
        assert model["not_applicable"] == [{"category": "info_hazard",
                                            "reason": "Public material."}]
        assert model["catalogue_version"] == 1
        assert len(model["problems"]) == 5
    assert owner.get(f"/projects/{project.id}/risks").json == model


def test_get_project_without_model_has_empty_risk_model(api, session):
    project = ProjectFactory()
    model = api(project.owner).get(f"/projects/{project.id}").json["risk_model"]
    assert (model["catalogue_version"], model["risks"], model["not_applicable"],
            model["above_appetite"]) == (None, [], [], 0)
    assert len(model["problems"]) == 7


# --- documentation ----------------------------------------------------------------------------

def test_openapi_documents_risks_get_and_put(client, session):
    document = client.get("/api/v1/openapi.json").json
    item = document["paths"]["/projects/{project_id}/risks"]
    assert sorted(m for m in item if m in {"get", "put", "post", "patch", "delete"}) == [
        "get", "put"]
    put = item["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RiskModelIn"}
    assert {"200", "401", "403", "404", "409", "422"} <= set(put["responses"])
    risk_in = document["components"]["schemas"]["RiskIn"]
    assert risk_in["properties"]["likelihood"] == {"maximum": 5, "minimum": 1,
                                                   "title": "Likelihood", "type": "integer"}
