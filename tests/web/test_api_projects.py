"""The JSON API as a script sees it: authentication, visibility, lists, edits, triggers."""

from sqlalchemy import select

from reviewtool.enums import CATALOGUES
from reviewtool.models import Project, Revision
from tests.factories import COMPLETE, EMPTY, PASSWORD, ProjectFactory, UserFactory

PROJECT_KEYS = ["id", "state", "version", "title", "project_type", "owner", "updated_at",
                "created_at", "revision", "risk_model", "allowed_triggers"]
REVISION_KEYS = ["number", "submitted_at", "title", "summary", "project_type", "work_groups",
                 "activity", "outcomes", "roles_needed", "location", "budget", "timeline"]
MISSING_ALL = [
    "Title is missing.",
    "Summary is missing.",
    "Project type is missing.",
    "Target outcomes are missing: name at least one and how you would measure it.",
    "Roles needed are missing: name at least one profession or skill.",
]


def stored_title(session, project_id: int) -> str:
    """The title of the project's current revision as the database holds it now."""
    session.expire_all()
    return session.scalar(select(Revision.title).where(Revision.project_id == project_id,
                                                       Revision.is_current))


# --- authentication ---------------------------------------------------------------------------

def test_me_without_token_is_401(client, session):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json == {"errors": [{"message": "Sign in first: send an 'Authorization: "
                                                    "Bearer <token>' header."}]}


def test_me_with_garbage_token_is_401(client, session):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer rt_not-a-token"})
    assert response.status_code == 401
    assert response.json == {"errors": [{"message": "That API token is not valid (revoked, "
                                                    "expired, mistyped or unknown)."}]}


def test_me_with_basic_scheme_is_401(client, session):
    response = client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert response.status_code == 401
    assert list(response.json) == ["errors"]


def test_projects_without_token_is_401_even_for_missing_project(client, session):
    response = client.get("/api/v1/projects/999999")
    assert response.status_code == 401


def test_me_returns_the_caller(api, session):
    user = UserFactory(roles=("proposer", "reviewer"))
    response = api(user).get("/me")
    assert response.status_code == 200
    assert response.json == {"id": user.id, "email": user.email, "name": user.name,
                             "roles": ["proposer", "reviewer"]}


# --- tokens -----------------------------------------------------------------------------------

def test_tokens_with_wrong_password_is_401(client, session):
    user = UserFactory()
    response = client.post("/api/v1/tokens", json={"email": user.email,
                                                   "password": "wrong-password"})
    assert response.status_code == 401
    assert response.json == {"errors": [{"message": "Wrong email or password."}]}


def test_tokens_with_unknown_email_is_401(client, session):
    response = client.post("/api/v1/tokens", json={"email": "nobody@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 401
    assert response.json == {"errors": [{"message": "Wrong email or password."}]}


def test_tokens_with_right_password_is_201_and_token_works(client, session):
    user = UserFactory()
    response = client.post("/api/v1/tokens", json={"email": user.email.upper(),
                                                   "password": PASSWORD})
    assert response.status_code == 201
    assert list(response.json) == ["token", "user", "id", "name", "created_at", "last_used_at",
                                   "expires_at"]
    assert response.json["user"] == {"id": user.id, "email": user.email, "name": user.name,
                                     "roles": ["proposer"]}
    token = response.json["token"]
    assert token.startswith("rt_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["id"] == user.id


def test_tokens_with_non_string_password_is_422(client, session):
    user = UserFactory()
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": 12345678})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "email", "message": "Send 'email' and "
                                         "'password' as strings."}]}


def test_tokens_with_non_json_body_is_422(client, session):
    response = client.post("/api/v1/tokens", data="email=a&password=b",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Send a JSON object as the request body "
                                         "(with 'Content-Type: application/json')."}]}


# --- visibility: someone else's project is a 404 ----------------------------------------------

def test_get_other_proposers_project_is_404(api, session):
    project = ProjectFactory()
    response = api(UserFactory()).get(f"/projects/{project.id}")
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": f"Project {project.id} not found."}]}


def test_patch_other_proposers_project_is_404_and_unchanged(api, session):
    project = ProjectFactory()
    response = api(UserFactory()).patch(f"/projects/{project.id}",
                                        json={"version": 1, "title": "Hijacked"})
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": f"Project {project.id} not found."}]}
    assert stored_title(session, project.id) == COMPLETE["title"]


