"""Senior review through the JSON API: assigning reviewers, submitting reviews, the rounds as
each role sees them, conflicts, and the issue's "Done when" for the figures and min_reviews."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from reviewtool.services.reviews import declare_conflict
from tests.factories import (
    UserFactory,
    assign,
    grantmaker,
    project_in_review,
    review_data,
    reviewer,
    submit,
)

CATEGORIES = ["reputational_harm", "capabilities", "displacement", "low_fidelity",
              "participant_harm", "info_hazard", "coordination_harm"]
DONE_WHEN = [
    {"net_negative": True, "stance": "optimistic", "confidence": 5,
     "rationale": "Alumni could join capabilities labs.",
     "concern_categories": ["capabilities", "displacement"],
     "suggested_safeguards": ["Screen mentors for capabilities work."]},
    {"net_negative": False, "stance": "optimistic", "confidence": 1,
     "concern_categories": ["capabilities"]},
    {"net_negative": True, "stance": "neutral", "confidence": 2,
     "rationale": "It may crowd out an existing programme."},
]
DONE_WHEN_CATEGORIES = [
    {"category": "reputational_harm", "concern_pct": 0.0},
    {"category": "capabilities", "concern_pct": 66.7},
    {"category": "displacement", "concern_pct": 33.3},
    {"category": "low_fidelity", "concern_pct": 0.0},
    {"category": "participant_harm", "concern_pct": 0.0},
    {"category": "info_hazard", "concern_pct": 0.0},
    {"category": "coordination_harm", "concern_pct": 0.0},
]
ROUND_KEYS = {"number", "status", "revision", "opened_at", "closed_at", "n_reviews",
              "concern_pct", "optimism_pct", "weighted_concern_pct", "categories",
              "disagreement", "reviews"}
ANONYMOUS_REVIEW_KEYS = {"letter", "reviewer", "stance", "net_negative", "rationale",
                         "concern_categories", "suggested_safeguards", "risk_scores",
                         "confidence"}
FULL_REVIEW_KEYS = ANONYMOUS_REVIEW_KEYS | {"expertise", "version", "submitted_at",
                                           "updated_at"}
# Unique enough that finding one in a response can only mean it leaked.
PLANTED = [("Quintessa Vandersloot", "quintessa.vandersloot@leak-a.test", "Leakproof Institute"),
           ("Bartholomew Okonkwo-Reyes", "b.okonkwo@leak-b.test", "Okonkwo Foundation"),
           ("Xiomara Thistlewood", "xthistle@leak-c.test", "Thistlewood College")]


def rounds(client, project_id: int):
    return client.get(f"/projects/{project_id}/rounds")


def assign_as(client, project_id: int, body: dict[str, Any]):
    return client.post(f"/projects/{project_id}/reviewers", json=body)


def keys_anywhere(value: Any) -> set[str]:
    """Every dict key at any depth of a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_anywhere(v)}
    return set()


def planted_reviewers(workflow, reviews=DONE_WHEN, **project_fields):
    """A project in review whose reviewers carry PLANTED names, e-mails and organisations,
    one submitted review each (`reviews`); returns (project, reviewers, grantmaker)."""
    project = project_in_review(workflow, **project_fields)
    boss = grantmaker(name="Gail Grantmaker")
    users = [reviewer(name=name, email=email, organisation=org)
             for name, email, org in PLANTED[:len(reviews)]]
    for user, fields in zip(users, reviews, strict=True):
        assign(project, user, by=boss)
        submit(project, user, **fields)
    return project, users, boss


def assert_no_identity(text: str, users) -> None:
    for user in users:
        for detail in (user.name, *user.name.split(), user.email, user.email.split("@")[1],
                       user.organisation):
            assert detail.lower() not in text.lower(), detail


# --- POST /projects/{id}/reviewers -----------------------------------------------------------

