"""`reviewtool worker [--once]` (CONTRACT.md "Additions"): in-process with CliRunner, and as
real processes for the loop's clean SIGTERM and the one-line error of a bad database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import sessionmaker

from reviewtool.cli import cli
from reviewtool.db import make_engine
from tests.mail_helpers import Sink, free_port, ids_of, queue_committed, rows
from tests.web.test_cli import assert_one_line_error, process

SECRET = "cli-worker-secret-0123456789abcdef"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """Settings for one throwaway, migrated SQLite database and nothing inherited."""
    values = {"DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
              "REVIEWTOOL_ENV": "development", "SECRET_KEY": SECRET,
              "REVIEWTOOL_WORKFLOW": "default", "REVIEWTOOL_DEBUG": "", "SMTP_HOST": "",
              "SMTP_PORT": "25"}
    result = CliRunner().invoke(cli, ["db", "upgrade"], env=values)
    assert result.exit_code == 0, result.output
    return values


@pytest.fixture
def factory(env):
    """A session factory on the CLI's database (real commits)."""
    engine = make_engine(env["DATABASE_URL"])
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def worker(env: dict[str, str], *args: str, port: int | None = None):
    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)} if port else {}
    return CliRunner().invoke(cli, ["worker", *args], env={**env, **smtp})


def test_worker_once_delivers_due_mail_to_smtp_server(env, factory):
    ids = queue_committed(factory, 2)
    with Sink() as sink:
        first = worker(env, "--once", port=sink.port)
        second = worker(env, "--once", port=sink.port)
    assert (first.exit_code, first.stdout) == (
        0, "Delivered 2 message(s); 0 failed, 0 to retry.\n")
    assert (second.exit_code, second.stdout) == (
        0, "Delivered 0 message(s); 0 failed, 0 to retry.\n")
    assert sink.message_ids() == ids_of(ids)
    assert [row.sent_at is not None for row in rows(factory)] == [True, True]


def test_worker_once_smtp_down_exits_0_with_message_to_retry(env, factory):
    queue_committed(factory, 1)
    result = worker(env, "--once", port=free_port())
    assert (result.exit_code, result.stdout) == (
        0, "Delivered 0 message(s); 0 failed, 1 to retry.\n")
    [row] = rows(factory)
    assert (row.attempts, row.sent_at) == (1, None)


def test_worker_once_without_smtp_host_logs_mail_and_marks_it_sent(env, factory):
    queue_committed(factory, 1)
    result = worker(env, "--once")
    assert (result.exit_code, result.stdout) == (
        0, "Delivered 1 message(s); 0 failed, 0 to retry.\n")
    assert rows(factory)[0].sent_at is not None


def test_worker_poll_below_minimum_is_refused(env):
    result = worker(env, "--poll", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--poll': 0.0 is not in the range x>=0.05." in result.stderr


@pytest.mark.slow
def test_worker_loop_delivers_then_stops_cleanly_on_sigterm(env, factory):
    ids = queue_committed(factory, 3)
    with Sink() as sink:
        loop = subprocess.Popen(
            [sys.executable, "-c", "from reviewtool.cli import main; main()", "worker",
             "--poll", "0.1"],
            env={**process_env(env), "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port)},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            delivered = sink.wait_for(3, timeout=30)
            later = queue_committed(factory, 1)  # the loop keeps looking
            delivered_later = sink.wait_for(4, timeout=30)
        finally:
            loop.send_signal(signal.SIGTERM)
            out, err = loop.communicate(timeout=30)
    assert (delivered, delivered_later) == (True, True), err
    assert (loop.returncode, out) == (0, "Delivered 4 message(s); 0 failed, 0 to retry.\n")
    assert sink.message_ids() == ids_of(ids + later)
    assert ": delivering every 0.1 s" in err
    assert "SIGTERM received, stopping after the message at hand" in err


@pytest.mark.slow
def test_worker_once_unreachable_database_one_line_error(env):
    completed = process(["worker", "--once"], {
        **env, "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/reviewtool"})
    assert_one_line_error(completed, "cannot use the database")


@pytest.mark.slow
def test_worker_loop_unmigrated_database_one_line_error(tmp_path, env):
    completed = process(["worker"], {**env, "DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"})
    assert_one_line_error(completed, "no such table")


def process_env(env: dict[str, str]) -> dict[str, str]:
    """The environment `tests.web.test_cli.process` would give a child, as a dict."""
    clean = {k: v for k, v in os.environ.items() if k not in env}
    return {**clean, **{k: v for k, v in env.items() if v}}