def test_transition_on_other_proposers_project_is_404(api, session):
    project = ProjectFactory()
    response = api(UserFactory()).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "withdraw"})
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": f"Project {project.id} not found."}]}
    session.refresh(project)
    assert project.state == "draft"


def test_history_of_other_proposers_project_is_404(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(UserFactory()).get(f"/projects/{project.id}/history")
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": f"Project {project.id} not found."}]}


def test_get_missing_project_is_404(api, session):
    response = api(UserFactory()).get("/projects/987654")
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": "Project 987654 not found."}]}


def test_get_draft_as_grantmaker_is_404(api, session):
    project = ProjectFactory()
    response = api(UserFactory(roles=("grantmaker",))).get(f"/projects/{project.id}")
    assert response.status_code == 404


def test_get_risk_model_project_as_grantmaker_has_no_triggers(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(UserFactory(roles=("grantmaker",))).get(f"/projects/{project.id}")
    assert response.status_code == 200
    assert response.json["state"] == "risk_model"
    assert response.json["allowed_triggers"] == []


# --- create -----------------------------------------------------------------------------------

def test_create_project_as_reviewer_is_403(api, session):
    response = api(UserFactory(roles=("reviewer",))).post("/projects", json=COMPLETE)
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "This needs the proposer role."}]}
    assert session.scalars(select(Project)).all() == []


def test_create_project_returns_201_with_documented_keys(api, session):
    owner = UserFactory()
    response = api(owner).post("/projects", json=COMPLETE)
    assert response.status_code == 201
    body = response.json
    assert list(body) == PROJECT_KEYS
    assert list(body["revision"]) == REVISION_KEYS
    assert body["state"] == "draft"
    assert body["version"] == 1
    assert body["title"] == COMPLETE["title"]
    assert body["project_type"] == "fellowship_mentoring"
    assert body["owner"] == {"id": owner.id, "name": owner.name}
    assert body["revision"]["number"] == 1
    assert body["revision"]["submitted_at"] is None
    assert {k: body["revision"][k] for k in COMPLETE} == COMPLETE
    assert body["allowed_triggers"] == ["submit", "withdraw"]
    assert body["created_at"].endswith("Z")
    assert session.get(Project, body["id"]).owner_id == owner.id


def test_create_project_with_empty_object_is_422_asking_for_a_title(api, session):
    response = api(UserFactory()).post("/projects", json={})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "title", "message": "title: give the "
                                         "proposal a title to start a draft (everything else "
                                         "can wait)."}]}


def test_create_project_with_title_only_is_a_draft(api, session):
    response = api(UserFactory()).post("/projects", json={"title": "Just an idea"})
    assert response.status_code == 201
    assert (response.json["title"], response.json["revision"]["roles_needed"]) == (
        "Just an idea", [])


def test_create_project_with_unknown_field_and_bad_type_lists_both(api, session):
    response = api(UserFactory()).post("/projects", json={"colour": "red", "title": 5})
    assert response.status_code == 422
    assert response.json == {"errors": [
        {"field": "title", "message": "title should be text."},
        {"field": "colour", "message": "colour is not a known field."},
    ]}


def test_create_project_with_unknown_catalogue_key_is_422(api, session):
    response = api(UserFactory()).post("/projects", json={"project_type": "space_program"})
    assert response.status_code == 422
    assert response.json == {"errors": [
        {"field": "project_type", "message": "project_type: 'space_program' is not one of "
                                             "the project types."},
        {"field": "title", "message": "title: give the proposal a title to start a draft "
                                      "(everything else can wait)."}]}


def test_create_project_with_non_json_body_is_422(api, session):
    response = api(UserFactory()).post("/projects", data="title=x", content_type="text/plain")
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Send a JSON object as the request body "
                                         "(with 'Content-Type: application/json')."}]}
    assert session.scalars(select(Project)).all() == []


def test_create_project_with_json_array_is_422(api, session):
    response = api(UserFactory()).post("/projects", json=[COMPLETE])
    assert response.status_code == 422


def test_create_project_with_malformed_json_is_422(api, session):
    response = api(UserFactory()).post("/projects", data="{not json",
                                       content_type="application/json")
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Send a JSON object as the request body "
                                         "(with 'Content-Type: application/json')."}]}


