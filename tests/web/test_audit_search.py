"""Searching the audit trail: page and API, by project, user and date; account events for
admins only."""

from __future__ import annotations

from datetime import date, timedelta

from reviewtool.services.audit import record_account_event
from tests.factories import UserFactory, grantmaker, project_in_review


def trail(workflow, session):
    """Two projects in review (two moves each) and one account event."""
    first, second = project_in_review(workflow), project_in_review(workflow)
    record_account_event(session, "login_failed", email="nobody@example.org",
                         address="203.0.113.9")
    session.flush()
    return first, second


def test_audit_api_by_project_lists_its_moves_newest_first(api, session, workflow):
    first, _ = trail(workflow, session)
    response = api(grantmaker()).get(f"/audit?project={first.id}")
    assert response.status_code == 200
    body = response.json
    assert (body["total"], [(e["type"], e["what"], e["from"], e["to"]) for e in body["items"]]) \
        == (2, [("transition", "request_review", "risk_model", "review"),
                ("transition", "submit", "draft", "risk_model")])
    assert body["items"][0]["actor"] == {"id": first.owner.id, "name": first.owner.name}


def test_audit_api_for_grantmaker_shows_no_account_events(api, session, workflow):
    trail(workflow, session)
    body = api(grantmaker()).get("/audit").json
    assert (body["total"], {e["type"] for e in body["items"]}) == (4, {"transition"})


def test_audit_api_for_admin_shows_account_events_with_address(api, session, workflow):
    trail(workflow, session)
    body = api(UserFactory(roles=("admin",))).get("/audit").json
    accounts = [e for e in body["items"] if e["type"] == "account"]
    assert body["total"] == 5
    assert [(e["what"], e["user"], e["address"]) for e in accounts] == [
        ("login_failed", {"id": None, "name": "nobody@example.org"}, "203.0.113.9")]


def test_audit_api_by_user_and_dates(api, session, workflow):
    first, _ = trail(workflow, session)
    client = api(grantmaker())
    today = date.today()
    assert client.get(f"/audit?user={first.owner.id}").json["total"] == 2
    assert client.get(f"/audit?from={today}&to={today}").json["total"] == 4
    assert client.get(f"/audit?from={today + timedelta(days=1)}").json["total"] == 0


def test_audit_api_bad_filters_are_422_naming_each(api):
    response = api(grantmaker()).get("/audit?project=x&from=31-12-2026&to=2026-13-01")
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["project", "from", "to"]


def test_audit_api_for_proposer_is_403(api):
    assert api(UserFactory()).get("/audit").status_code == 403


def test_audit_page_filters_by_project_and_keeps_bad_input(login, session, workflow):
    first, _ = trail(workflow, session)
    page = login(grantmaker()).get(f"/audit?project={first.id}")
    text = page.get_data(as_text=True)
    assert (page.status_code, "2 events found" in text, "Request review" in text) == (
        200, True, True)
    bad = login(grantmaker()).get("/audit?to=soon")
    assert bad.status_code == 422
    assert 'value="soon"' in bad.get_data(as_text=True)
    assert "to: give a date like 2026-12-31." in bad.get_data(as_text=True)


def test_audit_page_for_reviewer_is_403_and_nav_has_no_link(login):
    client = login(UserFactory(roles=("reviewer",)))
    assert client.get("/audit").status_code == 403
    assert "Audit trail" not in client.get("/").get_data(as_text=True)
