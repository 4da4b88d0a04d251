"""REVIEWTOOL_WORKFLOW=small-grants, through the app: a project created under it stores the
workflow, runs to go through the API without a pilot, and keeps it when the configuration goes
back to the default; a project started under the default finishes under it."""

from __future__ import annotations

import pytest

from reviewtool import create_app
from reviewtool.models import Project
from reviewtool.services.accounts import issue_token
from tests.conftest import SECRET
from tests.decision_factories import RATIONALE, at_decision
from tests.factories import (
    COMPLETE,
    UserFactory,
    assign,
    complete_risk_model,
    grantmaker,
    submit,
)
from tests.factories import reviewer as make_reviewer


@pytest.fixture
def small_app(app, session):
    """A second app on the same database (and the test's transaction), configured with
    REVIEWTOOL_WORKFLOW=small-grants."""
    url = app.extensions["reviewtool.settings"].database_url
    other = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing",
                        "WTF_CSRF_ENABLED": False, "REVIEWTOOL_WORKFLOW": "small-grants",
                        "INSTANCE_PATH": app.instance_path})
    database = other.extensions["reviewtool.db"]
    engine = database.engine
    database.sessionmaker = app.extensions["reviewtool.db"].sessionmaker
    yield other
    engine.dispose()


def call(app, session, user, method: str, path: str, **kw):
    headers = {"Authorization": f"Bearer {issue_token(session, user)}"}
    return app.test_client().open(f"/api/v1{path}", method=method, headers=headers, **kw)


def test_project_created_under_small_grants_runs_to_go_without_pilot(small_app, app,
                                                                      session):
    owner, gm = UserFactory(), grantmaker()
    created = call(small_app, session, owner, "POST", "/projects", json=COMPLETE)
    assert created.status_code == 201
    project = session.get(Project, created.get_json()["id"])
    assert (project.workflow_name, project.workflow_version) == ("small-grants", 1)
    fire = lambda who, trigger, **body: call(  # noqa: E731
        small_app, session, who, "POST", f"/projects/{project.id}/transitions",
        json={"trigger": trigger, **body})
    assert fire(owner, "submit").status_code == 200
    complete_risk_model(project.current_revision)
    assert fire(owner, "request_review").status_code == 200
    for _ in range(2):
        person = make_reviewer()
        assign(project, person, by=gm)
        submit(project, person)
    shown = call(small_app, session, gm, "GET", f"/projects/{project.id}").get_json()
    assert shown["allowed_triggers"] == ["close_review", "no_go"]
    assert fire(gm, "close_review").status_code == 200
    # The configuration goes back to the default: the project keeps small-grants.
    assert call(app, session, gm, "GET", f"/projects/{project.id}").get_json()[
        "allowed_triggers"] == ["go", "no_go"]
    done = call(app, session, gm, "POST", f"/projects/{project.id}/transitions",
                json={"trigger": "go", "comment": RATIONALE})
    assert (done.status_code, done.get_json()["state"]) == (200, "go")
    assert project.pilot is None


def test_default_project_finishes_under_default_with_small_grants_configured(small_app,
                                                                             session, workflow):
    journey = at_decision(workflow)
    done = call(small_app, session, journey.grantmaker, "POST",
                f"/projects/{journey.project.id}/transitions",
                json={"trigger": "go", "comment": RATIONALE})
    assert (done.status_code, done.get_json()["state"]) == (200, "go")
    assert journey.project.workflow_name == "default"