# --- list and pagination ----------------------------------------------------------------------

def test_list_projects_per_page_2_of_3(api, session):
    owner = UserFactory()
    projects = [ProjectFactory(owner=owner) for _ in range(3)]
    ProjectFactory()  # someone else's: never counted
    response = api(owner).get("/projects?per_page=2")
    assert response.status_code == 200
    assert list(response.json) == ["items", "page", "per_page", "total"]
    assert response.json["total"] == 3
    assert response.json["page"] == 1
    assert response.json["per_page"] == 2
    assert [p["id"] for p in response.json["items"]] == [projects[2].id, projects[1].id]
    assert list(response.json["items"][0]) == ["id", "state", "version", "title",
                                               "project_type", "owner", "updated_at"]


def test_list_projects_second_page_has_the_rest(api, session):
    owner = UserFactory()
    projects = [ProjectFactory(owner=owner) for _ in range(3)]
    response = api(owner).get("/projects?per_page=2&page=2")
    assert response.status_code == 200
    assert [p["id"] for p in response.json["items"]] == [projects[0].id]
    assert response.json["total"] == 3


def test_list_projects_page_past_the_end_is_empty(api, session):
    owner = UserFactory()
    for _ in range(3):
        ProjectFactory(owner=owner)
    response = api(owner).get("/projects?per_page=2&page=3")
    assert response.status_code == 200
    assert response.json == {"items": [], "page": 3, "per_page": 2, "total": 3}


def test_list_projects_default_per_page_is_20(api, session):
    response = api(UserFactory()).get("/projects")
    assert response.status_code == 200
    assert response.json == {"items": [], "page": 1, "per_page": 20, "total": 0}


def test_list_projects_per_page_100_is_accepted(api, session):
    response = api(UserFactory()).get("/projects?per_page=100")
    assert response.status_code == 200
    assert response.json["per_page"] == 100


def test_list_projects_per_page_101_is_422(api, session):
    response = api(UserFactory()).get("/projects?per_page=101")
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "per_page", "message": "per_page must be a "
                                         "whole number from 1 to 100."}]}


def test_list_projects_page_0_is_422(api, session):
    response = api(UserFactory()).get("/projects?page=0")
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "page", "message": "page must be a whole "
                                         "number from 1 to 1000000."}]}


def test_list_projects_non_numeric_page_is_422(api, session):
    response = api(UserFactory()).get("/projects?page=-1")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "page"


def test_list_projects_state_filter(api, session):
    owner = UserFactory()
    ProjectFactory(owner=owner)
    submitted = ProjectFactory(owner=owner, state="risk_model")
    response = api(owner).get("/projects?state=risk_model")
    assert response.status_code == 200
    assert response.json["total"] == 1
    assert [p["id"] for p in response.json["items"]] == [submitted.id]
    assert response.json["items"][0]["state"] == "risk_model"


def test_list_projects_unknown_state_is_422(api, session):
    response = api(UserFactory()).get("/projects?state=bogus")
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "state", "message": "Unknown state 'bogus'."}]}


def test_list_projects_type_filter(api, session):
    owner = UserFactory()
    mentoring = ProjectFactory(owner=owner)
    ProjectFactory(owner=owner, proposal={**COMPLETE, "project_type": "events"})
    response = api(owner).get("/projects?type=fellowship_mentoring")
    assert response.status_code == 200
    assert [p["id"] for p in response.json["items"]] == [mentoring.id]
    assert response.json["total"] == 1


def test_list_projects_as_grantmaker_hides_drafts(api, session):
    ProjectFactory()
    submitted = ProjectFactory(state="risk_model")
    response = api(UserFactory(roles=("grantmaker",))).get("/projects")
    assert [p["id"] for p in response.json["items"]] == [submitted.id]
    assert response.json["total"] == 1


# --- edit -------------------------------------------------------------------------------------

def test_patch_with_current_version_changes_title_and_bumps_version(api, session):
    project = ProjectFactory()
    response = api(project.owner).patch(f"/projects/{project.id}",
                                        json={"version": 1, "title": "New title"})
    assert response.status_code == 200
    assert response.json["title"] == "New title"
    assert response.json["version"] == 2
    assert response.json["revision"]["summary"] == COMPLETE["summary"]
    assert stored_title(session, project.id) == "New title"


