"""Every page and every GET of the API, opened by every kind of user on projects that went
through two and three review rounds (a reviewer who has not yet reviewed the current round, a
reviewer added in round 2, a pilot after two rounds, a decision after it): never a 5xx.

The access matrix (test_access_matrix.py) opens every route in the nine single-round states;
this test adds the projects with several rounds, where the trajectory, "changes since your
last review" and carried-over reviewers come in. A GET route without a line in URLS fails."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from reviewtool.models import Alert, ApiToken
from reviewtool.services.accounts import issue_token
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.reviews import assign_reviewer
from reviewtool.services.revisions import save_revision
from reviewtool.services.transitions import fire
from tests import factories
from tests.access_data import build_access_data
from tests.db_sessions import rolled_back_session
from tests.decision_factories import SAFEGUARDS
from tests.factories import PASSWORD, _session, reviewer, submit
from tests.pilot_factories import observe, plan_data

# How each GET route's parameters are filled (project_id: the project under test).
URLS = {
    "/": None, "/projects": None, "/projects/new": None, "/audit": None, "/login": None,
    "/account": None, "/account/password": None, "/account/tokens": None,
    "/admin/users": None, "/admin/users/<int:user_id>": None, "/password/forgot": None,
    "/admin/users/invite": None, "/admin/workflow": None, "/admin/catalogues": None,
    "/admin/outbox": None, "/account/notifications": None,
    "/password/reset/<token>": None,
    "/api/v1/openapi.json": None, "/api/v1/me": None, "/api/v1/catalogues": None,
    "/api/v1/users": None, "/api/v1/audit": None, "/api/v1/projects": None,
    "/api/v1/tokens": None, "/queue": None, "/portfolio": None, "/portfolio/<table>.csv": None,
    "/exports/<table>.csv": None, "/exports/<table>.json": None, "/api/v1/portfolio": None,
    "/api/v1/exports/<table>.csv": None, "/api/v1/exports/<table>.json": None,
    "/consultations": None, "/consultations/new": None, "/panel": None, "/api/v1/panel": None,
    "/api/v1/consultations": None,
    "/calibration": None, "/calibration/forecasts.csv": None, "/api/v1/calibration": None,
    "/dashboard/assignments": None, "/dashboard/pilots": None,
}
# The project list's cursor pages (query strings, so not rules of the URL map).
CURSOR_PAGES = ("/projects?cursor=last", "/projects?whose=others&cursor=last",
                "/projects?whose=mine&state=review&cursor=last")
CONSULTATION = ("", "/results.csv", "/waves/new", "/waves/<int:number>/answer")
URLS.update({f"/consultations/<int:consultation_id>{tail}": None for tail in CONSULTATION})
URLS.update({f"/api/v1/consultations/<int:consultation_id>{tail}": None
             for tail in ("", "/results.csv", "/waves/<int:number>/answers")})
PROJECT_PAGES = ("", "/edit", "/risks/edit", "/safeguards", "/reviewers", "/review",
                 "/revisions", "/revisions/<int:number>", "/diff", "/pilot", "/pilot/plan",
                 "/pilot/observations", "/pilot/incidents", "/memo.pdf", "/memo.html",
                 "/forecasts")
PROJECT_API = ("", "/history", "/risks", "/reviewers", "/rounds", "/trajectory", "/revisions",
               "/revisions/<int:number>", "/diff", "/pilot", "/pilot/evaluation",
               "/memo.pdf", "/memo.html", "/forecasts")
URLS.update({f"/projects/<int:project_id>{tail}": "project" for tail in PROJECT_PAGES})
URLS.update({f"/api/v1/projects/<int:project_id>{tail}": "project" for tail in PROJECT_API})


def _rounds(data, workflow, count: int, *, then: str = "review"):
    """A project whose round `count` is open (or past it: `then` pilot / decision / go):
    the matrix's reviewer reviewed every round but the open one, a reviewer joined in round
    2, and safeguards answered each closed round."""
    session = _session()
    gm, owner = data.users["grantmaker"], data.users["owner"]
    project = factories.ProjectFactory(owner=owner)
    fire(session, workflow, project, "submit", actor=owner)
    factories.complete_risk_model(project.current_revision)
    fire(session, workflow, project, "request_review", actor=owner)
    others = [reviewer(), reviewer()]
    for user in (data.users["reviewer"], *others):
        assign_reviewer(session, gm, project, user.id)
    for number in range(1, count + 1):
        last = number == count
        if number == 2:
            assign_reviewer(session, gm, project, data.users["reviewer_round2"].id)
        done = (data.users["reviewer"], *others) if not last or then != "review" else others
        for user in done:
            submit(project, user, stance="optimistic", net_negative=number == 1)
        if last:
            break
        fire(session, workflow, project, "request_safeguards", actor=gm)
        save_revision(session, owner, project, {"safeguards": SAFEGUARDS},
                      load_catalogues(session))
        fire(session, workflow, project, "resubmit", actor=owner)
    if then == "review":
        return project
    save_plan(session, gm, project, plan_data(data.users["builder"]), load_catalogues(session))
    fire(session, workflow, project, "start_pilot", actor=gm)
    observe(project, data.users["builder"], "kill", 5)
    if then in ("decision", "go"):
        observe(project, data.users["builder"], "success", 12)
        fire(session, workflow, project, "finish_pilot", actor=data.users["builder"])
    if then == "go":
        fire(session, workflow, project, "go", actor=gm, comment="Fund the next cohort.")
    return project


@pytest.fixture(scope="module")
def every_page(app, db_kind) -> Iterator[dict]:
    """The people of the access matrix plus a reviewer added in round 2, and four projects
    with several rounds; tokens and signed-in cookies for each person."""
    if db_kind != "sqlite":
        pytest.skip("the pages do not depend on the database; SQLite keeps this fast")
    with rolled_back_session(app) as session:
        workflow = app.extensions["reviewtool.workflow"]
        data = build_access_data(workflow)
        data.users["reviewer_round2"] = reviewer(name="Rory Roundtwo")
        projects = {"two rounds, round 2 open": _rounds(data, workflow, 2),
                    "three rounds, round 3 open": _rounds(data, workflow, 3),
                    "pilot after two rounds": _rounds(data, workflow, 2, then="pilot"),
                    "go after two rounds": _rounds(data, workflow, 2, then="go")}
        tokens = {who: {"Authorization": f"Bearer {issue_token(session, user)}"}
                  for who, user in data.users.items()}
        session.flush()
        cookies = {}
        for who, user in data.users.items():
            client = app.test_client()
            client.post("/login", data={"email": user.email, "password": PASSWORD})
            cookies[who] = client.get_cookie("session").value
        alert = session.scalars(select(Alert.id)).first()
        yield {"data": data, "projects": projects, "tokens": tokens, "cookies": cookies,
               "alert": alert, "token_id": session.scalars(select(ApiToken.id)).first()}


def get_routes(app) -> set[str]:
    """Every GET rule of the URL map but the static files."""
    return {rule.rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static"}


def test_every_page_has_a_line_for_every_get_route(app):
    assert sorted(get_routes(app) ^ set(URLS)) == []


def test_every_page_every_user_on_projects_with_several_rounds_is_never_5xx(app, every_page):
    data, failures, opened = every_page["data"], [], 0
    people = ["anonymous", *data.users]
    for rule, kind in sorted(URLS.items()):
        targets = every_page["projects"].items() if kind == "project" else [("", None)]
        for label, project in targets:
            url = (rule.replace("<int:project_id>", str(project.id) if project else "")
                   .replace("<int:number>", "2").replace("<token>", "no-such-link")
                   .replace("<table>", "by_project_type" if rule.startswith("/portfolio/")
                            else "reviews")
                   .replace("<int:user_id>", str(data.users["reviewer"].id))
                   .replace("<int:consultation_id>", str(data.consultation_id)))
            for who in people:
                client = app.test_client()
                headers = {}
                if who != "anonymous":
                    if rule.startswith("/api/"):
                        headers = every_page["tokens"][who]
                    else:
                        client.set_cookie("session", every_page["cookies"][who])
                status = client.get(url, headers=headers).status_code
                opened += 1
                if status >= 500:
                    failures.append(f"{url} ({label or 'no project'}) as {who}: {status}")
    assert failures == []
    assert opened > 1500


def test_every_page_cursor_pages_every_user_is_never_5xx(app, every_page):
    """The last page of each list, and the pages its previous and next links lead to."""
    failures, opened = [], 0
    for who, cookie in every_page["cookies"].items():
        client = app.test_client()
        client.set_cookie("session", cookie)
        for url in CURSOR_PAGES:
            response = client.get(url)
            links = re.findall(r'href="(/projects\?[^"]*cursor=[^"]*)"',
                               response.get_data(as_text=True))
            for target in (url, *(html.unescape(link) for link in links)):
                status = client.get(target).status_code
                opened += 1
                if status >= 500:
                    failures.append(f"{target} as {who}: {status}")
    assert (failures, opened >= len(every_page["cookies"]) * len(CURSOR_PAGES)) == ([], True)
