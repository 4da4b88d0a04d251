"""CONTRACT.md: "20 parallel submits of one draft (several processes) give exactly one 200 and
one audit event". Real processes, real committed data, a database of their own: the rolled-back
`session` fixture cannot show what separate connections do to each other."""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import queue
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from reviewtool import create_app
from reviewtool.db import make_engine
from reviewtool.migrate import upgrade
from reviewtool.services.accounts import create_user, issue_token
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import create_project
from tests.factories import COMPLETE, PASSWORD

WORKERS = 20
SECRET = "test-secret-key-0123456789abcdef"
# Seconds for every worker to start and reach the barrier. Workers fork from a server process
# that imported the app once (a spawned one would cost two CPU-seconds of imports each, 40 s
# a test); the generous bound only avoids false failures on a busy machine.
START_TIMEOUT = 300
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _seed(url: str) -> tuple[int, list[str]]:
    """Migrate `url`, then commit a proposer, a complete draft and one API token per worker.

    One token each: a shared token's row (its last_used_at) would queue the workers one
    behind the other, and the conditional UPDATE on the project would never be contested."""

    engine = make_engine(url)
    try:
        upgrade(engine)
        with Session(engine) as session:
            owner = create_user(session, email="racer@example.org", password=PASSWORD,
                                roles=["proposer"])
            project = create_project(session, owner, COMPLETE, load_catalogues(session))
            tokens = [issue_token(session, owner) for _ in range(WORKERS)]
            session.commit()
            return project.id, tokens
    finally:
        engine.dispose()


def _submit(url: str, instance: str, project_id: int, token: str, barrier, results) -> None:
    """One worker process: build the app, wait for the others, POST the submit once."""
    server_log = io.StringIO()  # a 500's traceback, for the parent's failure message
    logging.getLogger().addHandler(logging.StreamHandler(server_log))
    try:

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET,
                          "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": instance})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        # Warm the request machinery without the database: on SQLite every transaction takes
        # the write lock, and 20 warm-ups racing the submits would only test the busy timeout.
        warm = client.get("/api/v1/openapi.json")
        assert warm.status_code == 200, warm.status_code
        barrier.wait(timeout=START_TIMEOUT)
        response = client.post(f"/api/v1/projects/{project_id}/transitions", headers=headers,
                               json={"trigger": "submit", "version": 1})
        body = response.get_json()
        if response.status_code not in (200, 409):
            body = {"body": body, "log": server_log.getvalue()[-3000:]}
        results.put((response.status_code, body))
        app.extensions["reviewtool.db"].engine.dispose()
    except BaseException as exc:  # report every failure to the parent, never hang it
        barrier.abort()  # the others stop waiting at once
        results.put((-1, repr(exc)))


def _race(url: str, instance: str) -> list[tuple[int, object]]:
    """Seed `url`, run WORKERS submitting processes at once; their (status, body) answers."""
    project_id, tokens = _seed(url)
    # Forked from a clean server process (no threads, no connections, unlike this one) that
    # has already imported the app, so each worker only builds its own app.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["reviewtool.app", __name__])
    barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
    processes = [ctx.Process(target=_submit, args=(url, instance, project_id, token, barrier,
                                                   results), daemon=True)
                 for token in tokens]
    for process in processes:
        process.start()
    answers: list[tuple[int, object]] = []
    try:
        for _ in range(WORKERS):
            answers.append(results.get(timeout=START_TIMEOUT + 60))
    except queue.Empty:
        pytest.fail(f"only {len(answers)} of {WORKERS} workers answered: {answers}")
    finally:
        for process in processes:
            process.join(timeout=10 if len(answers) == WORKERS else 0)
            if process.is_alive():
                process.kill()  # only the processes this test started
                process.join()
    return answers


def _check(url: str, answers: list[tuple[int, object]]) -> None:
    """Exactly one 200 (the project in risk_model), 19 409s, and one audit row."""
    failures = [body for status, body in answers if status not in (200, 409)]
    assert failures == []
    assert sorted(status for status, _ in answers) == [200] + [409] * (WORKERS - 1)
    [winner] = [body for status, body in answers if status == 200]
    assert (winner["state"], winner["version"]) == ("risk_model", 2)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT from_state, to_state, \"trigger\" "
                                     "FROM transition_events")).all() == [
                ("draft", "risk_model", "submit")]
            assert conn.execute(text("SELECT state, version FROM projects")).all() == [
                ("risk_model", 2)]
    finally:
        engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not PG_URL:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set (e.g. "
                    "postgresql+psycopg://postgres@127.0.0.1:5432/rt_dev_test)")
    url = make_url(PG_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"rt_race_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
def test_parallel_submits_sqlite_give_one_200_and_one_event(tmp_path):
    url = f"sqlite:///{tmp_path}/race.sqlite3"
    answers = _race(url, str(tmp_path))
    _check(url, answers)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


@pytest.mark.slow
def test_parallel_submits_postgresql_give_one_200_and_one_event(postgres_url, tmp_path):
    answers = _race(postgres_url, str(tmp_path))
    _check(postgres_url, answers)
