"""The `reviewtool` command: in-process with CliRunner, and as a real process for `main()`."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewtool import create_app
from reviewtool.cli import cli

SECRET = "cli-test-secret-0123456789abcdef"
BAD_WORKFLOW = """\
name: small
settings:
  min_reviews: 3
states:
  - {name: draft, label: Draft, initial: true}
  - {name: risk_model, label: Risk model}
  - {name: withdrawn, label: Withdrawn, terminal: true}
triggers:
  submit:
    label: Submit proposal
    from: [draft]
    to: risk_model
    roles: [owner]
    guards: [proposal_complet]
  withdraw:
    label: Withdraw
    from: any_non_terminal
    to: withdrawn
    roles: [owner]
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Settings for one throwaway SQLite database, and nothing inherited that could leak in."""
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
            "REVIEWTOOL_ENV": "development", "SECRET_KEY": SECRET,
            "REVIEWTOOL_WORKFLOW": "default", "REVIEWTOOL_DEBUG": ""}


@pytest.fixture
def run(env):
    """`run(*args)` invokes the CLI in-process with `env`; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), env=env, catch_exceptions=True)

    return invoke


@pytest.fixture
def upgraded(run):
    """A migrated database."""
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    return run


def process(args: list[str], env: dict[str, str], cwd: Path | None = None):
    """Run `reviewtool ARGS` through the console entry point `main()` in a new process."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DATABASE_URL", "SECRET_KEY", "REVIEWTOOL_ENV", "REVIEWTOOL_WORKFLOW",
                          "REVIEWTOOL_DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", "from reviewtool.cli import main; main()", *args],
        env={**clean, **{k: v for k, v in env.items() if v}}, cwd=cwd,
        capture_output=True, text=True, timeout=120, check=False)


def assert_one_line_error(completed, fragment: str) -> None:
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("Error: ")
    assert fragment in lines[0]


# --- db upgrade -------------------------------------------------------------------------------

def test_db_upgrade_twice_is_ok(run):
    first = run("db", "upgrade")
    assert first.exit_code == 0, first.output
    added = re.fullmatch(r"Database is at the newest schema; (\d+) default catalogue entries "
                         r"added\.\n", first.stdout)
    assert added and int(added.group(1)) > 0
    second = run("db", "upgrade")
    assert second.exit_code == 0, second.output
    assert second.stdout == ("Database is at the newest schema; 0 default catalogue entries "
                             "added.\n")


# --- users ------------------------------------------------------------------------------------

def test_users_create_prints_id_on_last_line(upgraded):
    result = upgraded("users", "create", "Ada@Example.org", "--role", "proposer", "--role",
                      "reviewer", "--password", "long-enough-pw", "--name", "Ada L")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1].isdigit()
    assert lines[0] == "Created ada@example.org with roles proposer, reviewer."
    second = upgraded("users", "create", "bob@example.org", "--role", "grantmaker",
                      "--password", "long-enough-pw")
    assert int(second.stdout.splitlines()[-1]) == int(lines[-1]) + 1


def test_users_create_duplicate_email_fails_in_one_line(upgraded):
    args = ("users", "create", "ada@example.org", "--role", "proposer", "--password",
            "long-enough-pw")
    assert upgraded(*args).exit_code == 0
    result = upgraded("users", "create", "ADA@example.org", "--role", "proposer",
                      "--password", "long-enough-pw")
    assert result.exit_code != 0
    assert result.stderr == "Error: A user with email ada@example.org already exists.\n"
    assert result.stdout == ""


def test_users_create_unknown_role_fails(upgraded):
    result = upgraded("users", "create", "ada@example.org", "--role", "wizard", "--password",
                      "long-enough-pw")
    assert result.exit_code != 0
    assert "Error: Invalid value for '--role': 'wizard' is not one of" in result.stderr
    assert result.stdout == ""


def test_users_create_short_password_fails(upgraded):
    result = upgraded("users", "create", "ada@example.org", "--role", "proposer",
                      "--password", "short")
    assert result.exit_code != 0
    assert result.stderr == "Error: Use at least 8 characters for the password.\n"


def test_users_create_bad_email_fails(upgraded):
    result = upgraded("users", "create", "not-an-email", "--role", "proposer",
                      "--password", "long-enough-pw")
    assert result.exit_code != 0
    assert result.stderr == "Error: 'not-an-email' is not an email address.\n"


def test_users_token_prints_working_token_on_last_line(upgraded, env):
    created = upgraded("users", "create", "ada@example.org", "--role", "proposer",
                       "--password", "long-enough-pw")
    user_id = int(created.stdout.splitlines()[-1])
    result = upgraded("users", "token", "ADA@example.org")
    assert result.exit_code == 0, result.output
    token = result.stdout.splitlines()[-1]
    assert token.startswith("rt_")
    app = create_app({**env, "REVIEWTOOL_ENV": "testing"})
    try:
        response = app.test_client().get("/api/v1/me",
                                         headers={"Authorization": f"Bearer {token}"})
    finally:
        app.extensions["reviewtool.db"].engine.dispose()
    assert response.status_code == 200
    assert response.json == {"id": user_id, "email": "ada@example.org", "name": "ada",
                             "roles": ["proposer"]}


def test_users_token_for_unknown_email_fails(upgraded):
    result = upgraded("users", "token", "ghost@example.org")
    assert result.exit_code != 0
    assert result.stderr == "Error: No user with email ghost@example.org.\n"


# --- workflow check ---------------------------------------------------------------------------

def test_workflow_check_default_is_ok(run):
    result = run("workflow", "check")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"\S*workflows/default\.yaml: OK \(\d+ states, \d+ triggers\)\n",
                        result.stdout)


def test_workflow_check_misspelt_guard_names_guard_and_line(run, tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text(BAD_WORKFLOW)
    monkeypatch.chdir(tmp_path)
    result = run("workflow", "check", "bad.yaml")
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: bad.yaml:14: unknown guard 'proposal_complet' in "
                                    "trigger 'submit'")
    assert len(result.stderr.splitlines()) == 1


def test_workflow_check_missing_file_fails(run, tmp_path):
    result = run("workflow", "check", str(tmp_path / "nowhere.yaml"))
    assert result.exit_code != 0
    assert result.stderr.startswith("Error: ")
    assert "nowhere.yaml" in result.stderr


def test_workflow_check_needs_no_database_or_secret(tmp_path):
    result = CliRunner().invoke(cli, ["workflow", "check"], env={
        "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/nothing",
        "REVIEWTOOL_ENV": "production", "SECRET_KEY": "", "REVIEWTOOL_WORKFLOW": "default"})
    assert result.exit_code == 0, result.output


# --- demo -------------------------------------------------------------------------------------

def test_demo_twice_adds_nothing_the_second_time(upgraded):
    first = upgraded("demo")
    assert first.exit_code == 0, first.output
    added = re.search(r"(\d+) projects added", first.stdout)
    assert added and int(added.group(1)) > 0
    second = upgraded("demo")
    assert second.exit_code == 0, second.output
    assert "0 projects added" in second.stdout
    assert re.search(r"(\d+) users", second.stdout).group(1) == \
        re.search(r"(\d+) users", first.stdout).group(1)


# --- main(): a real process, one line on stderr, no traceback ---------------------------------

@pytest.mark.slow
def test_main_duplicate_email_one_line_no_traceback(upgraded, env):
    args = ["users", "create", "ada@example.org", "--role", "proposer", "--password",
            "long-enough-pw"]
    assert upgraded(*args).exit_code == 0
    assert_one_line_error(process(args, env),
                          "A user with email ada@example.org already exists.")


@pytest.mark.slow
def test_main_unknown_role_non_zero_no_traceback(env):
    completed = process(["users", "create", "ada@example.org", "--role", "wizard",
                         "--password", "long-enough-pw"], env)
    assert completed.returncode == 2
    assert completed.stderr == ("Error: Invalid value for '--role': 'wizard' is not one of "
                                "'proposer', 'reviewer', 'grantmaker', 'builder', 'admin', "
                                "'panellist'.\n")


@pytest.mark.slow
def test_main_unreachable_postgresql_one_line(env):
    env = {**env, "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/reviewtool"}
    completed = process(["users", "token", "ada@example.org"], env)
    assert_one_line_error(completed, "cannot use the database")


@pytest.mark.slow
def test_main_missing_secret_key_outside_development_one_line(env):
    completed = process(["db", "upgrade"], {**env, "REVIEWTOOL_ENV": "production",
                                            "SECRET_KEY": ""})
    assert_one_line_error(completed, "SECRET_KEY is not set")


@pytest.mark.slow
def test_main_bad_database_url_one_line(env):
    completed = process(["db", "upgrade"], {**env, "DATABASE_URL": "mysql://x@y/z"})
    assert_one_line_error(completed, "DATABASE_URL uses 'mysql'")


@pytest.mark.slow
def test_main_workflow_check_bad_file_names_line(env, tmp_path):
    (tmp_path / "bad.yaml").write_text(BAD_WORKFLOW)
    completed = process(["workflow", "check", "bad.yaml"], env, cwd=tmp_path)
    assert_one_line_error(completed, "bad.yaml:14: unknown guard 'proposal_complet'")


def test_audit_verify_counts_the_demo_trail_then_names_a_changed_event(upgraded, env):
    assert upgraded("demo").exit_code == 0
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        events = conn.execute("SELECT count(*) FROM transition_events").fetchone()[0]
        accounts = conn.execute("SELECT count(*) FROM account_events").fetchone()[0]
    intact = upgraded("audit", "verify")
    assert (intact.exit_code, intact.stdout) == (
        0, f"Audit trail intact: {events + accounts} event(s) checked.\n")
    with sqlite3.connect(path) as conn:
        third = conn.execute("SELECT id FROM transition_events ORDER BY id LIMIT 1 OFFSET 2"
                             ).fetchone()[0]
        conn.execute("UPDATE transition_events SET comment = 'rewritten' WHERE id = ?", (third,))
    broken = upgraded("audit", "verify")
    assert broken.exit_code == 1
    assert broken.stderr == (f"Audit trail broken at transition_events {third}: its content "
                             "does not match its hash (it was changed); 2 event(s) before it "
                             "are intact.\n")
