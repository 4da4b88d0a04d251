"""The request pipeline both faces share: who is asking, which project, may they.

Each face authenticates in its own way (a session cookie for pages, a bearer token for JSON)
and puts the user in `g.actor`; a project route then loads the project named by its URL
(404 unless the actor may see it), checks the route's permission rule (403), and hands the
project to the handler. Commit or rollback happens after the handler, in transaction.py; the
order of refusals is CONTRACT.md's: 401, 404, 403, then the service's 409 and 422."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g

from reviewtool import db
from reviewtool.config import Settings
from reviewtool.models import Project, User
from reviewtool.permissions import load_project, require
from reviewtool.services.workflows import workflow_for
from reviewtool.workflow import Workflow


def actor() -> User:
    """The signed-in user of this request (set by the face's authentication)."""
    return g.actor


def workflow() -> Workflow:
    """The workflow of the request's project (the one it started under) on a project route,
    else the app's configured one (what new projects start under)."""
    configured = current_app.extensions["reviewtool.workflow"]
    project = g.get("project")
    return configured if project is None else workflow_for(project, configured)


def settings() -> Settings:
    """The app's settings."""
    return current_app.extensions["reviewtool.settings"]


def project_route(rule: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view whose URL names `project_id`: it receives the loaded project instead.

    `rule` names the permission (permissions.RULES) the route needs beyond seeing it."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(project_id: int, **kwargs: Any) -> Any:
            user = actor()
            project = load_project(db.session(), user, project_id)
            g.project = project  # workflow() answers with this project's own workflow
            if rule is not None:
                require(user, rule, project)
            return view(project, **kwargs)

        wrapper.permission_rule = rule  # the every-route tests read it
        return wrapper

    return decorate


def load(project_id: int) -> Project:
    """The project `project_id` as the actor may see it (404 otherwise)."""
    return load_project(db.session(), actor(), project_id)