def test_assign_reviewer_as_grantmaker_is_201_with_letter(api, session, workflow):
    project = project_in_review(workflow)
    boss = api(grantmaker())
    first, second = reviewer(), reviewer()
    response = assign_as(boss, project.id, {"user_id": first.id, "due_on": "2031-01-31"})
    assert response.status_code == 201
    assert response.json == {"round": 1, "user_id": first.id, "letter": "A",
                             "due_on": "2031-01-31"}
    response = assign_as(boss, project.id, {"user_id": second.id})
    assert (response.status_code, response.json["letter"]) == (201, "B")


def test_assign_reviewer_as_proposer_is_403(api, session, workflow):
    project = project_in_review(workflow)
    response = assign_as(api(project.owner), project.id, {"user_id": reviewer().id})
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "This needs the grantmaker role."}]}


def test_assign_reviewer_as_proposer_with_bad_due_on_is_still_403(api, session, workflow):
    project = project_in_review(workflow)
    response = assign_as(api(project.owner), project.id,
                         {"user_id": reviewer().id, "due_on": "someday"})
    assert response.status_code == 403


def test_assign_reviewer_as_unassigned_reviewer_is_404(api, session, workflow):
    project = project_in_review(workflow)
    response = assign_as(api(reviewer()), project.id, {"user_id": reviewer().id})
    assert response.status_code == 404


@pytest.mark.parametrize(("owner_fields", "candidate_fields", "reason"), [
    ({"organisation": "Alignment Lab"},
     {"name": "Orla Org", "organisation": "ALIGNMENT lab"},
     "Orla Org works at the proposer's organisation (Alignment Lab)."),
    ({"email": "ada@uni-oxbridge.ac.uk"},
     {"name": "Dom Domain", "email": "dom@uni-oxbridge.ac.uk"},
     "Dom Domain shares the proposer's institutional e-mail domain (@uni-oxbridge.ac.uk)."),
])
def test_assign_reviewer_conflict_is_409_with_reason_and_writes_nothing(
        api, session, workflow, owner_fields, candidate_fields, reason):
    project = project_in_review(workflow, owner=UserFactory(**owner_fields))
    boss = api(grantmaker())
    response = assign_as(boss, project.id, {"user_id": reviewer(**candidate_fields).id})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": f"Conflict of interest: {reason}"}]}
    assert rounds(boss, project.id).json[0]["assignments"] == []


def test_assign_reviewer_builder_of_the_pilot_is_409(api, session, workflow):
    project = project_in_review(workflow)
    boss = api(grantmaker())
    builder = UserFactory(roles=("builder", "reviewer"), name="Bea Builder")
    plan = {"builder_id": builder.id, "starts_on": "2031-01-01", "ends_on": "2031-03-01"}
    assert boss.put(f"/projects/{project.id}/pilot", json=plan).status_code == 200
    response = assign_as(boss, project.id, {"user_id": builder.id})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "Conflict of interest: Bea Builder is on "
                                                    "the project's team."}]}
    assert rounds(boss, project.id).json[0]["assignments"] == []


def test_assign_reviewer_proposer_is_409(api, session, workflow):
    owner = UserFactory(roles=("proposer", "reviewer"), name="Olive Owner")
    project = project_in_review(workflow, owner=owner)
    response = assign_as(api(grantmaker()), project.id, {"user_id": owner.id})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "Conflict of interest: Olive Owner "
                                                    "proposed this project."}]}


def test_assign_reviewer_who_declared_a_conflict_is_409_with_reason(api, session, workflow):
    project = project_in_review(workflow)
    candidate = reviewer(name="Dara Declared")
    declare_conflict(session, candidate, project, "recent_collaborator", "Co-author in 2025.")
    boss = api(grantmaker())
    response = assign_as(boss, project.id, {"user_id": candidate.id})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "Conflict of interest: Dara Declared "
                                                    "declared a conflict with this project "
                                                    "(recent_collaborator: Co-author in "
                                                    "2025.)."}]}
    assert rounds(boss, project.id).json[0]["assignments"] == []


