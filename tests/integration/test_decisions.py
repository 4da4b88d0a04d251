"""Decisions through the services: the full journey from a draft to `go` and the memo stored
with it; `recycle`, `no_go` from review, refused decisions, and byte-identical renders."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import func, select

from reviewtool.errors import Invalid
from reviewtool.memo.render import render_html, render_pdf, sha256
from reviewtool.models import Decision, Memo
from reviewtool.services.decisions import latest_decision, stored_memo
from reviewtool.services.read.memo import build_context, summary_line
from reviewtool.services.transitions import fire
from tests.decision_factories import (
    CRITERIA,
    OVERRIDE,
    RATIONALE,
    REVIEWERS,
    SAFEGUARDS,
    at_decision,
    decide_go,
    pdf_info,
    pdf_row,
    pdf_text,
)
from tests.factories import COMPLETE, _session, grantmaker, reviewed

CONDITION = {"text": "Report attendance after month one", "due_on": "2027-06-30"}
CALM = [{"net_negative": False, "stance": "optimistic"}] * 3


def skipped_to_decision(workflow):
    """A project whose round 1 (0 % concern) went straight to the decision step."""
    gm = grantmaker()
    project, _ = reviewed(workflow, CALM, by=gm)
    fire(_session(), workflow, project, "skip_pilot", actor=gm,
         comment="The risk cannot be tested in a trial.")
    return project, gm


def memo_count(session, project) -> int:
    return session.scalar(select(func.count()).select_from(Memo)
                          .where(Memo.project_id == project.id))


def test_go_after_full_journey_stores_memo_with_figures_safeguards_and_verdicts(
        session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey, conditions=[CONDITION], review_by="2028-01-31")
    project = journey.project
    decision = latest_decision(session, project)
    memo = stored_memo(session, project)
    assert (project.state, decision.kind, decision.rationale, decision.conditions,
            decision.review_by) == ("go", "go", RATIONALE, [CONDITION], date(2028, 1, 31))
    assert (memo.decision_id, memo.sha256) == (decision.id, sha256(memo.pdf))
    text = pdf_text(memo.pdf)
    for expected in (COMPLETE["title"], "Decision: Go", RATIONALE, CONDITION["text"],
                     "2027-06-30", "Re-review by 2028-01-31.", OVERRIDE,
                     "Round 1: 66.7% → Round 2: 33.3%", "3 reviews · concern 66.7%",
                     "3 reviews · concern 33.3%",
                     *(s["description"] for s in SAFEGUARDS),
                     *(c["metric"] for c in CRITERIA)):
        assert expected in text, expected
    assert pdf_row(memo.pdf, CRITERIA[0]["metric"]).endswith(" met")
    assert pdf_row(memo.pdf, CRITERIA[1]["metric"]).endswith(" not breached")
    assert "DRAFT" not in text


def test_go_memo_names_no_reviewer_in_text_bytes_html_or_metadata(session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    memo = stored_memo(session, journey.project)
    text, info = pdf_text(memo.pdf), pdf_info(memo.pdf)
    assert "Reviewer A" in text and "Reviewer C" in text
    for name, email in REVIEWERS:
        for secret in (name, email, name.split()[1]):
            assert secret not in text
            assert secret not in info
            assert secret not in memo.html
            assert secret.encode() not in memo.pdf
            assert secret.encode("utf-16-be") not in memo.pdf
    assert "Author: Gus Granter" in " ".join(info.split())


def test_recycle_from_decision_moves_to_revision_with_new_draft_revision(session, workflow):
    project, gm = skipped_to_decision(workflow)
    fire(session, workflow, project, "recycle", actor=gm, comment="Add a safeguard first.")
    decision = latest_decision(session, project)
    current = project.current_revision
    assert (project.state, decision.kind, decision.rationale, decision.conditions) == (
        "revision", "recycle", "Add a safeguard first.", [])
    assert (current.number, current.submitted_at, [r.number for r in project.revisions]) == (
        2, None, [1, 2])
    assert memo_count(session, project) == 0


def test_no_go_from_review_stores_memo_and_closes_round(session, workflow):
    gm = grantmaker()
    project, _ = reviewed(workflow, CALM, by=gm)
    fire(session, workflow, project, "no_go", actor=gm, comment="Out of scope for the fund.")
    memo = stored_memo(session, project)
    text = pdf_text(memo.pdf)
    assert (project.state, memo_count(session, project), memo.sha256) == (
        "no_go", 1, sha256(memo.pdf))
    assert "Decision: No-go" in text
    assert "Out of scope for the fund." in text
    assert "Round 1 (revision 1, closed)" in text


def test_go_without_comment_is_invalid_and_records_nothing(session, workflow):
    project, gm = skipped_to_decision(workflow)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "go", actor=gm, comment="  ")
    assert refused.value.messages == ["'Decide go' needs a rationale: write it in the comment."]
    assert (project.state, latest_decision(session, project)) == ("decision", None)


def test_go_with_badly_dated_conditions_is_invalid_with_each_message(session, workflow):
    project, gm = skipped_to_decision(workflow)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "go", actor=gm, comment="Fund it.", extra={
            "conditions": [CONDITION, {"text": "Audit", "due_on": "2027-02-30"},
                           {"text": "", "due_on": "2027-03-01"}], "review_by": "next year"})
    assert refused.value.messages == [
        "Condition 2: the due date '2027-02-30' is not a date; pick a day, or type it as "
        "2027-06-30.",
        "Condition 3: say what the condition is (at most 1000 characters).",
        "The re-review date 'next year' is not a date; pick a day, or type it as 2027-06-30."]
    assert session.scalar(select(func.count()).select_from(Decision)
                          .where(Decision.project_id == project.id)) == 0


def test_conditions_on_no_go_are_invalid(session, workflow):
    project, gm = skipped_to_decision(workflow)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "no_go", actor=gm, comment="No.",
             extra={"conditions": [CONDITION]})
    assert refused.value.messages == [
        "Conditions and a re-review date belong to a 'go' decision."]


def test_render_same_context_twice_gives_identical_bytes(session, workflow):
    project, _ = skipped_to_decision(workflow)
    first = render_html(build_context(session, project, workflow.settings, None, draft=True))
    second = render_html(build_context(session, project, workflow.settings, None, draft=True))
    assert first == second
    assert render_pdf(first) == render_pdf(second)


def test_rerender_of_stored_decision_gives_stored_bytes(session, workflow):
    project, gm = skipped_to_decision(workflow)
    fire(session, workflow, project, "go", actor=gm, comment="Fund it.")
    memo = stored_memo(session, project)
    context = build_context(session, project, workflow.settings, memo.decision, draft=False)
    assert render_html(context) == memo.html
    assert render_pdf(render_html(context)) == memo.pdf


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text, without the running header and footer."""
    count = int(next(line.split()[1] for line in pdf_info(pdf).splitlines()
                     if line.startswith("Pages:")))
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout",
                               "-", "-"], input=pdf, capture_output=True, check=True).stdout
        lines = [" ".join(line.split()) for line in text.decode().splitlines() if line.strip()]
        pages.append([line for line in lines if not re.fullmatch(
            r"(reviewtool decision memo )?Page \d+ of \d+|reviewtool decision memo|"
            + re.escape(COMPLETE["title"]), line)])
    return pages


def test_go_memo_page_one_holds_summary_line_and_each_pilot_criterion(session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    pdf = stored_memo(session, journey.project).pdf
    first = " ".join(pdf_pages(pdf)[0])
    assert summary_line(COMPLETE["summary"]) in first
    assert "budget USD 12,000" in first
    for metric, target, measured, verdict in (
            ("Participants who finish", ">= 10 people", "12 people", "met"),
            ("Kill: Participants reporting burnout", ">= 3 people", "1 people",
             "not breached")):
        assert f"{metric} {target} {measured} {verdict}" in first, metric
    assert "Top concerns, in the reviewers' words" in first


def test_go_memo_has_no_page_with_fewer_than_five_lines(session, workflow):
    journey = at_decision(workflow)
    decide_go(workflow, journey, conditions=[{"text": "Report at month one",
                                              "due_on": "2030-01-31"}])
    pages = pdf_pages(stored_memo(session, journey.project).pdf)
    assert [len(lines) >= 5 for lines in pages] == [True] * len(pages)
