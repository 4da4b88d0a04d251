"""`reviewtool users disable|enable EMAIL` and `users token --name --days` (CONTRACT.md,
Additions): a disabled user's sessions and tokens stop working and stay dead after enabling."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool import create_app
from reviewtool.cli import cli
from reviewtool.db import make_engine
from reviewtool.models import AccountEvent, ApiToken
from reviewtool.services.accounts import load_session_user

SECRET = "cli-test-secret-0123456789abcdef"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
            "REVIEWTOOL_ENV": "development", "SECRET_KEY": SECRET,
            "REVIEWTOOL_WORKFLOW": "default", "REVIEWTOOL_DEBUG": ""}


@pytest.fixture
def run(env):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), env=env, catch_exceptions=True)

    assert invoke("db", "upgrade").exit_code == 0
    assert invoke("users", "create", "ada@example.org", "--role", "proposer", "--password",
                  "long-enough-pw").exit_code == 0
    return invoke


def status_of(env, token: str) -> int:
    app = create_app({**env, "REVIEWTOOL_ENV": "testing"})
    try:
        return app.test_client().get("/api/v1/me", headers={
            "Authorization": f"Bearer {token}"}).status_code
    finally:
        app.extensions["reviewtool.db"].engine.dispose()


def database(env):
    return make_engine(env["DATABASE_URL"])


def test_users_disable_ends_token_and_session_and_enable_keeps_them_dead(run, env):
    token = run("users", "token", "ada@example.org").stdout.splitlines()[-1]
    engine = database(env)
    with Session(engine) as session:
        cookie = session.scalar(select(ApiToken)).user.get_id()
    assert status_of(env, token) == 200
    result = run("users", "disable", "ADA@example.org")
    assert (result.exit_code, result.stdout) == (
        0, "Disabled ada@example.org; its sessions and API tokens have ended.\n")
    assert status_of(env, token) == 401
    result = run("users", "enable", "ada@example.org")
    assert (result.exit_code, result.stdout) == (
        0, "Enabled ada@example.org; its old sessions and API tokens stay ended.\n")
    assert status_of(env, token) == 401
    with Session(engine) as session:
        assert load_session_user(session, cookie) is None
        events = session.execute(select(AccountEvent.kind, AccountEvent.actor_id,
                                        AccountEvent.data)
                                 .where(AccountEvent.kind.in_(("disabled", "enabled")))
                                 .order_by(AccountEvent.id)).all()
    engine.dispose()
    assert events == [("disabled", None, {"via": "cli", "tokens_revoked": 1}),
                      ("enabled", None, {"via": "cli"})]


def test_users_disable_twice_says_so(run):
    run("users", "disable", "ada@example.org")
    result = run("users", "disable", "ada@example.org")
    assert (result.exit_code, result.stdout) == (0, "ada@example.org was already disabled.\n")


@pytest.mark.parametrize("command", ["disable", "enable"])
def test_users_disable_or_enable_unknown_email_fails_in_one_line(run, command):
    result = run("users", command, "ghost@example.org")
    assert result.exit_code == 1
    assert result.stderr == "Error: No user with email ghost@example.org.\n"


def test_users_token_for_a_disabled_user_fails(run):
    run("users", "disable", "ada@example.org")
    result = run("users", "token", "ada@example.org")
    assert result.exit_code == 1
    assert result.stderr == "Error: ada@example.org is disabled; enable it first.\n"


def test_users_token_with_name_and_days(run, env):
    result = run("users", "token", "ada@example.org", "--name", "backup job", "--days", "7")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "New API token for ada@example.org, expires in 7 days (shown once; only its hash is "
        "stored):")
    engine = database(env)
    with Session(engine) as session:
        row = session.scalar(select(ApiToken))
        assert (row.name, row.expires_at - row.created_at) == ("backup job", timedelta(days=7))
    engine.dispose()


@pytest.mark.parametrize("days", ["0", "366", "x"])
def test_users_token_bad_days_fails(run, days):
    result = run("users", "token", "ada@example.org", "--days", days)
    assert result.exit_code == 2
    assert "Invalid value for '--days'" in result.stderr