def test_assign_reviewer_withdrawn_by_own_declaration_is_409(api, session, workflow):
    project = project_in_review(workflow)
    boss = api(grantmaker())
    candidate = reviewer(name="Dara Declared")
    assert assign_as(boss, project.id, {"user_id": candidate.id}).status_code == 201
    assert api(candidate).post(f"/projects/{project.id}/conflicts",
                               json={"kind": "personal", "note": "My sibling."}
                               ).status_code == 201
    response = assign_as(boss, project.id, {"user_id": candidate.id})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "Dara Declared is already assigned to "
                                                    "round 1."}]}


def test_assign_reviewer_twice_is_409(api, session, workflow):
    project = project_in_review(workflow)
    boss = api(grantmaker())
    candidate = reviewer(name="Tess Twice")
    assert assign_as(boss, project.id, {"user_id": candidate.id}).status_code == 201
    response = assign_as(boss, project.id, {"user_id": candidate.id})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "Tess Twice is already assigned to "
                                                    "round 1."}]}


@pytest.mark.parametrize("user_id", ["x", "12", None, True, 1.5, [1], {"id": 1}])
def test_assign_reviewer_bad_user_id_is_422(api, session, workflow, user_id):
    project = project_in_review(workflow)
    response = assign_as(api(grantmaker()), project.id, {"user_id": user_id})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "user_id", "message": "user_id must be the "
                                         "id (an integer) of a user with the reviewer role."}]}


@pytest.mark.parametrize("user_id", [0, -1, 2_000_000_000, 2**31, 2**63, 10**20])
def test_assign_reviewer_unknown_user_is_422(api, session, workflow, user_id):
    project = project_in_review(workflow)
    response = assign_as(api(grantmaker()), project.id, {"user_id": user_id})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "user_id",
                                         "message": f"No user {user_id}."}]}


@pytest.mark.parametrize("due_on", ["2031-02-30", "next week", "", 20310131, 1.5, True,
                                    ["2031-01-31"]])
def test_assign_reviewer_bad_due_on_is_422(api, session, workflow, due_on):
    project = project_in_review(workflow)
    response = assign_as(api(grantmaker()), project.id,
                         {"user_id": reviewer().id, "due_on": due_on})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "due_on", "message": "due_on should be a date "
                                         "like 2027-01-31."}]}


def test_assign_reviewer_without_json_body_is_422(api, session, workflow):
    project = project_in_review(workflow)
    response = api(grantmaker()).post(f"/projects/{project.id}/reviewers", data="user_id=1")
    assert response.status_code == 422


@pytest.mark.parametrize("body", [{"user_id": 1}, {"user_id": "x"},
                                  {"user_id": 1, "due_on": "never"}])
def test_assign_reviewer_without_open_round_is_409_before_any_422(api, session, workflow,
                                                                   body):
    project, _, boss = planted_reviewers(workflow)
    client = api(boss)
    assert client.post(f"/projects/{project.id}/transitions",
                       json={"trigger": "request_safeguards"}).status_code == 200
    response = assign_as(client, project.id, {**body, "user_id": reviewer().id}
                         if body["user_id"] == 1 else body)
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "This project has no open review round "
                                                    "now."}]}


# --- GET /projects/{id}/reviewers ------------------------------------------------------------

