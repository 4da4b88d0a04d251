"""The issue's "Done when" on the demo data: optimism and concern by type against a hand
computation, the page, the API and the CSVs agreeing on every table, and "does revising
help?" showing round 1 against the last round for every multi-round project.

The demo is loaded once per database for the whole module (it renders seven memos): the tests
only read it, and loading it again adds nothing, which the last test checks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reviewtool.demo import load_demo
from reviewtool.demo.portfolio import FAIR, SOCIETY, VIDEOS
from reviewtool.models import Project, ReviewRound
from reviewtool.services.accounts import find_user, issue_token
from reviewtool.services.read.portfolio_tables import TABLES
from tests.db_sessions import rolled_back_session
from tests.portfolio_helpers import agree, page_rows

GUS = "gus@longfund.example"


@pytest.fixture(scope="module")
def demo(app):
    """A session holding the demo, in a transaction rolled back after the module."""
    with rolled_back_session(app) as session:
        load_demo(session, app.extensions["reviewtool.workflow"])
        session.flush()
        yield session


@pytest.fixture
def portfolio_api(app, demo):
    """GET /api/v1/portfolio as Gus, the demo's grantmaker: the JSON body."""
    headers = {"Authorization": f"Bearer {issue_token(demo, find_user(demo, GUS))}"}
    return lambda: app.test_client().get("/api/v1/portfolio", headers=headers).json


@pytest.fixture
def gus(app, demo):
    """A test client signed in as Gus."""
    client = app.test_client()
    client.post("/login", data={"email": GUS, "password": "demo-password"})
    return client


def group(rows, key):
    row = next(r for r in rows if r["key"] == key)
    return (row["projects"], row["reviews"], row["concern_pct"], row["optimism_pct"],
            row["mean_concern_pct"], row["mean_optimism_pct"], row["too_few"])


def test_demo_portfolio_by_type_page_api_and_csv(portfolio_api, gus):
    body = portfolio_api()
    rows = body["by_project_type"]
    # Latest closed round of each events project (net negative / optimistic of n):
    #   hackathon 1/1 of 3, livestream 1/1 of 3, careers fair (round 2) 0/2 of 3,
    #   debate night 3/0 of 4 (75.0 / 0.0)
    # pooled 5/13 = 38.5, 4/13 = 30.8; means (33.3 + 33.3 + 0 + 75) / 4 = 35.4 and
    # (33.3 + 33.3 + 66.7 + 0) / 4 = 33.3
    assert group(rows, "events") == (4, 13, 38.5, 30.8, 35.4, 33.3, False)
    # study group 0/2 of 3, reading group 0/2 of 3, society (round 2) 0/4 of 4, circle 1/1
    # of 3: pooled 1/13 = 7.7, 9/13 = 69.2; means 33.3 / 4 = 8.3 and 266.7 / 4 = 66.7
    assert group(rows, "community_group") == (4, 13, 7.7, 69.2, 8.3, 66.7, False)
    assert group(rows, "career_advising") == (1, 3, 66.7, 66.7, 66.7, 66.7, True)
    assert group(rows, "communications") == (1, 3, 0.0, 66.7, 0.0, 66.7, True)
    decided = {r["key"]: r["go"] + r["no_go"] for r in body["decisions_by_type"]}
    assert decided["events"] >= 3 and decided["community_group"] >= 3
    page = gus.get("/portfolio")
    csvs = {name: gus.get(f"/portfolio/{name}.csv").data for name in TABLES}
    assert agree(page.get_data(as_text=True), body, csvs) > 300


def test_demo_does_revising_help_shows_every_multi_round_project(portfolio_api, gus, demo):
    multi = set(demo.scalars(
        select(ReviewRound.project_id).where(ReviewRound.status == "closed")
        .group_by(ReviewRound.project_id).having(func.count() >= 2)))
    assert len(multi) >= 3
    body = portfolio_api()
    effects = {r["title"]: (r["rounds"], r["first_concern_pct"], r["last_concern_pct"],
                            r["safeguards_added"]) for r in body["revision_effect"]}
    assert {r["project_id"] for r in body["revision_effect"]} == multi
    assert effects == {
        FAIR["title"]: (2, 66.7, 0.0, ["partnership", "supervisory_team"]),
        SOCIETY["title"]: (2, 33.3, 0.0, ["capped_participants"]),
        VIDEOS["title"]: (3, 66.7, 0.0, ["comms_review", "senior_signoff"])}
    html = gus.get("/portfolio").get_data(as_text=True)
    shown = {r["title"]: (r["first_concern_pct"], r["last_concern_pct"])
             for r in page_rows(html, "revision_effect")}
    assert shown == {title: (str(first), str(last))
                     for title, (_, first, last, _) in effects.items()}


def test_demo_disagreement_links_to_projects_and_pilots_and_decisions(portfolio_api, demo):
    body = portfolio_api()
    widest = body["disagreement"]["risks"][0]
    assert widest["spread"] == 24 and widest["description"]
    assert demo.get(Project, widest["project_id"]) is not None
    pilots = {r["key"]: r for r in body["pilots_by_type"]}["community_group"]
    # the study group (running), the reading group (finished after its end date) and the
    # study circle (finished early with its kill criterion breached)
    assert (pilots["pilots"], pilots["kill_breached"], pilots["stopped"]) == (3, 1, 1)
    events = {r["key"]: r for r in body["decisions_by_type"]}["events"]
    assert (events["go"], events["no_go"], events["recycle"]) == (1, 2, 0)
    videos = {r["key"]: r for r in body["decisions_by_type"]}["communications"]
    assert (videos["go"], videos["recycle"]) == (1, 1)


def test_demo_twice_adds_nothing(demo, workflow):
    count = demo.scalar(select(func.count()).select_from(Project))
    assert count > 0
    assert "0 projects added" in load_demo(demo, workflow)
    assert demo.scalar(select(func.count()).select_from(Project)) == count
