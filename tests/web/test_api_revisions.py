"""Safeguard revisions through the JSON API: the issue's "Done when" (round 1 at 66.7 % →
safeguards → round 2 with less concern), frozen revisions, resubmit's guard, diffs and
"changes since your last review", the trajectory, taking a reviewer off, and openapi.json."""

from __future__ import annotations

import re
from pathlib import Path

from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.review_changes import changes_since_last_review
from tests.factories import grantmaker, project_in_review, review_data, reviewer

ROUND_1 = [
    {"net_negative": True, "stance": "optimistic", "confidence": 4,
     "concern_categories": ["participant_harm"], "rationale": "Pulls students out of PhDs.",
     "suggested_safeguards": ["Train advisors on when not to recommend a switch."]},
    {"net_negative": False, "stance": "optimistic", "confidence": 3},
    {"net_negative": True, "stance": "neutral", "confidence": 5,
     "concern_categories": ["capabilities", "participant_harm"],
     "rationale": "Advisees may join capabilities labs."},
]
ROUND_2 = [
    {"net_negative": False, "stance": "optimistic", "confidence": 4},
    {"net_negative": False, "stance": "optimistic", "confidence": 3},
    {"net_negative": True, "stance": "neutral", "confidence": 4,
     "concern_categories": ["capabilities"], "rationale": "Still some pull towards labs."},
]
SAFEGUARDS = [
    {"type": "supervisory_team", "description": "A supervisory team reviews each call.",
     "responsible": "Programme lead", "addresses": ["capabilities"],
     "concerns": [{"round": 1, "reviewer": "C"}], "residual_likelihood": 1,
     "residual_severity": 3},
    {"type": "pilot_testing", "description": "Five pilot calls first.", "responsible": "Ben",
     "addresses": ["participant_harm"], "concerns": [{"round": 1, "reviewer": "A"}],
     "residual_likelihood": 2, "residual_severity": 2},
]
# The new "Safeguards" section of the diff, word for word.
SAFEGUARDS_SECTION = ("[Supervisory team] A supervisory team reviews each call. (responsible: "
                      "Programme lead; addresses: Speeding up capabilities research; residual "
                      "1 x 3) [Pilot testing process] Five pilot calls first. (responsible: "
                      "Ben; addresses: Participant harm; residual 2 x 2)")
OLD_SUMMARY = "Pair **ten** early-career researchers with senior mentors for three months."
NEW_SUMMARY = "Pair **ten** early-career researchers with senior safety mentors for two months."


def round_one(api, workflow):
    """A project in review whose three reviewers submitted ROUND_1 through the API."""
    gm = grantmaker()
    project = project_in_review(workflow)
    users = [reviewer() for _ in ROUND_1]
    for user, fields in zip(users, ROUND_1, strict=True):
        assert api(gm).post(f"/projects/{project.id}/reviewers",
                            json={"user_id": user.id}).status_code == 201
        assert api(user).post(f"/projects/{project.id}/reviews",
                              json=review_data(**fields)).status_code == 201
    return project, users, gm


def fire(client, project_id: int, trigger: str):
    return client.post(f"/projects/{project_id}/transitions", json={"trigger": trigger})


def revised(api, workflow):
    """Round 1 closed, the revision written (a new summary, SAFEGUARDS) and resubmitted."""
    project, users, gm = round_one(api, workflow)
    owner = api(project.owner)
    assert fire(api(gm), project.id, "request_safeguards").json["state"] == "revision"
    response = owner.post(f"/projects/{project.id}/revisions",
                          json={"summary": NEW_SUMMARY, "safeguards": SAFEGUARDS})
    assert response.status_code == 201, response.json
    assert fire(owner, project.id, "resubmit").status_code == 200
    return project, users, gm


def test_done_when_round_2_shows_lower_concern_in_rounds_and_trajectory(api, workflow):
    project, users, gm = revised(api, workflow)
    for user, fields in zip(users, ROUND_2, strict=True):
        assert api(user).post(f"/projects/{project.id}/reviews",
                              json=review_data(**fields)).status_code == 201
    rounds = api(project.owner).get(f"/projects/{project.id}/rounds").json
    assert [(r["number"], r["status"], r["revision"], r["n_reviews"], r["concern_pct"],
             r["optimism_pct"]) for r in rounds] == [(1, "closed", 1, 3, 66.7, 66.7),
                                                     (2, "open", 2, 3, 33.3, 66.7)]
    trajectory = api(gm).get(f"/projects/{project.id}/trajectory").json
    figures = [(r["number"], r["concern_pct"], r["weighted_concern_pct"]) for r in
               trajectory["rounds"]]
    assert figures == [(1, 66.7, 75.0), (2, 33.3, 36.4)]
    assert [{c["category"]: c["concern_pct"] for c in r["categories"]}["participant_harm"]
            for r in trajectory["rounds"]] == [66.7, 0.0]
    assert [[(c["round"], c["letter"], c["net_negative"]) for c in person["rounds"]]
            for person in trajectory["reviewers"]] == [
        [(1, "A", True), (2, "A", False)], [(1, "B", False), (2, "B", False)],
        [(1, "C", True), (2, "C", True)]]