def test_list_reviewers_filters_by_q_and_shows_load_assigned_and_conflict(
        api, session, workflow):
    owner = UserFactory(organisation="Alignment Lab")
    project = project_in_review(workflow, owner=owner)
    elsewhere = project_in_review(workflow)
    busy = reviewer(name="Quill Busy", email="quill.busy@reviewers.test")
    idle = reviewer(name="Quill Idle", email="q.idle@reviewers.test")
    same_org = reviewer(name="Quill Colleague", email="qc@reviewers.test",
                        organisation="alignment lab")
    reviewer(name="Other Person", email="other@reviewers.test")
    assign(project, busy)
    assign(elsewhere, busy)
    done = reviewer(name="Quill Done", email="quill.done@reviewers.test")
    assign(elsewhere, done)
    submit(elsewhere, done)
    response = api(grantmaker()).get(f"/projects/{project.id}/reviewers?q=QUILL")
    assert response.status_code == 200
    assert response.json == {"round": 1, "items": [
        {"id": busy.id, "name": "Quill Busy", "email": "quill.busy@reviewers.test", "load": 2,
         "assigned": True, "conflict": None},
        {"id": same_org.id, "name": "Quill Colleague", "email": "qc@reviewers.test",
         "load": 0, "assigned": False,
         "conflict": "Quill Colleague works at the proposer's organisation (Alignment Lab)."},
        {"id": done.id, "name": "Quill Done", "email": "quill.done@reviewers.test", "load": 0,
         "assigned": False, "conflict": None},
        {"id": idle.id, "name": "Quill Idle", "email": "q.idle@reviewers.test", "load": 0,
         "assigned": False, "conflict": None},
    ]}


def test_list_reviewers_q_matches_email(api, session, workflow):
    project = project_in_review(workflow)
    target = reviewer(name="Plain Name", email="unusual.handle@reviewers.test")
    response = api(grantmaker()).get(f"/projects/{project.id}/reviewers?q=unusual.handle")
    assert response.status_code == 200
    assert [item["id"] for item in response.json["items"]] == [target.id]


def test_list_reviewers_q_wildcards_are_literal(api, session, workflow):
    project = project_in_review(workflow)
    reviewer(name="Percy Percent", email="percy@reviewers.test")
    response = api(grantmaker()).get(f"/projects/{project.id}/reviewers?q=%25")
    assert (response.status_code, response.json["items"]) == (200, [])


def test_list_reviewers_leaves_out_non_reviewers(api, session, workflow):
    project = project_in_review(workflow)
    UserFactory(roles=("builder",), name="Zed Builder")
    response = api(grantmaker()).get(f"/projects/{project.id}/reviewers?q=zed")
    assert (response.status_code, response.json["items"]) == (200, [])


def test_list_reviewers_as_proposer_or_reviewer_is_403(api, session, workflow):
    project = project_in_review(workflow)
    assigned = reviewer()
    assign(project, assigned)
    for user in (project.owner, assigned):
        response = api(user).get(f"/projects/{project.id}/reviewers")
        assert response.status_code == 403


# --- POST /projects/{id}/reviews -------------------------------------------------------------

def test_submit_review_is_201_then_200_on_edit(api, session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    client = api(user)
    risk_id = project.current_revision.risks[0].id
    body = review_data(stance="pessimistic", net_negative=True, rationale="Too risky.",
                       concern_categories=["capabilities"],
                       risk_scores=[{"risk_id": risk_id, "likelihood": 4, "severity": 3}],
                       suggested_safeguards=["Cap at five mentees."], confidence=4)
    response = client.post(f"/projects/{project.id}/reviews", json=body)
    assert response.status_code == 201
    assert response.json == {"round": 1, "version": 1, "stance": "pessimistic",
                             "net_negative": True, "rationale": "Too risky.",
                             "concern_categories": ["capabilities"],
                             "risk_scores": [{"risk_id": risk_id, "likelihood": 4,
                                              "severity": 3}],
                             "suggested_safeguards": ["Cap at five mentees."],
                             "confidence": 4, "expertise": "familiar"}
    response = client.post(f"/projects/{project.id}/reviews",
                           json={**body, "stance": "neutral", "confidence": 2})
    assert response.status_code == 200
    assert (response.json["version"], response.json["stance"],
            response.json["confidence"]) == (2, "neutral", 2)


def test_submit_review_net_negative_without_rationale_is_422(api, session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    body = {**review_data(net_negative=True), "rationale": ""}
    response = api(user).post(f"/projects/{project.id}/reviews", json=body)
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "rationale", "message": "Explain why the "
                                         "project could be net negative: a rationale is "
                                         "needed when you answer yes."}]}