def test_patch_with_stale_version_is_409_and_nothing_changed(api, session):
    project = ProjectFactory(version=3)
    response = api(project.owner).patch(f"/projects/{project.id}",
                                        json={"version": 2, "title": "Lost edit"})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "Someone else changed this project first; "
                                         "reload it and try again."}]}
    assert stored_title(session, project.id) == COMPLETE["title"]
    assert session.get(Project, project.id).version == 3


def test_patch_without_version_is_422(api, session):
    project = ProjectFactory()
    response = api(project.owner).patch(f"/projects/{project.id}", json={"title": "No version"})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "version", "message": "version: send the "
                                         "version you started from (an integer), so that no "
                                         "edit is lost."}]}
    assert stored_title(session, project.id) == COMPLETE["title"]


def test_patch_with_string_version_is_422(api, session):
    project = ProjectFactory()
    response = api(project.owner).patch(f"/projects/{project.id}",
                                        json={"version": "1", "title": "x"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "version"


def test_patch_in_withdrawn_state_is_409(api, session):
    project = ProjectFactory(state="withdrawn")
    response = api(project.owner).patch(f"/projects/{project.id}",
                                        json={"version": 1, "title": "Too late"})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "The proposal cannot be edited while the "
                                         "project is in 'withdrawn'."}]}
    assert stored_title(session, project.id) == COMPLETE["title"]


def test_patch_in_risk_model_state_is_allowed(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).patch(f"/projects/{project.id}",
                                        json={"version": 1, "budget": "USD 13,000"})
    assert response.status_code == 200
    assert response.json["revision"]["budget"] == "USD 13,000"


def test_patch_by_grantmaker_on_visible_project_is_403(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(UserFactory(roles=("grantmaker",))).patch(
        f"/projects/{project.id}", json={"version": 1, "title": "Meddling"})
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "Only the proposer can edit this project."}]}


def test_patch_with_non_json_body_is_422(api, session):
    project = ProjectFactory()
    response = api(project.owner).patch(f"/projects/{project.id}", data="version=1",
                                        content_type="text/plain")
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Send a JSON object as the request body "
                                         "(with 'Content-Type: application/json')."}]}


# --- transitions and history ------------------------------------------------------------------

def test_submit_incomplete_draft_lists_every_missing_field(api, session):
    project = ProjectFactory(proposal=EMPTY)
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "submit"})
    assert response.status_code == 422
    assert [e["message"] for e in response.json["errors"]] == MISSING_ALL
    session.refresh(project)
    assert project.state == "draft"
    assert project.version == 1


def test_submit_outcome_without_measure_names_it(api, session):
    proposal = {**COMPLETE, "outcomes": [{"outcome": "contributors", "measure": " "}]}
    project = ProjectFactory(proposal=proposal)
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "submit"})
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Outcome 'contributors' needs a measure."}]}


def test_submit_complete_draft_moves_to_risk_model(api, session):
    project = ProjectFactory()
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "submit", "comment": "Ready"})
    assert response.status_code == 200
    assert response.json["state"] == "risk_model"
    assert response.json["version"] == 2
    # The owner's triggers from risk_model (CONTRACT.md's workflow table); guards not evaluated.
    assert response.json["allowed_triggers"] == ["request_review", "withdraw"]


def test_submit_with_stale_version_is_409(api, session):
    project = ProjectFactory(version=2)
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "submit", "version": 1})
    assert response.status_code == 409
    session.refresh(project)
    assert project.state == "draft"


def test_submit_twice_is_409(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "submit"})
    assert response.status_code == 409
    assert response.json == {"errors": [{"message": "'Submit proposal' is not possible while "
                                         "the project is in 'risk_model'."}]}


def test_unknown_trigger_is_422(api, session):
    project = ProjectFactory()
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "launch"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "trigger"
    assert response.json["errors"][0]["message"].startswith("Unknown trigger 'launch'; known: ")


def test_withdraw_by_grantmaker_is_403(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(UserFactory(roles=("grantmaker",))).post(
        f"/projects/{project.id}/transitions", json={"trigger": "withdraw"})
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "'Withdraw' can be done by: owner."}]}


