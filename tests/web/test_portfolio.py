"""The portfolio: who may read it, its figures by type against a hand computation, the same
numbers on the page, in the API and in the CSVs, filters (and bad ones), conflicts left out,
a fixed number of SQL statements however many projects, and the project in context."""

from __future__ import annotations

from datetime import date, timedelta

from reviewtool.services.read.portfolio_tables import TABLES
from reviewtool.services.reviews import declare_conflict
from reviewtool.services.transitions import fire
from tests.factories import UserFactory, grantmaker, reviewer
from tests.portfolio_helpers import NEUTRAL, NN, OPTIMISTIC, agree, closed_project
from tests.queries import statements_for


def two_events(workflow):
    """A: 2 of 3 net negative, 1 of 3 optimistic; B: 1 of 4 net negative, 3 of 4 optimistic;
    C (communications, governance, coordination): 0 of 3, 3 of 3."""
    a = closed_project(workflow, [NN, NN, OPTIMISTIC], work_groups=("technical", "strategy"))
    b = closed_project(workflow, [NN, OPTIMISTIC, OPTIMISTIC, OPTIMISTIC])
    c = closed_project(workflow, [OPTIMISTIC] * 3, project_type="communications",
                       work_groups=("governance",), outcome="coordination")
    return a, b, c


def by_key(rows):
    return {r["key"]: r for r in rows}


def test_portfolio_by_type_pooled_and_mean_as_computed_by_hand(api, session, workflow):
    two_events(workflow)
    body = api(grantmaker()).get("/portfolio").json
    events = by_key(body["by_project_type"])["events"]
    # pooled: 3 of 7 net negative (42.9), 4 of 7 optimistic (57.1);
    # mean of projects: (66.7 + 25.0) / 2 = 45.85 -> 45.9 and (33.3 + 75.0) / 2 = 54.15 -> 54.2
    assert events == {"key": "events", "label": "Events and conferences", "projects": 2,
                      "reviews": 7, "optimism_pct": 57.1, "concern_pct": 42.9,
                      "mean_optimism_pct": 54.2, "mean_concern_pct": 45.9, "too_few": True}
    assert by_key(body["by_work_group"])["strategy"]["reviews"] == 3
    assert by_key(body["by_outcome"])["coordination"]["concern_pct"] == 0.0
    assert body["definitions"]["concern_pct"].startswith("Pooled")
    assert body["definitions"]["mean_concern_pct"].startswith("Mean of per-project")


def test_portfolio_page_api_and_csv_show_the_same_numbers(api, login, session, workflow):
    two_events(workflow)
    gm = grantmaker()
    body = api(gm).get("/portfolio").json
    client = login(gm)
    page = client.get("/portfolio")
    assert page.status_code == 200
    csvs = {name: client.get(f"/portfolio/{name}.csv").data for name in TABLES}
    assert agree(page.get_data(as_text=True), body, csvs) > 50


def test_portfolio_small_groups_are_flagged_on_the_page(login, session, workflow):
    two_events(workflow)
    html = login(grantmaker()).get("/portfolio").get_data(as_text=True)
    assert '<tr class="too-few">' in html and "(too few to compare)" in html
    assert 'role="img"' in html and "Optimism and concern by project type. Events and " \
        "conferences: Concern % (pooled) 42.9%" in html


def test_portfolio_filters_select_projects(api, session, workflow):
    a, _b, _c = two_events(workflow)
    client = api(grantmaker())
    assert client.get("/portfolio?project_type=communications").json["projects"] == 1
    assert client.get("/portfolio?work_group=strategy").json["projects"] == 1
    assert client.get("/portfolio?outcome=coordination").json["projects"] == 1
    assert client.get("/portfolio?state=decision").json["projects"] == 3
    assert client.get("/portfolio?state=go").json["projects"] == 0
    today, boss = date.today(), grantmaker()
    fire(session, workflow, a, "go", actor=boss, comment="Fund it.")
    assert client.get(f"/portfolio?decided_from={today}&decided_to={today}").json[
        "projects"] == 1
    assert client.get(f"/portfolio?decided_from={today + timedelta(days=1)}").json[
        "projects"] == 0


