"""The grantmaker's dashboard leads with what waits on them, each kind with its count."""

from __future__ import annotations

from datetime import date, timedelta

from reviewtool.services.read.queue import grantmaker_queue
from reviewtool.services.reviews import declare_conflict
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


def test_dashboard_for_grantmaker_leads_with_the_queue(login, session, workflow):
    gm = grantmaker()
    journey = at_decision(workflow)
    page = login(gm).get("/").get_data(as_text=True)
    assert page.index("What waits on you") < page.index("Projects in review")
    assert "1 Project waiting for your decision" in " ".join(page.replace(
        "</span>", "").replace('<span class="count">', "").split())
    assert f'href="/projects/{journey.project.id}"' in page
    assert "The pipeline by state" in page