def test_history_after_submit_has_one_entry(api, session):
    project = ProjectFactory()
    client = api(project.owner)
    assert client.post(f"/projects/{project.id}/transitions",
                       json={"trigger": "submit", "comment": "  Ready  "}).status_code == 200
    response = client.get(f"/projects/{project.id}/history")
    assert response.status_code == 200
    assert len(response.json) == 1
    event = response.json[0]
    assert list(event) == ["at", "actor", "from", "to", "trigger", "comment",
                           "override_rationale"]
    assert event["actor"] == {"id": project.owner.id, "name": project.owner.name}
    assert (event["from"], event["to"], event["trigger"], event["comment"],
            event["override_rationale"]) == ("draft", "risk_model", "submit", "Ready", None)
    assert event["at"].endswith("Z")


def test_history_of_a_new_draft_is_empty(api, session):
    project = ProjectFactory()
    response = api(project.owner).get(f"/projects/{project.id}/history")
    assert response.status_code == 200
    assert response.json == []


# --- catalogues and users ---------------------------------------------------------------------

def test_catalogues_has_all_nine_with_key_and_label(api, session):
    response = api(UserFactory(roles=("reviewer",))).get("/catalogues")
    assert response.status_code == 200
    assert sorted(response.json) == sorted(CATALOGUES)
    assert set(response.json) == {"project_types", "work_groups", "activities", "outcomes",
                                  "professions", "skills", "risk_categories",
                                  "safeguard_types", "conflict_types"}
    for name, entries in response.json.items():
        assert entries, name
        for entry in entries:
            assert isinstance(entry["key"], str) and entry["key"], name
            assert isinstance(entry["label"], str) and entry["label"], name
    outcomes = [e["key"] for e in response.json["outcomes"]]
    assert outcomes == ["contributors", "contributions", "coordination"]
    assert {"key": "marketing_communications", "label": "Marketing and communications"}.items() \
        <= next(e for e in response.json["professions"]
                if e["key"] == "marketing_communications").items()


def test_users_as_proposer_is_403(api, session):
    response = api(UserFactory()).get("/users")
    assert response.status_code == 403
    assert response.json == {"errors": [{"message": "This needs the grantmaker or admin role."}]}


def test_users_as_grantmaker_lists_everyone(api, session):
    grantmaker = UserFactory(roles=("grantmaker",), name="Gina Grant")
    proposer = UserFactory(name="Paul Proposer")
    response = api(grantmaker).get("/users")
    assert response.status_code == 200
    assert response.json["total"] == 2
    assert response.json["items"] == [
        {"id": grantmaker.id, "email": grantmaker.email, "name": "Gina Grant",
         "roles": ["grantmaker"]},
        {"id": proposer.id, "email": proposer.email, "name": "Paul Proposer",
         "roles": ["proposer"]},
    ]


def test_users_role_filter(api, session):
    grantmaker = UserFactory(roles=("grantmaker",))
    reviewer = UserFactory(roles=("reviewer", "proposer"))
    UserFactory()
    response = api(grantmaker).get("/users?role=reviewer")
    assert response.status_code == 200
    assert [u["id"] for u in response.json["items"]] == [reviewer.id]
    assert response.json["total"] == 1


def test_users_q_filter_matches_name_case_insensitively(api, session):
    grantmaker = UserFactory(roles=("grantmaker",), name="Gina Grant")
    wanted = UserFactory(name="Zoë Zimmermann")
    UserFactory(name="Other Person")
    response = api(grantmaker).get("/users?q=zimmer")
    assert response.status_code == 200
    assert [u["id"] for u in response.json["items"]] == [wanted.id]


def test_users_q_filter_matches_email(api, session):
    grantmaker = UserFactory(roles=("grantmaker",))
    wanted = UserFactory(email="needle@haystack.example")
    response = api(grantmaker).get("/users?q=haystack")
    assert [u["id"] for u in response.json["items"]] == [wanted.id]


def test_users_unknown_role_filter_is_422(api, session):
    response = api(UserFactory(roles=("admin",))).get("/users?role=wizard")
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "role", "message": "Unknown role 'wizard'."}]}


def test_unknown_api_path_is_json_404(api, session):
    response = api(UserFactory()).get("/nothing-here")
    assert response.status_code == 404
    assert response.json == {"errors": [{"message": "There is nothing here, or you may not "
                                                    "see it."}]}