def test_portfolio_bad_filters_are_422_naming_each(api, login):
    response = api(grantmaker()).get("/portfolio?project_type=rockets&work_group=x&outcome=y"
                                     "&state=draft&decided_from=soon&decided_to=2026-13-01")
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == [
        "project_type", "work_group", "outcome", "state", "decided_from", "decided_to"]
    backwards = api(grantmaker()).get("/portfolio?decided_from=2026-02-01&decided_to=2026-01-01")
    assert backwards.json["errors"] == [{"field": "decided_to", "message": "decided_to: the "
                                         "end date is before decided_from."}]
    page = login(grantmaker()).get("/portfolio?decided_to=soon")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert 'value="soon"' in text and "decided_to: give a date like 2026-12-31." in text
    assert login(grantmaker()).get("/portfolio/by_outcome.csv?state=x").status_code == 422


def test_portfolio_is_for_grantmakers_and_admins(api, login):
    assert api(UserFactory(roles=("admin",))).get("/portfolio").status_code == 200
    assert api(UserFactory()).get("/portfolio?state=nonsense").status_code == 403  # 403 first
    client = login(reviewer())
    assert client.get("/portfolio").status_code == 403
    assert client.get("/portfolio/by_project_type.csv").status_code == 403
    assert "Portfolio" not in client.get("/").get_data(as_text=True)
    assert ">Portfolio</a>" in login(grantmaker()).get("/").get_data(as_text=True)
    assert login(grantmaker()).get("/portfolio/nothing.csv").status_code == 404


def test_portfolio_leaves_out_projects_the_viewer_declared_a_conflict_with(api, session,
                                                                          workflow):
    a, _, _ = two_events(workflow)
    boss = grantmaker()
    declare_conflict(session, boss, a, "other")
    body = api(boss).get("/portfolio").json
    assert (body["projects"], by_key(body["by_project_type"])["events"]["reviews"]) == (2, 4)
    assert api(grantmaker()).get("/portfolio").json["projects"] == 3


def test_portfolio_issues_the_same_number_of_statements_for_more_projects(
        app, api, login, session, workflow):
    gm = grantmaker()
    closed_project(workflow, [NN, OPTIMISTIC, NEUTRAL])
    page, json_api = login(gm), api(gm)
    few = statements_for(app, page, "/portfolio"), statements_for(app, json_api, "/portfolio")
    for kind in ("events", "communications", "career_advising", "events"):
        closed_project(workflow, [NN, OPTIMISTIC, OPTIMISTIC], project_type=kind)
    more = statements_for(app, page, "/portfolio"), statements_for(app, json_api, "/portfolio")
    assert more == few
    assert few[0] < 30, few


def test_project_page_shows_its_type_context_to_grantmakers_only(login, session, workflow):
    a, _b, c = two_events(workflow)
    for _ in range(2):
        closed_project(workflow, [OPTIMISTIC, OPTIMISTIC, OPTIMISTIC])
    html = login(grantmaker()).get(f"/projects/{a.id}").get_data(as_text=True)
    # the other events projects: concern 25.0, 0.0, 0.0 -> median 0%; optimism 75, 100, 100
    assert ("Concern 66.7% and optimism 33.3% in round 1 (3 reviews); median for Events and "
            "conferences: concern 0%, optimism 100% over 3 other projects.") in html
    owner_view = login(a.owner).get(f"/projects/{a.id}").get_data(as_text=True)
    assert "Compared with other projects of its type" not in owner_view
    small = login(grantmaker()).get(f"/projects/{c.id}").get_data(as_text=True)
    assert "too few other Communications and outreach projects to compare (0 other " \
        "projects with a closed round)." in small


def test_memo_says_how_the_project_compares_with_its_type(login, session, workflow):
    a, _, _ = two_events(workflow)
    html = login(grantmaker()).get(f"/projects/{a.id}/memo.html").get_data(as_text=True)
    assert "<tr><th>Compared with its type</th>" in html
    assert "too few other Events and conferences projects to compare (1 other project" in html
