"""Long lists: the project list a page at a time by cursor, the dashboard's lists capped at
20 with their totals and "All N" links, and the reviewer's and builder's lists in full."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from reviewtool.models import Assignment, Pilot, Project, Review, ReviewRound
from reviewtool.services.read.cursors import BAD_CURSOR
from reviewtool.web import worklists
from tests.factories import COMPLETE, ProjectFactory, UserFactory, _session, grantmaker, reviewer
from tests.pilot_factories import builder

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
TITLE = re.compile(r">(Project number \d\d)</a>")


def _numbered(owner, n, **fields):
    """`n` projects titled "Project number 00".. in the order they changed (00 the oldest)."""
    return [ProjectFactory(owner=owner, updated_at=T0 + timedelta(minutes=i),
                           proposal={**COMPLETE, "title": f"Project number {i:02}"}, **fields)
            for i in range(n)]


def _link(body: str, rel_or_text: str) -> str | None:
    found = (re.search(rf'href="([^"]+)" rel="{rel_or_text}"', body)
             or re.search(rf'href="([^"]+)">{rel_or_text}</a>', body))
    return html.unescape(found.group(1)) if found else None


def _titles(body: str) -> list[str]:
    return TITLE.findall(body)


def test_projects_list_first_page_is_the_20_newest_with_next_and_last(login, session):
    owner = UserFactory()
    _numbered(owner, 21)
    body = login(owner).get("/projects").get_data(as_text=True)
    assert _titles(body) == [f"Project number {i:02}" for i in range(20, 0, -1)]
    assert (_link(body, "next") is not None, _link(body, "Last"), _link(body, "prev"),
            _link(body, "First")) == (True, "/projects?cursor=last", None, None)


def test_projects_list_next_then_previous_comes_back_to_the_first_page(login, session):
    owner = UserFactory()
    _numbered(owner, 21)
    client = login(owner)
    second = client.get(_link(client.get("/projects").get_data(as_text=True), "next"))
    body = second.get_data(as_text=True)
    assert (second.status_code, _titles(body), _link(body, "next")) == (
        200, ["Project number 00"], None)
    back = client.get(_link(body, "prev")).get_data(as_text=True)
    assert (_titles(back)[0], len(_titles(back)), _link(back, "prev")) == (
        "Project number 20", 20, None)


def test_projects_list_last_page_is_the_20_oldest(login, session):
    owner = UserFactory()
    _numbered(owner, 21)
    body = login(owner).get("/projects?cursor=last").get_data(as_text=True)
    assert _titles(body) == [f"Project number {i:02}" for i in range(19, -1, -1)]
    assert (_link(body, "next"), _link(body, "Last"), _link(body, "First")) == (
        None, None, "/projects")
    assert _link(body, "prev") is not None


def test_projects_list_one_page_has_no_page_links(login, session):
    owner = UserFactory()
    _numbered(owner, 2)
    body = login(owner).get("/projects").get_data(as_text=True)
    assert [_link(body, x) for x in ("First", "prev", "next", "Last")] == [None] * 4


def test_projects_list_past_the_end_is_empty_with_a_link_to_the_first_page(login, session):
    owner = UserFactory()
    _numbered(owner, 21)
    client = login(owner)
    token = _link(client.get("/projects").get_data(as_text=True), "next").split("cursor=")[1]
    # Meanwhile every project changed: none is older than the cursor's row any more.
    session.execute(Project.__table__.update().values(updated_at=T0 + timedelta(days=1)))
    emptied = client.get(f"/projects?cursor={token}").get_data(as_text=True)
    assert (_titles(emptied), _link(emptied, "First"), _link(emptied, "next")) == (
        [], "/projects", None)


@pytest.mark.parametrize("bad", ["abc", "²", "9" * 30, "YS4xLjE", "last-but-one"])
def test_projects_list_damaged_cursor_is_404_saying_so(login, session, bad):
    response = login(UserFactory()).get(f"/projects?cursor={bad}")
    assert (response.status_code, html.escape(BAD_CURSOR) in response.get_data(
        as_text=True)) == (404, True)


def test_projects_list_edited_cursor_is_404_not_another_page(login, session):
    owner = UserFactory()
    _numbered(owner, 21)
    client = login(owner)
    token = _link(client.get("/projects").get_data(as_text=True), "next").split("cursor=")[1]
    edited = token[:8] + ("A" if token[8] != "A" else "B") + token[9:]
    assert client.get(f"/projects?cursor={edited}").status_code == 404


def test_projects_list_unknown_whose_is_404_saying_so(login, session):
    response = login(UserFactory()).get("/projects?whose=everyone")
    assert (response.status_code, "whose should be" in response.get_data(as_text=True)) == (
        404, True)


def test_projects_list_whose_and_state_filters_stay_in_the_page_links(login, session):
    gm = grantmaker(roles=("grantmaker", "proposer"))
    _numbered(gm, 3, state="review")
    _numbered(UserFactory(), 22, state="review")
    client = login(gm)
    body = client.get("/projects?whose=others&state=review").get_data(as_text=True)
    nxt = _link(body, "next")
    assert ("whose=others" in nxt, "state=review" in nxt, len(_titles(body))) == (
        True, True, 20)
    rest = client.get(nxt).get_data(as_text=True)
    assert _titles(rest) == ["Project number 01", "Project number 00"]
    mine = client.get("/projects?whose=mine&cursor=last").get_data(as_text=True)
    assert _titles(mine) == ["Project number 02", "Project number 01", "Project number 00"]


# --- the dashboard's lists ---------------------------------------------------------------------

def _assignments(user, n):
    """`n` live assignments of `user` in open rounds, due one day after another."""
    session, gm = _session(), grantmaker()
    for i, project in enumerate(_numbered(UserFactory(), n, state="review")):
        round_ = ReviewRound(project_id=project.id, revision_id=project.current_revision.id,
                             number=1, status="open")
        session.add(round_)
        session.flush()
        session.add(Assignment(round_id=round_.id, reviewer_id=user.id, assigned_by_id=gm.id,
                               letter="A", due_on=date.today() + timedelta(days=i)))
    session.flush()


def _pilots(user, n):
    """`n` running pilots built by `user`, ending one day after another."""
    session = _session()
    for i, project in enumerate(_numbered(UserFactory(), n, state="pilot")):
        session.add(Pilot(project_id=project.id, starts_on=date.today() - timedelta(days=9),
                          ends_on=date.today() + timedelta(days=i), builders=[user]))
    session.flush()


def test_dashboard_reviewer_sees_20_of_21_assignments_and_a_link_to_all(login, session):
    user = reviewer()
    _assignments(user, 21)
    body = login(user).get("/").get_data(as_text=True)
    assert (len(_titles(body)), "All 21 of your review assignments" in body,
            'href="/dashboard/assignments"' in body) == (20, True, True)


def test_dashboard_builder_sees_20_of_21_pilots_and_a_link_to_all(login, session):
    user = builder()
    _pilots(user, 21)
    body = login(user).get("/").get_data(as_text=True)
    assert (len(_titles(body)), "All 21 of your running pilots" in body,
            'href="/dashboard/pilots"' in body) == (20, True, True)


def test_dashboard_proposer_sees_20_of_21_projects_and_a_link_to_all(login, session):
    owner = UserFactory()
    _numbered(owner, 21)
    body = login(owner).get("/").get_data(as_text=True)
    assert (len(_titles(body)), "All 21 of your projects" in body,
            'href="/projects?whose=mine"' in body) == (20, True, True)


def test_dashboard_list_that_fits_has_no_all_link(login, session):
    user = reviewer(roles=("reviewer", "proposer"))
    _numbered(user, 20)
    body = login(user).get("/").get_data(as_text=True)
    assert (len(_titles(body)), "All " in body.replace("All projects you can see", "")) == (
        20, False)


def test_dashboard_grantmaker_lists_capped_with_totals(login, session):
    gm = grantmaker()
    in_review = _numbered(UserFactory(), 21, state="review")
    rounds = []
    for project in in_review:
        rounds.append(ReviewRound(project_id=project.id,
                                  revision_id=project.current_revision.id, number=1))
    session.add_all(rounds)
    session.flush()
    newest = rounds[-1]
    done = Assignment(round_id=newest.id, reviewer_id=reviewer().id, assigned_by_id=gm.id,
                      letter="A")
    session.add_all([done, Assignment(round_id=newest.id, reviewer_id=reviewer().id,
                                      assigned_by_id=gm.id, letter="B")])
    session.flush()
    session.add(Review(assignment_id=done.id, revision_id=newest.revision_id,
                       stance="optimistic", net_negative=False, confidence=3,
                       expertise="familiar", no_conflict_attested=True))
    session.flush()
    body = login(gm).get("/").get_data(as_text=True)
    section = body.split("<h2>Projects in review</h2>")[1].split("</section>")[0]
    assert (len(_titles(section)), "<td>1 / 2</td>" in section, section.count("<td>0 / 0</td>"),
            "All 21 projects in review" in section) == (20, True, 19, True)
    workflow = body.split("<h2>Projects in the workflow</h2>")[1].split("</section>")[0]
    assert (len(_titles(workflow)), "All 21 projects of other proposers" in workflow) == (
        20, True)


# --- the lists in full -------------------------------------------------------------------------

def test_worklists_assignments_pages_of_50_then_past_the_end_is_404(login, session,
                                                                    monkeypatch):
    monkeypatch.setattr(worklists, "PER_PAGE", 4)  # 4 a page, so that 9 rows fill 3 pages
    user = reviewer()
    _assignments(user, 9)
    client = login(user)
    pages = [client.get(f"/dashboard/assignments?page={n}").get_data(as_text=True)
             for n in (1, 2, 3)]
    assert [_titles(p) for p in pages] == [
        [f"Project number {i:02}" for i in range(first, min(first + 4, 9))]
        for first in (0, 4, 8)]  # due soonest first
    assert ("Page 3 of 3" in pages[2], "9 in all" in pages[0]) == (True, True)
    past = client.get("/dashboard/assignments?page=4")
    assert (past.status_code, "No page 4: your review assignments fill 3 pages." in html.unescape(
        past.get_data(as_text=True))) == (404, True)


def test_worklists_pilots_ending_soonest_first_in_pages(login, session, monkeypatch):
    monkeypatch.setattr(worklists, "PER_PAGE", 2)
    user = builder()
    _pilots(user, 3)
    client = login(user)
    first, second = (client.get(f"/dashboard/pilots?page={n}").get_data(as_text=True)
                     for n in (1, 2))
    assert (_titles(first), _titles(second), "3 running in all" in first) == (
        ["Project number 00", "Project number 01"], ["Project number 02"], True)


@pytest.mark.parametrize("bad", ["0", "abc", "-1", "²", "9" * 30])
def test_worklists_bad_page_is_404(login, session, bad):
    assert login(reviewer()).get(f"/dashboard/assignments?page={bad}").status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/assignments", "/dashboard/pilots"])
def test_worklists_without_the_role_is_an_empty_first_page(login, session, path):
    response = login(UserFactory()).get(path)
    body = response.get_data(as_text=True)
    assert (response.status_code, "0 " in body, "Page 1 of 1" in body) == (200, True, True)
