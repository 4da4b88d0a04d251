"""The grantmaker's dashboard leads with what waits on them, each kind with its count."""

from __future__ import annotations

from datetime import date, timedelta

from reviewtool.services.read.queue import Slice, grantmaker_queue
from reviewtool.services.reviews import declare_conflict, unassign_reviewer
from reviewtool.services.transitions import fire
from tests.decision_factories import at_decision
from tests.factories import assign, grantmaker, project_in_review, reviewed, reviewer
from tests.pilot_factories import ROUND_25, observe, running


def test_queue_lists_each_kind_of_waiting_work(session, workflow):
    gm = grantmaker()
    ready, _ = reviewed(workflow, ROUND_25, by=gm)
    late = project_in_review(workflow)
    assign(late, reviewer(name="Lena Late"), by=gm, due_on=date.today() - timedelta(days=3))
    journey = at_decision(workflow)
    piloting, _, builder = running(workflow)
    observe(piloting, builder, "kill", 5)  # breached: an alert
    decided = at_decision(workflow, reviewers=[reviewer(), reviewer(), reviewer()])
    fire(session, workflow, decided.project, "go", actor=gm, comment="Fund it.", extra={
        "conditions": [{"text": "Venue signed",
                        "due_on": (date.today() + timedelta(days=5)).isoformat()}],
        "review_by": (date.today() + timedelta(days=1)).isoformat()})
    queue = grantmaker_queue(session, gm, today=date.today() + timedelta(days=2))
    assert [r["id"] for r in queue["rounds_ready"]] == [ready.id]
    assert [r["id"] for r in queue["in_decision"]] == [journey.project.id]
    assert [r["id"] for r in queue["alerts"]] == [piloting.id]
    assert [(r["id"], r["text"]) for r in queue["conditions_due"]] == [
        (decided.project.id, "Venue signed")]
    assert [r["id"] for r in queue["renewals_due"]] == [decided.project.id]
    assert [(r["id"], r["reviewer"]) for r in queue["reviews_overdue"]] == [(late.id,
                                                                            "Lena Late")]


def test_queue_leaves_out_projects_the_grantmaker_may_not_steer(session, workflow):
    gm = grantmaker()
    ready, _ = reviewed(workflow, ROUND_25)
    declare_conflict(session, gm, ready, "personal")
    own, _ = reviewed(workflow, ROUND_25, owner=grantmaker(roles=("proposer", "grantmaker")))
    assert grantmaker_queue(session, gm)["rounds_ready"] == [
        {"id": own.id, "title": own.current_revision.title, "round": 1, "reviews": 4}]
    # Its owner steers the other project, never their own.
    assert [r["id"] for r in grantmaker_queue(session, own.owner)["rounds_ready"]] == [ready.id]


def test_queue_rounds_ready_when_every_live_assignment_is_reviewed(session, workflow):
    gm = grantmaker()
    # Two reviewed and one taken off before reviewing: ready, with 2 reviews.
    ready, _ = reviewed(workflow, ROUND_25[:2], by=gm)
    dropped = reviewer()
    assign(ready, dropped, by=gm)
    unassign_reviewer(session, gm, ready, dropped.id)
    # One of two reviewed: not ready. Nobody assigned: not ready.
    half, _ = reviewed(workflow, ROUND_25[:1], by=gm)
    assign(half, reviewer(), by=gm)
    project_in_review(workflow)
    queue = grantmaker_queue(session, gm)
    assert queue["rounds_ready"] == [{"id": ready.id, "title": ready.current_revision.title,
                                      "round": 1, "reviews": 2}]
    assert queue["totals"]["rounds_ready"] == 1


def test_dashboard_for_grantmaker_leads_with_the_queue(login, session, workflow):
    gm = grantmaker()
    journey = at_decision(workflow)
    page = login(gm).get("/").get_data(as_text=True)
    assert page.index("What waits on you") < page.index("Projects in review")
    assert "1 Project waiting for your decision" in " ".join(page.replace(
        "</span>", "").replace('<span class="count">', "").split())
    assert f'href="/projects/{journey.project.id}"' in page
    assert "The pipeline by state" in page


def _late_reviews(workflow, gm, days: list[int]) -> list[int]:
    """One project in review per entry, its one review overdue by that many days."""
    ids = []
    for n, late in enumerate(days):
        project = project_in_review(workflow)
        assign(project, reviewer(name=f"Late {n}"), by=gm,
               due_on=date.today() - timedelta(days=late))
        ids.append(project.id)
    return ids


def test_queue_slice_gives_the_rows_of_one_kind_and_its_total(session, workflow):
    gm = grantmaker()
    ids = _late_reviews(workflow, gm, [5, 9, 1, 7])  # most overdue first: 9, 7, 5, 1
    queue = grantmaker_queue(session, gm, part=Slice(2, 1, ("reviews_overdue",)))
    assert queue["totals"] == {"reviews_overdue": 4}
    assert [r["id"] for r in queue["reviews_overdue"]] == [ids[3], ids[0]]  # 7 and 5 days
    assert "rounds_ready" not in queue


def test_dashboard_queue_shows_ten_rows_and_links_to_all(login, session, workflow):
    gm = grantmaker()
    ids = _late_reviews(workflow, gm, list(range(12, 0, -1)))  # 12 days late ... 1 day late
    whole = login(gm).get("/").get_data(as_text=True)
    page = whole[whole.index("What waits on you"):whole.index("The pipeline by state")]
    shown = [i for i in ids if f'href="/projects/{i}"' in page]
    assert shown == ids[:10]
    assert '<span class="count">12</span> Reviews overdue' in page
    assert 'href="/queue?kind=reviews_overdue">All 12 reviews overdue</a>' in page


def test_queue_page_lists_a_kind_page_by_page(login, session, workflow):
    gm = grantmaker()
    ids = _late_reviews(workflow, gm, list(range(52, 0, -1)))  # 52 late reviews, 50 a page
    client = login(gm)
    first = client.get("/queue?kind=reviews_overdue").get_data(as_text=True)
    second = client.get("/queue?kind=reviews_overdue&page=2")
    assert second.status_code == 200
    body = second.get_data(as_text=True)
    assert [i for i in ids if f'href="/projects/{i}"' in body] == ids[50:]
    assert [i for i in ids if f'href="/projects/{i}"' in first] == ids[:50]
    assert "Page 2 of 2" in body and "52 in all" in body


def test_queue_page_refuses_an_unknown_kind_or_a_page_past_the_end(login, session, workflow):
    client = login(grantmaker())
    unknown = client.get("/queue?kind=everything")
    assert unknown.status_code == 404
    assert "No such kind of waiting work: &#39;everything&#39;." in unknown.get_data(as_text=True)
    past = client.get("/queue?kind=alerts&page=3")
    assert past.status_code == 404
    assert "No page 3: alerts has 1." in past.get_data(as_text=True)
    assert client.get("/queue?page=x").status_code == 404