def test_submit_review_as_grantmaker_is_403(api, session, workflow):
    project = project_in_review(workflow)
    response = api(grantmaker()).post(f"/projects/{project.id}/reviews", json=review_data())
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "Only reviewers assigned to the open round "
                                                    "can review this project."}]}


def test_submit_review_as_grantmaker_without_open_round_is_403(api, session, workflow):
    project, _, boss = planted_reviewers(workflow)
    client = api(boss)
    assert client.post(f"/projects/{project.id}/transitions",
                       json={"trigger": "request_safeguards"}).status_code == 200
    response = client.post(f"/projects/{project.id}/reviews", json=review_data())
    assert response.status_code == 403


def test_submit_review_by_reviewer_after_round_closed_is_409(api, session, workflow):
    project, users, boss = planted_reviewers(workflow)
    assert api(boss).post(f"/projects/{project.id}/transitions",
                          json={"trigger": "request_safeguards"}).status_code == 200
    response = api(users[0]).post(f"/projects/{project.id}/reviews",
                                  json=review_data(stance="pessimistic"))
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "This project has no open review round "
                                                    "now."}]}


def test_submit_review_by_unassigned_reviewer_is_404(api, session, workflow):
    project = project_in_review(workflow)
    response = api(reviewer()).post(f"/projects/{project.id}/reviews", json=review_data())
    assert response.status_code == 404


# --- GET /projects/{id}/rounds ---------------------------------------------------------------

def test_rounds_done_when_figures_through_the_api(api, session, workflow):
    project, _, boss = planted_reviewers(workflow)
    for user in (boss, project.owner):
        response = rounds(api(user), project.id)
        assert response.status_code == 200
        [entry] = response.json
        assert (entry["number"], entry["status"], entry["revision"], entry["n_reviews"],
                entry["concern_pct"], entry["optimism_pct"],
                entry["weighted_concern_pct"]) == (1, "open", 1, 3, 66.7, 66.7, 87.5)
        assert entry["categories"] == DONE_WHEN_CATEGORIES


def test_rounds_as_grantmaker_shows_assignments_with_names(api, session, workflow):
    project, users, boss = planted_reviewers(workflow, DONE_WHEN[:2])
    pending = reviewer(name="Penny Pending", email="penny@reviewers.test")
    assign(project, pending, by=boss)
    response = rounds(api(boss), project.id)
    assert response.status_code == 200
    [entry] = response.json
    assert set(entry) == ROUND_KEYS | {"assignments", "normalised"}
    assert [(a["reviewer"], a["status"], a["user"]) for a in entry["assignments"]] == [
        ("Reviewer A", "submitted",
         {"id": users[0].id, "name": users[0].name, "email": users[0].email}),
        ("Reviewer B", "submitted",
         {"id": users[1].id, "name": users[1].name, "email": users[1].email}),
        ("Reviewer C", "pending",
         {"id": pending.id, "name": "Penny Pending", "email": "penny@reviewers.test"}),
    ]
    assert [r["reviewer"] for r in entry["reviews"]] == ["Reviewer A", "Reviewer B"]
    assert {frozenset(r) for r in entry["reviews"]} == {frozenset(FULL_REVIEW_KEYS)}


def test_rounds_as_proposer_hides_every_reviewer_identity(api, session, workflow):
    project, users, _ = planted_reviewers(workflow)
    response = rounds(api(project.owner), project.id)
    assert response.status_code == 200
    [entry] = response.json
    assert set(entry) == ROUND_KEYS
    assert "assignments" not in entry
    assert [r["reviewer"] for r in entry["reviews"]] == ["Reviewer A", "Reviewer B",
                                                         "Reviewer C"]
    assert {frozenset(r) for r in entry["reviews"]} == {frozenset(ANONYMOUS_REVIEW_KEYS)}
    assert entry["reviews"][0]["rationale"] == "Alumni could join capabilities labs."
    assert entry["reviews"][0]["suggested_safeguards"] == [
        "Screen mentors for capabilities work."]
    assert not keys_anywhere(entry) & {"user", "user_id", "email", "name", "reviewer_id",
                                       "expertise", "submitted_at", "updated_at"}
    assert_no_identity(response.get_data(as_text=True), users)


