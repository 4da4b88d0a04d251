"""A serving process computes the pipeline-wide figures as it starts (gunicorn.conf.py's
post_worker_init), so its first project page or memo takes them from the process's store,
and builds a stored memo once, so the memo's statements are compiled."""

from __future__ import annotations

from reviewtool import create_app
from reviewtool.app import warm_worker
from reviewtool.services.figure_cache import cached, forget_all
from reviewtool.services.read.normalised import score_totals
from reviewtool.services.read.portfolio import _type_rounds
from reviewtool.services.read.warm_up import warm_memo_statements
from tests.decision_factories import at_decision, decide_go
from tests.factories import project_in_review

SECRET = "test-secret-key-0123456789abcdef"


def _never():
    raise AssertionError("computed again: the warm-up did not keep this figure")


def test_warm_worker_keeps_every_pipeline_figure_for_the_first_page(app, session, workflow):
    project_in_review(workflow)  # fellowship_mentoring, the factories' type
    events = project_in_review(workflow)
    events.current_revision.project_type = "events"
    session.commit()
    forget_all()  # a fresh process keeps nothing
    assert warm_worker(app) == ["events", "fellowship_mentoring"]
    kept = {key: cached(session, key, _never) for key in (
        ("score_totals",), ("type_rounds", "events"), ("type_rounds", "fellowship_mentoring"))}
    assert kept == {("score_totals",): score_totals(session),
                    ("type_rounds", "events"): tuple(_type_rounds(session, "events")),
                    ("type_rounds", "fellowship_mentoring"): tuple(
                        _type_rounds(session, "fellowship_mentoring"))}


def test_warm_worker_on_a_database_without_tables_warms_nothing_and_starts(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3",
                      "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing",
                      "INSTANCE_PATH": str(tmp_path)})
    assert warm_worker(app) == []


def test_warm_memo_statements_builds_the_newest_stored_memo(session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    session.flush()
    assert warm_memo_statements(session, workflow.settings) == journey.project.id


def test_warm_memo_statements_with_no_memo_stored_builds_none(session, workflow):
    assert warm_memo_statements(session, workflow.settings) is None
