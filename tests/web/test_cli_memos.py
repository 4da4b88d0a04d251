"""`reviewtool memos export OUTDIR`: one stored PDF per project in go or no_go, written as
<id>-<slug>.pdf into a directory it creates, with a summary line and exit status 0."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewtool import create_app
from reviewtool.cli import cli
from reviewtool.migrate import upgrade
from reviewtool.services.decisions import stored_memo
from reviewtool.services.transitions import fire
from tests import factories
from tests.decision_factories import at_decision, decide_go

SECRET = "cli-memo-secret-0123456789abcdef"


@pytest.fixture
def decided(tmp_path: Path):
    """A committed SQLite database with a `go`, a `no_go` and a project still at the decision
    step; returns (env for the CLI, {project id: stored PDF bytes}, slugged names)."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'memos.sqlite3'}", "SECRET_KEY": SECRET,
           "REVIEWTOOL_ENV": "testing", "REVIEWTOOL_WORKFLOW": "default",
           "REVIEWTOOL_DEBUG": ""}
    app = create_app({**env, "INSTANCE_PATH": str(tmp_path)})
    database = app.extensions["reviewtool.db"]
    workflow = app.extensions["reviewtool.workflow"]
    upgrade(database.engine)
    session = database.sessionmaker()
    factories.bind(session)
    try:
        going = at_decision(workflow, title="Go: mentoring pilot")
        decide_go(workflow, going)
        stopped = at_decision(workflow, title="No-go: hackathon", reviewers=going.reviewers)
        fire(session, workflow, stopped.project, "no_go", actor=stopped.grantmaker,
             comment="Too risky.")
        at_decision(workflow, title="Still deciding", reviewers=going.reviewers)
        stored = {p.id: stored_memo(session, p).pdf for p in (going.project, stopped.project)}
        names = {f"{going.project.id}-go-mentoring-pilot.pdf": going.project.id,
                 f"{stopped.project.id}-no-go-hackathon.pdf": stopped.project.id}
        session.commit()
    finally:
        factories.bind(None)
        session.close()
        database.engine.dispose()
    return env, stored, names


def test_memos_export_writes_one_pdf_per_decided_project(decided, tmp_path: Path):
    env, stored, names = decided
    outdir = tmp_path / "out" / "memos"
    result = CliRunner().invoke(cli, ["memos", "export", str(outdir)], env=env,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in outdir.iterdir()) == sorted(names)
    for name, project_id in names.items():
        assert (outdir / name).read_bytes() == stored[project_id]
    kib = sum(len(pdf) for pdf in stored.values()) / 1024
    assert result.stdout.splitlines()[-1] == f"Wrote 2 memo(s), {kib:.0f} KiB, to {outdir}."


def test_memos_export_with_no_decided_project_writes_nothing_and_exits_0(tmp_path: Path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "SECRET_KEY": SECRET,
           "REVIEWTOOL_ENV": "testing", "REVIEWTOOL_WORKFLOW": "default",
           "REVIEWTOOL_DEBUG": ""}
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    result = runner.invoke(cli, ["memos", "export", str(tmp_path / "none")], env=env)
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "none").iterdir()) == []
    assert result.stdout.splitlines()[-1] == f"Wrote 0 memo(s), 0 KiB, to {tmp_path / 'none'}."