def test_rounds_as_proposer_who_is_also_grantmaker_gets_the_proposer_view(
        api, session, workflow):
    owner = UserFactory(roles=("proposer", "grantmaker"))
    project, users, _ = planted_reviewers(workflow, owner=owner)
    response = rounds(api(owner), project.id)
    assert response.status_code == 200
    [entry] = response.json
    assert set(entry) == ROUND_KEYS
    assert {frozenset(r) for r in entry["reviews"]} == {frozenset(ANONYMOUS_REVIEW_KEYS)}
    assert_no_identity(response.get_data(as_text=True), users)


def test_rounds_as_reviewer_before_submitting_hides_figures_and_others(api, session, workflow):
    project, users, boss = planted_reviewers(workflow, DONE_WHEN[:2])
    late = reviewer(name="Lena Late")
    assign(project, late, by=boss)
    response = rounds(api(late), project.id)
    assert response.status_code == 200
    [entry] = response.json
    assert entry["figures_hidden"] is True
    assert entry["my_letter"] == "C"
    assert (entry["concern_pct"], entry["optimism_pct"], entry["weighted_concern_pct"],
            entry["categories"], entry["disagreement"]) == (None, None, None, None, None)
    assert entry["reviews"] == []
    assert [(a["reviewer"], a["status"]) for a in entry["assignments"]] == [
        ("Reviewer C", "pending")]
    assert "user" not in entry["assignments"][0]
    assert_no_identity(response.get_data(as_text=True), users)


def test_rounds_as_reviewer_after_submitting_shows_others_as_letters(api, session, workflow):
    project, users, boss = planted_reviewers(workflow, DONE_WHEN[:2])
    late = reviewer(name="Lena Late")
    assign(project, late, by=boss)
    client = api(late)
    assert client.post(f"/projects/{project.id}/reviews",
                       json=review_data(**DONE_WHEN[2])).status_code == 201
    response = rounds(client, project.id)
    assert response.status_code == 200
    [entry] = response.json
    assert "figures_hidden" not in entry
    assert (entry["n_reviews"], entry["concern_pct"], entry["optimism_pct"]) == (3, 66.7, 66.7)
    assert entry["categories"] == DONE_WHEN_CATEGORIES
    assert [r["reviewer"] for r in entry["reviews"]] == ["Reviewer A", "Reviewer B",
                                                         "Reviewer C"]
    assert [r["stance"] for r in entry["reviews"]] == ["optimistic", "optimistic", "neutral"]
    assert not keys_anywhere(entry) & {"user", "user_id", "email", "name", "reviewer_id"}
    assert_no_identity(response.get_data(as_text=True), users)


def test_rounds_of_another_project_as_unassigned_reviewer_is_404(api, session, workflow):
    project = project_in_review(workflow)
    assert rounds(api(reviewer()), project.id).status_code == 404
    assert rounds(api(grantmaker()), 2_000_000_000).status_code == 404


def test_rounds_as_conflicted_grantmaker_is_403(api, session, workflow):
    project, _, _ = planted_reviewers(workflow)
    client = api(grantmaker())
    response = client.post(f"/projects/{project.id}/conflicts",
                           json={"kind": "funder_relationship", "note": "  I fund them.  "})
    assert response.status_code == 201
    assert response.json == {"kind": "funder_relationship", "note": "I fund them."}
    response = rounds(client, project.id)
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "You declared a conflict of interest with "
                                                    "this project, so its reviews, figures and "
                                                    "reviewers are hidden from you."}]}


