"""The builder's journey in a real browser, on the demo pilot: sign in, open the pilot from the
dashboard, record observations through labelled fields, and see criteria turn from pending to
met and to not met."""

from __future__ import annotations

import os
import re
from datetime import date

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

from reviewtool.demo.data import STUDY_GROUP

pytestmark = pytest.mark.browser

BUILDER = "bea@safetycommons.example"
PASSWORD = "demo-password"
TITLE = STUDY_GROUP["title"]


def sign_in(page: Page, email: str = BUILDER) -> None:
    """Sign in through the login form and land on the dashboard."""
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def verdict_of(page: Page, metric: str):
    """The verdict badge in the criteria table's row for `metric`."""
    return page.locator("table.criteria tbody tr").filter(has_text=metric).locator(".verdict")


def record(page: Page, option: str, value: str, note: str) -> None:
    """Follow "Record an observation", fill the labelled fields and save."""
    page.get_by_role("link", name="Record an observation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an observation")
    page.get_by_label("Criterion", exact=True).select_option(label=option)
    page.get_by_label("Value", exact=True).fill(value)
    expect(page.get_by_label("Date observed", exact=True)).to_have_value(
        date.today().isoformat())
    page.get_by_label("Note", exact=True).fill(note)
    page.get_by_role("button", name="Save observation").click()
    expect(page.get_by_role("status")).to_have_text("Observation recorded.")


def test_builder_records_observations_and_criteria_turn_met_and_not_met(
        page: Page, console_errors, screenshot_path, live_server: str) -> None:
    """The issue's "Done when": a builder's journey through the demo pilot."""
    sign_in(page)
    pilots = page.get_by_role("region", name="Your pilots")
    row = pilots.locator("tbody tr").filter(has_text=TITLE)
    expect(row.locator("td")).to_have_text([
        TITLE, "49", "1", "0", "2",
        re.compile(r"^Notebooks published \(never observed\)\s*Members joining the regional "
                   r"safety network \(never observed\)$")])
    row.get_by_role("link", name=TITLE).click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/projects/\d+/pilot$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator(".freeze code.hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(verdict_of(page, "Members attending week 3")).to_have_text("met")
    expect(verdict_of(page, "Notebooks published")).to_have_text("pending")
    expect(verdict_of(page, "Members reporting an unmanageable workload")).to_have_text(
        "not breached")
    expect(verdict_of(page, "Members joining the regional safety network")).to_have_text(
        "pending")
    expect(page.get_by_role("alert")).to_have_count(0)

    record(page, "Success: Notebooks published >= 3 notebooks", "4",
           "Four notebooks are public.")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server)}/projects/\d+/pilot$"))
    expect(verdict_of(page, "Notebooks published")).to_have_text("met")

    record(page, "Success: Members joining the regional safety network >= 5 people", "2",
           "Only two sign-ups name the group so far.")
    expect(verdict_of(page, "Members joining the regional safety network")).to_have_text(
        "not met")
    expect(page.locator(".pilot-summary")).to_have_text(
        "2 of 3 success criteria met; 0 of 1 kill criteria breached; 0 not measured yet; "
        "0 incidents (0 severe).")

    page.get_by_role("link", name="Dashboard").first.click()
    expect(row.locator("td").nth(4)).to_have_text("0")
    expect(row.locator("td").nth(2)).to_have_text("2")
    if screenshot_path is not None:
        page.goto(f"{live_server}/projects")
        page.get_by_role("link", name=TITLE).click()
        page.screenshot(path=str(screenshot_path / "pilot-page.png"), full_page=True)
    assert console_errors.unexpected() == []


def test_proposer_cannot_open_the_observation_form(page: Page, console_errors,
                                                   live_server: str) -> None:
    """Ada proposed the demo pilot's project: she sees the pilot but may not record in it."""
    sign_in(page, "ada@safetycommons.example")
    page.goto("/projects")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name="Pilot plan and results")).to_be_visible()
    expect(page.get_by_role("link", name="Record an observation")).to_have_count(0)
    response = page.goto(page.url + "/pilot/observations")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    refused = re.compile(r"^console: Failed to load resource: the server responded with a "
                         r"status of 403 \(FORBIDDEN\) \(http://127\.0\.0\.1:\d+/projects/\d+"
                         r"/pilot/observations\)$")
    assert console_errors.unexpected(refused) == []
