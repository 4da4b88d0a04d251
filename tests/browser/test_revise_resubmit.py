"""The proposer's revise-and-resubmit journey in a real browser: after round 1 asked for
safeguards, add one for each flagged category through the labelled editor, resubmit, and see
round 2 open with the project back in review."""

from __future__ import annotations

import os

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PROPOSER = "ben@campusalignment.example"
PASSWORD = "demo-password"
TITLE = "Career-advising sprint for ML PhD students"


def sign_in(page: Page) -> None:
    """Sign in through the login form and land on the dashboard."""
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(PROPOSER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def add_safeguard(page: Page, *, kind: str, description: str, responsible: str,
                  category: str, concern: str, likelihood: str, severity: str) -> None:
    """Fill the editor's new row through its labels and save it."""
    page.get_by_label("New safeguard: Safeguard type", exact=True).select_option(label=kind)
    page.get_by_label("New safeguard: Description", exact=True).fill(description)
    page.get_by_label("New safeguard: Who is responsible", exact=True).fill(responsible)
    page.get_by_role("group", name="New safeguard: Addresses risk categories").get_by_label(
        category, exact=True).check()
    page.get_by_role("group", name="New safeguard: Answers concerns of").get_by_label(
        concern, exact=True).check()
    page.get_by_label("New safeguard: Expected residual likelihood",
                      exact=True).select_option(label=likelihood)
    page.get_by_label("New safeguard: Expected residual severity",
                      exact=True).select_option(label=severity)
    page.get_by_role("button", name="Save safeguards").click()
    expect(page.get_by_role("status")).to_have_text("Safeguards saved.")


def test_revise_and_resubmit_opens_round_2(page: Page, console_errors, screenshot_path,
                                           live_server: str) -> None:
    """The issue's "Done when": the proposer's revise-and-resubmit journey passes."""
    sign_in(page)
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator(".stepper [aria-current=step]")).to_have_text("Safeguard revision")

    page.get_by_role("link", name="Write safeguards", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safeguards")
    expect(page.get_by_role("heading", name="Concerns raised in round 1")).to_be_visible()
    expect(page.get_by_text("No safeguard addresses this category yet")).to_have_count(2)

    add_safeguard(page, kind="Supervisory team",
                  description="A senior safety researcher joins every call that mentions a lab.",
                  responsible="Ben Proposer", category="Speeding up capabilities research",
                  concern="Round 1, Reviewer C", likelihood="1 rare", severity="4 major")
    add_safeguard(page, kind="Pilot testing process",
                  description="Five pilot calls first, with a check-in one month later.",
                  responsible="Ben Proposer", category="Participant harm",
                  concern="Round 1, Reviewer A", likelihood="1 rare",
                  severity="3 moderate")
    expect(page.get_by_text("No safeguard addresses this category yet")).to_have_count(0)
    expect(page.get_by_role("group", name="Safeguard 2", exact=True)).to_be_visible()
    if screenshot_path:
        page.screenshot(path=str(screenshot_path / "safeguards.png"), full_page=True)

    page.get_by_role("link", name="Back to the project").click()
    page.get_by_role("button", name="Resubmit with safeguards").click()
    expect(page.get_by_role("status")).to_have_text("Done: the project is now at step 'Review'.")
    expect(page.locator(".stepper [aria-current=step]")).to_have_text("Review")
    expect(page.get_by_role("heading", name="Round 2 open")).to_be_visible()
    expect(page.get_by_role("heading", name="Round 1 closed")).to_be_visible()
    assert console_errors.unexpected() == []