def test_declare_conflict_as_reviewer_withdraws_and_hides_the_project(api, session, workflow):
    project, users, boss = planted_reviewers(workflow)
    client = api(users[0])
    response = client.post(f"/projects/{project.id}/conflicts", json={"kind": "personal"})
    assert (response.status_code, response.json) == (201, {"kind": "personal", "note": ""})
    assert rounds(client, project.id).status_code == 404
    assert client.get(f"/projects/{project.id}").status_code == 404
    [entry] = rounds(api(boss), project.id).json
    assert [a["status"] for a in entry["assignments"]] == ["withdrawn", "submitted",
                                                           "submitted"]
    assert (entry["n_reviews"], entry["concern_pct"], entry["optimism_pct"]) == (2, 50.0, 50.0)


def test_declare_conflict_bad_kind_is_422(api, session, workflow):
    project = project_in_review(workflow)
    response = api(grantmaker()).post(f"/projects/{project.id}/conflicts",
                                      json={"kind": "rivalry"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "kind"


@pytest.mark.parametrize("kind", ["personal", "rivalry"])
def test_declare_conflict_as_proposer_is_409_whatever_the_kind(api, session, workflow, kind):
    project = project_in_review(workflow)
    response = api(project.owner).post(f"/projects/{project.id}/conflicts",
                                       json={"kind": kind})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "You proposed this project; proposers "
                                                    "never review their own."}]}


# --- closing the round -----------------------------------------------------------------------

def test_request_safeguards_with_two_reviews_is_422(api, session, workflow):
    project, _, boss = planted_reviewers(workflow, DONE_WHEN[:2])
    client = api(boss)
    response = client.post(f"/projects/{project.id}/transitions",
                           json={"trigger": "request_safeguards"})
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Round 1 has 2 submitted reviews; at "
                                                    "least 3 are needed."}]}
    assert client.get(f"/projects/{project.id}").json["state"] == "review"


def test_request_safeguards_with_three_reviews_closes_round_with_frozen_figures(
        api, session, workflow):
    project, _, boss = planted_reviewers(workflow)
    client = api(boss)
    response = client.post(f"/projects/{project.id}/transitions",
                           json={"trigger": "request_safeguards"})
    assert (response.status_code, response.json["state"]) == (200, "revision")
    [entry] = rounds(client, project.id).json
    assert (entry["status"], entry["n_reviews"], entry["concern_pct"], entry["optimism_pct"],
            entry["categories"]) == ("closed", 3, 66.7, 66.7, DONE_WHEN_CATEGORIES)
    assert entry["closed_at"] is not None


# --- no reviewer identity in any JSON response the proposer gets -----------------------------

def test_proposer_json_responses_contain_no_reviewer_identity(app, api, session, workflow):
    project, users, boss = planted_reviewers(workflow)
    client = api(project.owner)
    paths = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and "GET" in rule.methods:
            path = re.sub(r"<(?:[a-z]+:)?project_id>", str(project.id),
                          rule.rule.removeprefix("/api/v1"))
            if "<" not in path:
                paths.add(path)
    assert {f"/projects/{project.id}/rounds", f"/projects/{project.id}"} <= paths
    for phase in ("open", "closed"):
        for path in sorted(paths):
            response = client.get(path)
            assert response.status_code < 500, path
            assert_no_identity(response.get_data(as_text=True), users)
        if phase == "open":
            assert api(boss).post(f"/projects/{project.id}/transitions",
                                  json={"trigger": "request_safeguards"}).status_code == 200


# --- the OpenAPI document --------------------------------------------------------------------