def test_wrong_method_is_json_405(api, session):
    response = api(UserFactory()).delete("/me")
    assert response.status_code == 405
    assert response.json == {"errors": [{"message": "That method is not allowed here."}]}


# --- input the databases cannot store: 422, never 500 -----------------------------------------

def test_create_project_with_nul_in_title_is_422(api, session):
    response = api(UserFactory()).post("/projects", json={"title": "a\x00b"})
    assert response.status_code == 422
    assert response.json == {"errors": [{"message": "Text may not contain NUL characters "
                                         "(\\u0000) or unpaired surrogates (\\ud800-\\udfff)."}]}
    assert session.scalars(select(Project)).all() == []


def test_create_project_with_lone_surrogate_is_422(api, session):
    response = api(UserFactory()).post("/projects", data='{"summary": "x\\ud800y"}',
                                       content_type="application/json")
    assert response.status_code == 422
    assert response.json["errors"][0]["message"].startswith("Text may not contain NUL")


def test_transition_with_nul_in_comment_is_422(api, session):
    project = ProjectFactory()
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "submit", "comment": "ok\x00"})
    assert response.status_code == 422
    session.refresh(project)
    assert project.state == "draft"


def test_transition_with_non_text_override_rationale_is_422(api, session):
    project = ProjectFactory()
    response = api(project.owner).post(f"/projects/{project.id}/transitions",
                                       json={"trigger": "submit", "override_rationale": []})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "override_rationale", "message":
                                         "override_rationale: write text of at most 10000 "
                                         "characters."}]}


def test_list_projects_with_nul_in_type_filter_drops_the_nul(api, session):
    owner = UserFactory()
    project = ProjectFactory(owner=owner)
    response = api(owner).get("/projects", query_string={"type": "fellowship\x00_mentoring"})
    assert response.status_code == 200
    assert [p["id"] for p in response.json["items"]] == [project.id]


def test_users_with_nul_in_q_drops_the_nul(api, session):
    admin = UserFactory(roles=("admin",), name="Ada Admin")
    response = api(admin).get("/users", query_string={"q": "ada\x00 adm"})
    assert response.status_code == 200
    assert [u["id"] for u in response.json["items"]] == [admin.id]


def test_no_token_with_nul_in_query_is_401(client, session):
    response = client.get("/api/v1/projects", query_string={"state": "\x00"})
    assert response.status_code == 401


def test_list_projects_superscript_page_is_422(api, session):
    response = api(UserFactory()).get("/projects", query_string={"page": "\u00b2"})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "page"


def test_list_projects_huge_page_is_422(api, session):
    response = api(UserFactory()).get("/projects", query_string={"page": "9" * 30})
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "page", "message": "page must be a whole "
                                         "number from 1 to 1000000."}]}


def test_list_projects_last_allowed_page_is_empty(api, session):
    response = api(UserFactory()).get("/projects?page=1000000&per_page=100")
    assert response.status_code == 200
    assert response.json == {"items": [], "page": 1000000, "per_page": 100, "total": 0}


# --- order of refusals: 403 and 409 answer before a 422 about the body ------------------------

def test_create_project_as_reviewer_with_bad_body_is_403(api, session):
    response = api(UserFactory(roles=("reviewer",))).post("/projects", data="x",
                                                          content_type="text/plain")
    assert response.status_code == 403


def test_patch_by_grantmaker_with_bad_body_is_403(api, session):
    project = ProjectFactory(state="risk_model")
    response = api(UserFactory(roles=("grantmaker",))).patch(f"/projects/{project.id}",
                                                             json=[{"title": 5}])
    assert response.status_code == 403


def test_patch_in_withdrawn_state_with_bad_body_is_409(api, session):
    project = ProjectFactory(state="withdrawn")
    response = api(project.owner).patch(f"/projects/{project.id}", json=["not", "an object"])
    assert response.status_code == 409


def test_patch_other_proposers_project_with_bad_body_is_404(api, session):
    project = ProjectFactory()
    response = api(UserFactory()).patch(f"/projects/{project.id}", data="x",
                                        content_type="text/plain")
    assert response.status_code == 404


def test_no_token_with_bad_body_is_401(client, session):
    project = ProjectFactory()
    response = client.patch(f"/api/v1/projects/{project.id}", data="x\x00",
                            content_type="text/plain")
    assert response.status_code == 401
