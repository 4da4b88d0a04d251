"""The proposer's journey in a real browser: sign in, draft a proposal through its labelled
fields, submit it, and see where it now stands; refusals and sign-out on the way."""

from __future__ import annotations

import os
import re

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PROPOSER = "ada@safetycommons.example"
PASSWORD = "demo-password"
TITLE = "Reading group for ML engineers in Nairobi"


def sign_in(page: Page, email: str = PROPOSER, password: str = PASSWORD) -> None:
    """Sign in through the login form and land on the dashboard."""
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def open_new_proposal(page: Page) -> None:
    """Follow the navigation's "New proposal" link."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New proposal")


def test_proposal_submitted_moves_to_risk_model(page: Page, console_errors, screenshot_path,
                                                live_server: str) -> None:
    """The issue's "Done when": a complete proposal, submitted, is in the risk-model step."""
    sign_in(page)
    open_new_proposal(page)

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary (Markdown)", exact=True).fill(
        "A twelve-week **reading group** on alignment papers for working ML engineers.")
    page.get_by_label("Project type", exact=True).select_option(
        label="Community or university group")
    page.get_by_label("Technical", exact=True).check()
    page.get_by_label("Start", exact=True).check()
    page.get_by_label("Aims to move Contributors", exact=True).check()
    page.get_by_label("How Contributors would be measured", exact=True).fill(
        "Members who apply to a safety fellowship within a year (target: 5 of 20).")
    page.get_by_label("Role 1: Profession or skill", exact=True).select_option(
        label="Skill: Teaching")
    page.get_by_label("Role 1: Technical (needs ML knowledge)", exact=True).check()
    page.get_by_label("Role 1: Commitment", exact=True).select_option(label="Fractional")
    page.get_by_label("Role 1: Hours per month", exact=True).fill("6")
    page.get_by_label("Location", exact=True).fill("Nairobi")
    page.get_by_label("Budget", exact=True).fill("USD 2,400")
    page.get_by_label("Timeline", exact=True).fill("September to November 2026")
    page.get_by_role("button", name="Save draft").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/projects/\d+$"))
    expect(page.get_by_role("status")).to_have_text("Draft saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{TITLE} Draft")
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text("Draft")
    expect(page.locator(".notice")).to_have_count(0)  # nothing missing

    page.get_by_label("Comment for “Submit proposal” (optional)", exact=True).fill(
        "Ready for the risk model.")
    page.get_by_role("button", name="Submit proposal").click()

    expect(page.get_by_role("status")).to_have_text(
        "Done: the project is now at step 'Risk model'.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{TITLE} Risk model")
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text("Risk model")
    expect(page.locator(".stepper .step.done")).to_have_text(["Draft"])
    expect(page.get_by_role("button", name="Submit proposal")).to_have_count(0)
    rows = page.locator(".history tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells).to_have_count(5)
    expect(cells.nth(0)).to_have_text(re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$"))
    expect(cells.nth(1)).to_have_text("Ada Proposer")
    expect(cells.nth(2)).to_have_text("Submit proposal")
    expect(cells.nth(3)).to_have_text("Draft → Risk model")
    expect(cells.nth(4)).to_have_text("Ready for the risk model.")

    if screenshot_path is not None:
        page.screenshot(path=str(screenshot_path / "project-page.png"), full_page=True)
    assert console_errors.unexpected() == []


def test_submit_incomplete_draft_lists_what_is_missing(page: Page, console_errors) -> None:
    """Submitting a draft with only a title stays in draft and says what is missing."""
    sign_in(page)
    open_new_proposal(page)
    page.get_by_label("Title", exact=True).fill("Half-written idea")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Draft saved.")

    with page.expect_response(re.compile(r"/transitions$")) as answer:
        page.get_by_role("button", name="Submit proposal").click()
    assert answer.value.status == 422

    missing = ["Summary is missing.", "Project type is missing.",
               "Target outcomes are missing: name at least one and how you would measure it.",
               "Roles needed are missing: name at least one profession or skill."]
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading")).to_have_text("That could not be done")
    expect(alert.get_by_role("listitem")).to_have_text(missing)
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text("Draft")
    expect(page.locator(".history tbody tr")).to_have_text(
        ["No moves yet: the project is a draft."])
    # The refusal is a 422 answer by design, which Chromium reports as a failed load.
    refused = re.compile(r"^console: Failed to load resource: the server responded with a "
                         r"status of 422 \(UNPROCESSABLE ENTITY\) \(http://127\.0\.0\.1:\d+"
                         r"/projects/\d+/transitions\)$")
    assert console_errors.unexpected(refused) == []


def test_dashboard_after_sign_out_redirects_to_login(page: Page, console_errors,
                                                     live_server: str) -> None:
    """After signing out, the dashboard is no longer reachable: it leads to /login."""
    sign_in(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    expect(page).to_have_url(f"{live_server}/login")

    response = page.goto("/")
    assert response is not None and response.status == 200
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.url == f"{live_server}/"
    assert page.url == f"{live_server}/login?next=%2F"
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert console_errors.unexpected() == []