REVIEW_OPERATIONS = {("/projects/{project_id}/reviewers", "get"),
                     ("/projects/{project_id}/reviewers", "post"),
                     ("/projects/{project_id}/reviews", "post"),
                     ("/projects/{project_id}/rounds", "get"),
                     ("/projects/{project_id}/conflicts", "post")}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_openapi_documents_every_review_route(app, document):
    registered = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint.split(".")[1] in {
                "list_reviewers", "assign", "submit_review", "rounds", "declare_conflict"}:
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}",
                          rule.rule.removeprefix("/api/v1"))
            registered |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert registered == REVIEW_OPERATIONS
    documented = {(path, method) for path, item in document["paths"].items()
                  for method in item if method != "parameters"}
    assert documented >= REVIEW_OPERATIONS


def test_openapi_review_operations_list_their_status_codes(document):
    paths = document["paths"]
    codes = {(path, method): set(paths[path][method]["responses"])
             for path, method in REVIEW_OPERATIONS}
    assert codes == {
        ("/projects/{project_id}/reviewers", "get"): {"200", "401", "403", "404"},
        ("/projects/{project_id}/reviewers", "post"): {"201", "401", "403", "404", "409",
                                                       "422"},
        ("/projects/{project_id}/reviews", "post"): {"200", "201", "401", "403", "404", "409",
                                                     "422"},
        ("/projects/{project_id}/rounds", "get"): {"200", "401", "403", "404"},
        ("/projects/{project_id}/conflicts", "post"): {"201", "401", "404", "409", "422"},
    }


def test_openapi_review_body_is_the_review_in_schema(document):
    schemas = document["components"]["schemas"]
    operation = document["paths"]["/projects/{project_id}/reviews"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReviewIn"}
    review_in = schemas["ReviewIn"]
    assert set(review_in["properties"]) == {"stance", "net_negative", "rationale",
                                            "concern_categories", "risk_scores",
                                            "suggested_safeguards", "confidence", "expertise",
                                            "no_conflict"}
    assert set(review_in["required"]) == {"stance", "net_negative", "confidence",
                                          "no_conflict"}
    assert review_in["additionalProperties"] is False
    assert "RiskScore" in schemas


def test_openapi_rounds_schema_matches_the_response(api, document, session, workflow):
    schemas = document["components"]["schemas"]
    operation = document["paths"]["/projects/{project_id}/rounds"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"type": "array", "items": {"$ref": "#/components/schemas/Round"}}
    project, _, boss = planted_reviewers(workflow)
    [entry] = rounds(api(boss), project.id).json
    assert set(schemas["Round"]["required"]) <= set(entry)
    assert set(entry) <= set(schemas["Round"]["properties"])
    assert set(entry["reviews"][0]) <= set(schemas["RoundReview"]["properties"])
    assert set(entry["assignments"][0]) <= set(schemas["RoundAssignment"]["properties"])


def body_schema(document, path: str) -> dict[str, Any]:
    """The request body schema of POST `path`, its $ref resolved."""
    schema = document["paths"][path]["post"]["requestBody"]["content"]["application/json"][
        "schema"]
    return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]


def test_openapi_assign_and_conflict_bodies_name_their_fields(document):
    schema = body_schema(document, "/projects/{project_id}/reviewers")
    assert schema["required"] == ["user_id"]
    assert set(schema["properties"]) == {"user_id", "due_on"}
    schema = body_schema(document, "/projects/{project_id}/conflicts")
    assert schema["required"] == ["kind"]
    assert schema["properties"]["kind"]["enum"] == [
        "recent_collaborator", "advisor_advisee", "same_organisation", "personal",
        "funder_relationship", "other"]
    assert json.dumps(document)  # the whole document is plain JSON


def test_submit_fired_by_assigned_reviewer_is_403(api, session, workflow):
    """The issue's "a reviewer firing submit → 403": the role check answers before the state
    check (CONTRACT.md's order 401, 404, 403, 409, 422), so the reviewer, who can see the
    project, is told it is not their step, not that the step is unavailable."""

    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    response = api(user).post(f"/projects/{project.id}/transitions",
                              json={"trigger": "submit"})
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "'Submit proposal' can be done by: owner."}]}
