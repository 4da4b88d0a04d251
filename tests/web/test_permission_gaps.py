"""The gaps an outside probe found (issue "Hardening", D1-D6 and the alert recipients), each
shown closed: every test here failed before its fix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reviewtool import create_app
from reviewtool.models import OutboxMessage
from reviewtool.services.reviews import declare_conflict
from reviewtool.services.transitions import fire
from tests.conftest import SECRET
from tests.decision_factories import RATIONALE, at_decision, decide_go
from tests.factories import PASSWORD, ProjectFactory, UserFactory, grantmaker, reviewed
from tests.pilot_factories import ROUND_25, builder, observe, plan_data, running

MEMO_URLS = ("memo.html", "memo.pdf")


def conflicted(session, project):
    """A grantmaker who declared a conflict with `project`."""
    boss = grantmaker()
    declare_conflict(session, boss, project, "funder_relationship")
    return boss


# --- D1: a conflicted grantmaker reads no memo ----------------------------------------------

@pytest.mark.parametrize("name", MEMO_URLS)
def test_memo_draft_for_conflicted_grantmaker_is_403_in_api_and_page(name, api, login, session,
                                                                     workflow):
    journey = at_decision(workflow)
    boss = conflicted(session, journey.project)
    url = f"/projects/{journey.project.id}/{name}"
    response = api(boss).get(url)
    assert (response.status_code, response.json) == (403, {"errors": [{"message": (
        "You declared a conflict of interest with this project, so its memo is hidden from "
        "you.")}]})
    assert login(boss).get(url).status_code == 403


@pytest.mark.parametrize("name", MEMO_URLS)
def test_memo_stored_for_conflicted_grantmaker_is_403_and_page_has_no_links(name, api, login,
                                                                            session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    boss = conflicted(session, journey.project)
    url = f"/projects/{journey.project.id}/{name}"
    assert api(boss).get(url).status_code == 403
    page = login(boss).get(f"/projects/{journey.project.id}").get_data(as_text=True)
    assert ("memo.pdf" not in page, RATIONALE in page) == (True, True)


# --- D2: a conflicted grantmaker writes no pilot plan ---------------------------------------

def test_pilot_plan_put_by_conflicted_grantmaker_is_403_and_writes_nothing(api, session,
                                                                            workflow):
    project, _ = reviewed(workflow, ROUND_25)
    boss = conflicted(session, project)
    response = api(boss).put(f"/projects/{project.id}/pilot", json=plan_data(builder()))
    assert response.status_code == 403
    session.expire_all()
    assert project.pilot is None


def test_pilot_plan_page_for_conflicted_grantmaker_is_403(login, session, workflow):
    project, _ = reviewed(workflow, ROUND_25)
    boss = conflicted(session, project)
    assert login(boss).get(f"/projects/{project.id}/pilot/plan").status_code == 403


# --- D3: owning a project is a conflict for every grantmaker action on it --------------------

def proposer_grantmaker_project(workflow):
    owner = UserFactory(roles=("proposer", "grantmaker"))
    project, _ = reviewed(workflow, ROUND_25, owner=owner)
    return owner, project


def test_reviewer_candidates_for_proposer_grantmaker_of_own_project_is_403(api, workflow):
    owner, project = proposer_grantmaker_project(workflow)
    response = api(owner).get(f"/projects/{project.id}/reviewers")
    assert (response.status_code, response.json) == (403, {"errors": [{"message": (
        "You proposed this project, so you cannot manage its review or its pilot.")}]})


@pytest.mark.parametrize("trigger", ["skip_pilot", "request_safeguards", "no_go"])
def test_grantmaker_trigger_by_proposer_grantmaker_of_own_project_is_403(trigger, api, session,
                                                                          workflow):
    owner, project = proposer_grantmaker_project(workflow)
    client = api(owner)
    assert client.get(f"/projects/{project.id}").json["allowed_triggers"] == ["withdraw"]
    response = client.post(f"/projects/{project.id}/transitions",
                           json={"trigger": trigger, "comment": "Mine, so fine."})
    label = workflow.trigger(trigger).label
    assert (response.status_code, response.json) == (403, {"errors": [{"message": (
        f"You proposed this project, so you cannot '{label}' it.")}]})
    session.expire_all()
    assert project.state == "review"


def test_go_by_proposer_grantmaker_of_own_project_is_403(api, session, workflow):
    owner = UserFactory(roles=("proposer", "grantmaker"))
    journey = at_decision(workflow, owner=owner)
    response = api(owner).post(f"/projects/{journey.project.id}/transitions",
                               json={"trigger": "go", "comment": RATIONALE})
    assert response.status_code == 403
    session.expire_all()
    assert journey.project.state == "decision"


# --- D5: a version beyond the database's integers is stale, not a 500 -----------------------

@pytest.mark.parametrize("version", [2**31, 2**63, 10**30])
def test_risks_put_with_huge_version_is_409(version, api, session):
    project = ProjectFactory(state="risk_model")
    response = api(project.owner).put(f"/projects/{project.id}/risks",
                                      json={"risks": [], "not_applicable": [],
                                            "version": version})
    assert response.status_code == 409
    assert response.json["errors"][0]["message"] == ("Someone else changed this project "
                                                      "first; reload it and try again.")


# --- D6: deeply nested JSON is a 422 --------------------------------------------------------

@pytest.mark.parametrize("body", ["[" * 999 + "]" * 999, '{"a":' * 999 + "1" + "}" * 999,
                                  '{"a":' * 21 + "1" + "}" * 21])
def test_tokens_post_deeply_nested_body_is_422(body, client):
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json["errors"][0]["message"] in (
        "The JSON body is nested too deeply (at most 20 levels).",
        "Send a JSON object as the request body (with 'Content-Type: application/json').")


def test_project_post_body_of_thousand_brackets_is_422(api):
    client = api(UserFactory())
    response = client.post("/projects", data='{"title":' + "[" * 999 + "]" * 999 + "}",
                           content_type="application/json")
    assert response.json == {"errors": [{"message": "The JSON body is nested too deeply (at "
                                                    "most 20 levels)."}]}


# --- pilot alerts go only to grantmakers who may steer the project --------------------------

def test_pilot_alert_mail_skips_conflicted_grantmakers(session, workflow):
    project, gm, builder_user = running(workflow)
    boss = conflicted(session, project)
    other = grantmaker()
    observe(project, builder_user, "kill", 5)
    sent = {m.to_email for m in session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.startswith("Pilot alert: ")))}
    assert (gm.email in sent, other.email in sent, boss.email in sent) == (True, True, False)


# --- faults: a database that cannot be reached is a 503, not a 500 ---------------------------

@pytest.fixture
def unreachable(tmp_path):
    """An app whose database is a PostgreSQL server that is not there (a closed port)."""
    return create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                       "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing",
                       "INSTANCE_PATH": str(tmp_path)})


def test_api_with_unreachable_database_is_503_with_retry_after(unreachable):
    response = unreachable.test_client().get("/api/v1/me",
                                             headers={"Authorization": "Bearer rt_x"})
    assert (response.status_code, response.headers["Retry-After"], response.json) == (
        503, "5", {"errors": [{"message": "The database cannot be reached right now; nothing "
                                          "was saved. Try again in a moment."}]})


def test_page_with_unreachable_database_is_503_readable_page(app, unreachable, session):
    user = UserFactory()
    signed_in = app.test_client()
    signed_in.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = signed_in.get_cookie("session")
    other = unreachable.test_client()
    other.set_cookie("session", cookie.value)
    response = other.get("/")
    text = response.get_data(as_text=True)
    assert (response.status_code, response.headers["Retry-After"]) == (503, "5")
    assert "Unavailable for a moment" in text and "cannot be reached right now" in text


def test_https_base_url_sends_hsts(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/h.sqlite3", "SECRET_KEY": SECRET,
                      "REVIEWTOOL_ENV": "testing", "BASE_URL": "https://rt.example.org",
                      "INSTANCE_PATH": str(tmp_path)})
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_http_base_url_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_fire_as_grantmaker_on_foreign_project_still_allowed(api, session, workflow):
    """The D3 fix is about one's own project: another grantmaker still steers it."""
    _, project = proposer_grantmaker_project(workflow)
    response = api(grantmaker()).post(f"/projects/{project.id}/transitions",
                                      json={"trigger": "skip_pilot", "comment": "Untestable."})
    assert response.status_code == 200
    session.expire_all()
    fire(session, workflow, project, "go", actor=grantmaker(), comment="Fine.")
    session.expire_all()
    assert project.state == "go"