def test_trajectory_hides_reviewer_movement_from_the_proposer(api, workflow):
    project, _, _ = revised(api, workflow)
    body = api(project.owner).get(f"/projects/{project.id}/trajectory").json
    assert set(body) == {"rounds"}
    assert [r["number"] for r in body["rounds"]] == [1, 2]


def test_patch_submitted_revision_is_409_and_snapshot_unchanged(api, workflow):
    project, _, _ = revised(api, workflow)
    owner = api(project.owner)
    before = [owner.get(f"/projects/{project.id}/revisions/{n}").json for n in (1, 2)]
    version = owner.get(f"/projects/{project.id}").json["version"]
    patch = owner.patch(f"/projects/{project.id}", json={"title": "Changed", "version": version})
    assert patch.status_code == 409
    assert patch.json == {"errors": [{"message": "The proposal cannot be edited while the "
                                                 "project is in 'review'."}]}
    assert owner.put(f"/projects/{project.id}/risks", json={
        "risks": [], "not_applicable": [], "version": version}).status_code == 409
    after = [owner.get(f"/projects/{project.id}/revisions/{n}").json for n in (1, 2)]
    assert after == before
    assert [b["snapshot_sha256"] is not None and len(b["snapshot_sha256"]) == 64
            for b in after] == [True, True]
    assert (after[0]["summary"], after[1]["summary"]) == (OLD_SUMMARY, NEW_SUMMARY)


def test_post_revisions_in_wrong_state_is_409(api, workflow):
    project = project_in_review(workflow)
    response = api(project.owner).post(f"/projects/{project.id}/revisions",
                                       json={"safeguards": SAFEGUARDS})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "The proposal cannot be edited while the "
                                                    "project is in 'review'."}]}


def test_post_revisions_by_someone_else_is_403_or_404(api, workflow):
    project, _, gm = round_one(api, workflow)
    fire(api(gm), project.id, "request_safeguards")
    assert api(gm).post(f"/projects/{project.id}/revisions",
                        json={"safeguards": SAFEGUARDS}).status_code == 403
    assert api(reviewer()).post(f"/projects/{project.id}/revisions",
                                json={"safeguards": SAFEGUARDS}).status_code == 404


def test_resubmit_without_safeguard_for_flagged_category_is_422_naming_it(api, workflow):
    project, _, gm = round_one(api, workflow)
    owner = api(project.owner)
    fire(api(gm), project.id, "request_safeguards")
    owner.post(f"/projects/{project.id}/revisions", json={"safeguards": SAFEGUARDS[:1]})
    response = fire(owner, project.id, "resubmit")
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Reviewers flagged 'Participant harm' in "
                                                    "round 1 (66.7%): add a safeguard that "
                                                    "addresses it."}]}


def test_changes_since_last_review_shows_exactly_the_edited_words(api, workflow, session):
    project, users, _ = revised(api, workflow)
    changes = changes_since_last_review(session, users[0], project, load_catalogues(session))
    assert (changes["round"], changes["diff"]["from"], changes["diff"]["to"]) == (1, 1, 2)
    assert [s["section"] for s in changes["diff"]["sections"] if s["changed"]] == [
        "Summary", "Safeguards"]
    assert changes["words"] == {
        "inserted": ["safety", "two", *SAFEGUARDS_SECTION.split()],
        "removed": ["three"]}
    assert changes["previous_review"]["rationale"] == "Pulls students out of PhDs."


def test_diff_api_gives_word_ops_and_refuses_unknown_revisions(api, workflow):
    project, _, _ = revised(api, workflow)
    owner = api(project.owner)
    body = owner.get(f"/projects/{project.id}/diff?from=1&to=2").json
    summary = next(s for s in body["sections"] if s["section"] == "Summary")
    assert summary["ops"] == [
        {"op": "equal", "text": "Pair **ten** early-career researchers with senior"},
        {"op": "insert", "text": "safety"},
        {"op": "equal", "text": "mentors for"},
        {"op": "delete", "text": "three"},
        {"op": "insert", "text": "two"},
        {"op": "equal", "text": "months."}]
    assert owner.get(f"/projects/{project.id}/diff").json == body
    assert owner.get(f"/projects/{project.id}/diff?from=1&to=9").status_code == 404
    assert owner.get(f"/projects/{project.id}/diff?from=x").status_code == 422


def test_unassign_reviewer_is_204_before_a_review_and_409_after(api, workflow):
    project, users, gm = revised(api, workflow)
    assert api(gm).delete(f"/projects/{project.id}/reviewers/{users[0].id}").status_code == 204
    api(users[1]).post(f"/projects/{project.id}/reviews", json=review_data())
    refused = api(gm).delete(f"/projects/{project.id}/reviewers/{users[1].id}")
    assert refused.status_code == 409
    assert api(project.owner).delete(
        f"/projects/{project.id}/reviewers/{users[2].id}").status_code == 403


def test_openapi_documents_every_revisions_route(client):
    source = (Path(__file__).parents[2] / "reviewtool/api/revisions.py").read_text()
    routes = {(re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", path), method)
              for method, path in re.findall(r'@bp\.(get|post|put|patch|delete)\("([^"]+)"\)',
                                             source)}
    assert len(routes) == 5
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {(path, method) for path, method in routes if method in paths.get(path, {})} == routes
