"""The senior reviewer's journey in a real browser (the issue's "Done when"): open the
assignment from the dashboard, fill the review through its labelled controls, submit it, and
see the other reviewers' reviews only afterwards, under round-local letters."""

from __future__ import annotations

import os
import re

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REVIEWER = "omar@safetyinstitute.example"  # demo: assigned to the course's round 1, pending
PASSWORD = "demo-password"
COURSE = "AI-safety fundamentals course for engineers in Lagos"
CAPABILITIES_RISK = "Graduates move into capabilities work at local AI start-ups."
SAM_RATIONALE = re.compile(r"^Graduates of technical courses in this region mostly join")


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and land on the dashboard."""
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def test_reviewer_submits_review_then_sees_the_others(page: Page, console_errors,
                                                        screenshot_path, live_server: str):
    sign_in(page, REVIEWER)
    assignments = page.get_by_role("table", name=re.compile("^Projects you are asked to review"))
    row = assignments.get_by_role("row").filter(has_text=COURSE)
    due = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$")  # "16 Dec 2026"
    expect(row.get_by_role("cell")).to_have_text([COURSE, "1", due, "pending", "14",
                                                  f"Write your review of {COURSE}"])
    row.get_by_role("link", name=f"Write your review of {COURSE}").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/projects/\d+/review$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your review of “{COURSE}”")
    expect(page.get_by_text(SAM_RATIONALE)).to_have_count(0)  # independent until submitted

    page.get_by_label("Neutral", exact=True).check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Why? (required if yes)", exact=True).fill(
        "Without follow-up, graduates will be recruited by capabilities start-ups.")
    page.get_by_label("Speeding up capabilities research", exact=True).check()
    page.get_by_label(f"{CAPABILITIES_RISK} — your likelihood", exact=True).select_option(
        label="4 likely")
    page.get_by_label(f"{CAPABILITIES_RISK} — your severity", exact=True).select_option(
        label="4 major")
    page.get_by_label("Suggested safeguards (one per line)", exact=True).fill(
        "Alumni mentoring for a year\nPlacement partnerships with safety labs")
    page.get_by_label("Confidence", exact=True).select_option(label="4")
    page.get_by_label("Expertise", exact=True).select_option(label="Expert")
    page.get_by_label("I have no conflict of interest with this project", exact=True).check()
    if screenshot_path:
        page.screenshot(path=str(screenshot_path / "review-form.png"), full_page=True)
    page.get_by_role("button", name="Submit review").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/projects/\d+"
                                        r"#senior-review$"))
    expect(page.get_by_role("status")).to_have_text(
        "Your review is submitted. The other reviews of this round are shown below.")
    review_headings = page.locator("article.review h5")
    expect(review_headings).to_have_text(["Reviewer A", "Reviewer B", "Reviewer C (you)"])
    expect(page.get_by_text(SAM_RATIONALE)).to_have_count(1)
    figures = page.get_by_role("table", name="Figures of round 1")
    expect(figures.get_by_role("row")).to_have_text([
        "FigureValue", "Reviews submitted3", "Concern (could be net negative)66.7%",
        "Confidence-weighted concern63.6%", "Optimism33.3%"])
    expect(page.get_by_text("Rhea Reviewer")).to_have_count(0)  # letters, never names
    if screenshot_path:
        page.screenshot(path=str(screenshot_path / "senior-review.png"), full_page=True)
    assert console_errors.unexpected() == []
