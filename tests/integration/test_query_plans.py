"""The hot queries use an index (issue 13): EXPLAIN QUERY PLAN on SQLite names the index for
the project list's sort, the reviewer's assignments, a project's newest decision and the
reviewers' score totals (the normalised scores), so no list scans the whole table as it fills."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, text

from reviewtool.permissions import load_project, visible_projects
from reviewtool.services.read.cursors import Position
from reviewtool.services.read.projects import project_seek
from tests.factories import ProjectFactory, grantmaker

PLANS = {
    "project list sorted by last change":
        ("SELECT id FROM projects ORDER BY updated_at DESC, id DESC LIMIT 20",
         "ix_projects_updated_at_id"),
    "project list of one state":
        ("SELECT id FROM projects WHERE state = 'review' ORDER BY updated_at DESC LIMIT 20",
         "ix_projects_state_updated_at"),
    "a reviewer's assignments by due date":
        ("SELECT id FROM assignments WHERE reviewer_id = 1 ORDER BY due_on",
         "ix_assignments_reviewer_due_on"),
    "a project's newest decision":
        ("SELECT id FROM decisions WHERE project_id = 1 ORDER BY decided_at DESC LIMIT 1",
         "ix_decisions_project_decided_at"),
    "the project list's next page (keyset: a row-value seek)":
        ("SELECT id FROM projects WHERE (updated_at, id) < ('2026-12-01 00:00:00', 50) "
         "ORDER BY updated_at DESC, id DESC LIMIT 21",
         "COVERING INDEX ix_projects_updated_at_id (updated_at<?)"),
    "the project list's previous page, read upwards":
        ("SELECT id FROM projects WHERE (updated_at, id) > ('2026-12-01 00:00:00', 50) "
         "ORDER BY updated_at, id LIMIT 21",
         "COVERING INDEX ix_projects_updated_at_id (updated_at>?)"),
    "one proposer's projects, a page after a cursor":
        ("SELECT id FROM projects WHERE owner_id = 1 AND (updated_at, id) < "
         "('2026-12-01 00:00:00', 50) ORDER BY updated_at DESC, id DESC LIMIT 21",
         "COVERING INDEX ix_projects_owner_updated_at_id (owner_id=? AND updated_at<?)"),
    "a revision's reviews":
        ("SELECT id FROM reviews WHERE revision_id = 1", "ix_reviews_revision_id"),
    "the panel's score totals, from an index only":
        ("SELECT sum(score_total), sum(score_count) FROM reviews",
         "COVERING INDEX ix_reviews_assignment_scores"),
    "the withdrawn reviews' score totals":
        ("SELECT sum(r.score_total) FROM assignments a JOIN reviews r "
         "ON r.assignment_id = a.id WHERE a.withdrawn_at IS NOT NULL",
         "COVERING INDEX ix_assignments_live_reviewer (withdrawn_at>?)"),
    "the current revisions of one project type":
        ("SELECT p.id FROM projects p JOIN revisions r ON r.project_id = p.id "
         "AND r.is_current = 1 WHERE r.project_type = 'events'",
         "ix_revisions_type_current"),
    "a project's reviewers' score totals":
        ("SELECT a.reviewer_id, sum(r.score_total) FROM assignments a JOIN reviews r "
         "ON r.assignment_id = a.id WHERE a.withdrawn_at IS NULL AND a.reviewer_id IN (1, 2) "
         "GROUP BY a.reviewer_id",
         "COVERING INDEX ix_assignments_live_reviewer (withdrawn_at=? AND reviewer_id=?)"),
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_query_plans_use_the_index_for(name, session, db_kind):
    if db_kind != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL picks plans by its statistics")
    sql, index = PLANS[name]
    plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert index in plan, plan


def _plan_of_first_project_read(session, call) -> list[str]:
    """The SQLite plan, step by step, of the first statement on projects that `call()` sends."""
    seen = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if "FROM projects" in statement:
            seen.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    statement, parameters = seen[0]
    return [row[-1] for row in session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statement}", parameters)]


def test_query_plans_of_loading_a_project_scan_no_table(session, db_kind):
    """The statement every project page starts with (the project, its owner, pilot and current
    revision, under the visibility rule) looks rows up by key: joining the pilot's builders
    into it made SQLite scan every pilot's builders on every page (10 ms at 10,000 projects)."""
    if db_kind != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL picks plans by its statistics")
    project = ProjectFactory()
    session.flush()
    plan = _plan_of_first_project_read(session, lambda: load_project(session, project.owner,
                                                                     project.id))
    assert [step for step in plan if step.startswith(("SCAN", "MATERIALIZE"))] == [], plan


