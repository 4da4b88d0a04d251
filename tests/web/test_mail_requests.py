"""Requests only queue mail: a refused request queues nothing, a request never talks to the
mail server (even a hanging one), and the development app's own thread delivers what a
request queued."""

from __future__ import annotations

import threading
import time

import pytest
from flask import request
from sqlalchemy import select

from reviewtool import create_app, db
from reviewtool.errors import Conflict
from reviewtool.http.transaction import on_commit
from reviewtool.migrate import upgrade
from reviewtool.models import OutboxMessage, Project, User
from reviewtool.services import reviews
from reviewtool.services.outbox import Report
from reviewtool.worker import inline_worker, run_once
from tests.conftest import SECRET
from tests.factories import grantmaker, project_in_review, reviewer
from tests.mail_helpers import (
    SilentListener,
    Sink,
    fresh_database,
    ids_of,
    rows,
    seed_assignable,
)


@pytest.fixture
def probe(app, session):
    """(client, commit hook calls) of a second app on the test's transaction, with one extra
    route (under /api/, so errors are JSON): it assigns a reviewer through the service, which
    queues their mail, then answers 201, or 409 when asked to refuse."""
    application = create_app({
        "DATABASE_URL": app.extensions["reviewtool.settings"].database_url,
        "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": app.instance_path,
        "WTF_CSRF_ENABLED": False,
    })
    calls: list[str] = []
    on_commit(application, lambda: calls.append("nudged"))

    @application.post("/api/probe/projects/<int:project_id>/reviewers/<int:user_id>")
    def assign_then_answer(project_id: int, user_id: int):
        work = db.session()
        by = work.get(User, int(request.args["by"]))
        reviews.assign_reviewer(work, by, work.get(Project, project_id), user_id)
        if request.args.get("refuse") == "1":
            raise Conflict("Refused after the mail was queued.")
        return {"assigned": user_id}, 201

    database = application.extensions["reviewtool.db"]
    database.sessionmaker = app.extensions["reviewtool.db"].sessionmaker  # the test's
    yield application.test_client(), calls
    database.engine.dispose()


def outbox_for(session, project) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage.to_email)
                                .where(OutboxMessage.project_id == project.id)))


def test_request_refused_after_queueing_mail_leaves_no_outbox_row(probe, session, workflow):
    client, calls = probe
    project, user, by = project_in_review(workflow), reviewer(), grantmaker()
    refused = client.post(f"/api/probe/projects/{project.id}/reviewers/{user.id}"
                          f"?by={by.id}&refuse=1")
    assert (refused.status_code, refused.json) == (
        409, {"errors": [{"message": "Refused after the mail was queued."}]})
    assert (outbox_for(session, project), calls) == ([], [])
    accepted = client.post(f"/api/probe/projects/{project.id}/reviewers/{user.id}?by={by.id}")
    assert accepted.status_code == 201
    assert (outbox_for(session, project), calls) == ([user.email], ["nudged"])


def test_request_queueing_mail_never_connects_to_hanging_mail_server(db_kind, tmp_path):
    with SilentListener() as listener, fresh_database(db_kind, tmp_path) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET,
                          "REVIEWTOOL_ENV": "production", "SMTP_HOST": "127.0.0.1",
                          "SMTP_PORT": listener.port, "INSTANCE_PATH": str(tmp_path)})
        database = app.extensions["reviewtool.db"]
        try:
            upgrade(database.engine)
            seeded = seed_assignable(database.sessionmaker, app.extensions["reviewtool.workflow"])
            [(user_id, email)] = seeded.reviewers[0]
            response = app.test_client().post(
                f"/api/v1/projects/{seeded.project_ids[0]}/reviewers", json={"user_id": user_id},
                headers={"Authorization": f"Bearer {seeded.tokens[0]}"})
            assert response.status_code == 201, response.json
            assert listener.accepted == 0
            [pending] = rows(database.sessionmaker)
            # The listener does see a worker that goes there, so the 0 above means something.
            done: dict[str, Report] = {}
            sender = threading.Thread(target=lambda: done.update(report=run_once(app)))
            sender.start()
            deadline = time.monotonic() + 10
            while listener.accepted == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
            listener.drop_connections()  # the hanging server hangs up: the attempt fails
            sender.join(20)
            [after] = rows(database.sessionmaker)
        finally:
            database.engine.dispose()
    assert (pending.to_email, pending.sent_at, pending.attempts) == (email, None, 0)
    assert (listener.accepted, done["report"], after.attempts) == (1, Report(retried=1), 1)
    assert after.last_error == (f"127.0.0.1:{listener.port}: SMTPServerDisconnected: "
                                "Connection unexpectedly closed")


def test_inline_worker_development_delivers_what_a_request_queued(tmp_path):
    with Sink() as sink:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3",
                          "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "development",
                          "SMTP_HOST": "127.0.0.1", "SMTP_PORT": sink.port,
                          "INSTANCE_PATH": str(tmp_path)})
        database, inline = app.extensions["reviewtool.db"], inline_worker(app)
        try:
            upgrade(database.engine)
            seeded = seed_assignable(database.sessionmaker, app.extensions["reviewtool.workflow"])
            [(user_id, email)] = seeded.reviewers[0]
            assert inline.running is False  # lazily: nothing runs before the first request
            response = app.test_client().post(
                f"/api/v1/projects/{seeded.project_ids[0]}/reviewers", json={"user_id": user_id},
                headers={"Authorization": f"Bearer {seeded.tokens[0]}"})
            assert response.status_code == 201, response.json
            assert sink.wait_for(1, timeout=20), "the inline worker delivered nothing in 20 s"
            deadline = time.monotonic() + 10
            while rows(database.sessionmaker)[0].sent_at is None and time.monotonic() < deadline:
                time.sleep(0.05)
            [row] = rows(database.sessionmaker)
        finally:
            inline.stop()
            database.engine.dispose()
    assert (inline.running, row.attempts, row.sent_at is not None) == (False, 1, True)
    assert [(m["To"], m["Message-ID"]) for m in sink.messages] == [(email, ids_of([row.id])[0])]
    assert sink.messages[0]["Subject"] == "Please review: Mentoring for new AI-safety researchers"


@pytest.mark.parametrize(("environment", "installed"), [
    ("development", True), ("production", False), ("testing", False)])
def test_create_app_installs_inline_worker_only_in_development(tmp_path, environment,
                                                               installed):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/any.sqlite3", "SECRET_KEY": SECRET,
                      "REVIEWTOOL_ENV": environment, "INSTANCE_PATH": str(tmp_path)})
    app.extensions["reviewtool.db"].engine.dispose()
    assert (inline_worker(app) is not None) is installed
