"""The decision on the project page: the go form's labelled condition and re-review fields,
refusals shown on the page, and the "Decision" section with its renewal flag."""

from __future__ import annotations

import html
from datetime import date, timedelta

from reviewtool.services.decisions import latest_decision, stored_memo
from reviewtool.services.transitions import fire
from tests.factories import grantmaker, reviewed

CALM = [{"net_negative": False, "stance": "optimistic"}] * 3


def at_decision(session, workflow):
    """A project at the decision step (pilot skipped) and its grantmaker."""
    gm = grantmaker()
    project, _ = reviewed(workflow, CALM, by=gm)
    fire(session, workflow, project, "skip_pilot", actor=gm, comment="Cannot be trialled.")
    return project, gm


def go_form(project, **fields: str) -> dict[str, str]:
    return {"trigger": "go", "version": str(project.version), "comment": "Fund it.", **fields}


def test_go_form_has_labelled_condition_and_review_fields(session, workflow, login):
    project, gm = at_decision(session, workflow)
    page = login(gm).get(f"/projects/{project.id}").get_data(as_text=True)
    # one row to start with, and the template the script copies for "Add another condition"
    for row in (1, "__index__"):
        assert f'<label for="condition-{row}">Condition {row}</label>' in page
        assert f'<label for="condition-{row}-due">Condition {row} due date</label>' in page
    assert 'id="condition-2"' not in page
    assert '<label for="review_by">Re-review by (optional)</label>' in page
    assert "Preview draft memo" in page


def test_go_form_add_another_condition_without_script_keeps_typed(session, workflow, login):
    project, gm = at_decision(session, workflow)
    response = login(gm).post(f"/projects/{project.id}/transitions", data=go_form(
        project, **{"condition-1": "Venue contract", "condition-1-due": "2099-01-31",
                    "comment": "Go, on conditions.", "add_row": "conditions"}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="condition-1" maxlength="1000" value="Venue contract"' in page
    assert 'name="condition-1-due" min=' in page and 'value="2099-01-31"' in page
    assert 'name="condition-2" maxlength="1000" value=""' in page
    assert "Go, on conditions.</textarea>" in page
    session.expire_all()
    assert (project.state, latest_decision(session, project)) == ("decision", None)


def test_go_form_with_condition_records_it_and_shows_decision(session, workflow, login):
    project, gm = at_decision(session, workflow)
    client = login(gm)
    response = client.post(f"/projects/{project.id}/transitions", data=go_form(
        project, **{"condition-1": "Report after month one", "condition-1-due": "2027-06-30",
                    "condition-2": "", "condition-2-due": "", "review_by": "2028-01-31"}))
    assert response.status_code == 303
    decision = latest_decision(session, project)
    assert (decision.kind, decision.conditions, decision.review_by) == (
        "go", [{"text": "Report after month one", "due_on": "2027-06-30"}], date(2028, 1, 31))
    page = html.unescape(client.get(f"/projects/{project.id}").get_data(as_text=True))
    assert "Report after month one (due 2027-06-30)" in page
    assert stored_memo(session, project).sha256 in page
    assert "renewal due" not in page


def test_go_form_with_bad_due_date_is_422_with_messages(session, workflow, login):
    project, gm = at_decision(session, workflow)
    response = login(gm).post(f"/projects/{project.id}/transitions", data=go_form(
        project, **{"condition-1": "Audit", "condition-1-due": "2027-02-30",
                    "condition-2-due": "2027-03-01", "review_by": "soon"}))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    for message in ("Condition 1: the due date '2027-02-30' is not a date; pick a day, or type "
                    "it as 2027-06-30.",
                    "Condition 2: say what the condition is (at most 1000 characters).",
                    "The re-review date 'soon' is not a date; pick a day, or type it as "
                    "2027-06-30."):
        assert f"<li>{message}</li>" in page
    assert (project.state, latest_decision(session, project)) == ("decision", None)


def test_decision_section_flags_renewal_due_after_review_by(session, workflow, login):
    project, gm = at_decision(session, workflow)
    fire(session, workflow, project, "go", actor=gm, comment="Fund it.",
         extra={"review_by": (date.today() + timedelta(days=30)).isoformat()})
    decision = latest_decision(session, project)
    decision.review_by = date.today() - timedelta(days=1)  # time has passed since
    session.flush()
    page = login(project.owner).get(f"/projects/{project.id}").get_data(as_text=True)
    assert '<strong class="warning">renewal due</strong>' in page
    assert "Download memo (PDF)" in page


def test_go_form_with_past_dates_is_422_and_keeps_every_field(session, workflow, login):
    project, gm = at_decision(session, workflow)
    typed = {"comment": "Fund it, on conditions.", "condition-1": "Venue contract",
             "condition-1-due": "2019-05-01", "condition-2": "Safety officer",
             "condition-2-due": (date.today() + timedelta(days=30)).isoformat(),
             "review_by": "2020-01-31"}
    response = login(gm).post(f"/projects/{project.id}/transitions",
                              data=go_form(project, **typed))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    for message in ("Condition 1: the due date 2019-05-01 is in the past; give a date from "
                    "today on.",
                    "The re-review date 2020-01-31 is in the past; give a date from today on."):
        assert f"<li>{message}</li>" in page
    assert ">Fund it, on conditions.</textarea>" in page
    for name, value in typed.items():
        if name != "comment":
            assert f'name="{name}" ' in page and f'value="{value}"' in page
    assert (project.state, latest_decision(session, project)) == ("decision", None)