# The first step of each page's plan: the index read in order from one end, or from the cursor.
SEEK_PLANS = {
    "first": "SCAN projects USING INDEX ix_projects_updated_at_id",
    "last": "SCAN projects USING INDEX ix_projects_updated_at_id",
    "after": "SEARCH projects USING INDEX ix_projects_updated_at_id (updated_at<?)",
    "before": "SEARCH projects USING INDEX ix_projects_updated_at_id (updated_at>?)",
}


@pytest.mark.parametrize("seek", sorted(SEEK_PLANS))
def test_query_plans_of_the_project_list_seek_read_the_index_in_order(session, db_kind, seek):
    """The statement project_seek sends, with the grantmaker's visibility rule and a cursor:
    the projects come from the (updated_at, id) index in its order (no table scan, no sort),
    so the last page costs what the first does."""
    if db_kind != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL picks plans by its statistics")
    gm = grantmaker()
    for _ in range(3):
        ProjectFactory(state="review")
    session.flush()
    middle = project_seek(session, gm, per_page=1).items[0]
    at = Position(middle.updated_at, middle.id)
    options = {"first": {}, "after": {"after": at}, "before": {"before": at},
               "last": {"last": True}}[seek]
    plan = _plan_of_first_project_read(
        session, lambda: project_seek(session, gm, per_page=20, **options))
    assert plan[0] == SEEK_PLANS[seek], plan
    assert [step for step in plan if "TEMP B-TREE" in step or step == "SCAN projects"] == [], plan


@pytest.mark.parametrize("seek", ["after", "before"])
def test_query_plans_of_the_seek_on_postgresql_use_the_row_value_as_index_condition(
        session, db_kind, seek):
    """PostgreSQL reads the row-value comparison as an index condition of the (updated_at, id)
    index, in the index's order (no Sort), once sequential scans are ruled out (a test table
    is too small for the planner to want an index by itself)."""
    if db_kind != "postgresql":
        pytest.skip("the SQLite plans are checked above")
    op, order = ("<", "DESC") if seek == "after" else (">", "ASC")
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(row[0] for row in session.execute(text(
        f"EXPLAIN SELECT id FROM projects WHERE (updated_at, id) {op} "
        f"('2026-12-01 00:00:00+00', 50) ORDER BY updated_at {order}, id {order} LIMIT 21")))
    assert ("ix_projects_updated_at_id" in plan, "Index Cond: (ROW(updated_at, id)" in plan,
            "Sort" in plan) == (True, True, False), plan


def test_query_plans_of_a_grantmakers_visibility_probe_submit_events_by_their_index(
        session, db_kind):
    """Whether a withdrawn project was submitted (the grantmaker's visibility rule, on every
    list) is one probe of the (trigger, project_id) index for that project, never a read or
    a hash of every submit event: reading them took 12 ms a request at 10,000 projects on
    PostgreSQL before migration 0017, hashing them 5 ms before the first row of a page."""
    if db_kind != "postgresql":
        pytest.skip("SQLite checks one project's events by their project_id index")
    gm = grantmaker()
    ProjectFactory(state="withdrawn")
    session.flush()
    session.execute(text("SET LOCAL enable_seqscan = off"))
    counted = select(func.count()).select_from(visible_projects(gm).subquery())
    plan = "\n".join(row[0] for row in session.execute(
        text("EXPLAIN " + str(counted.compile(session.get_bind(),
                                              compile_kwargs={"literal_binds": True})))))
    assert ("Index Only Scan using ix_transition_events_trigger_project" in plan,
            "AND (project_id = projects.id))" in plan,
            "hashed" in plan) == (True, True, False), plan
