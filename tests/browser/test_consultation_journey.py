"""A consultation in a real browser on the demo data: the admin makes Tess a panellist, she
joins the panel; the grantmaker opens a consultation and its first wave, Tess answers, the
grantmaker closes the wave and reads the results."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

GRANTMAKER, TESS, ADMIN = ("gus@longfund.example", "tess@tessreviews.example",
                           "ann@reviewtool.example")
PASSWORD = "demo-password"
AXE = Axe()


def _serious(page: Page) -> list[str]:
    """axe-core's serious or critical violations on the page (as the accessibility test)."""
    return [f"{page.url}: {v['id']} {v['help']}" for v in AXE.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _make_panellist(page: Page) -> None:
    token = page.request.post("/api/v1/tokens", data={"email": ADMIN,
                                                      "password": PASSWORD}).json()["token"]
    users = page.request.get("/api/v1/users?q=tess", headers={
        "Authorization": f"Bearer {token}"}).json()["items"]
    tess = next(u for u in users if u["email"] == TESS)
    changed = page.request.patch(f"/api/v1/users/{tess['id']}", headers={
        "Authorization": f"Bearer {token}"}, data={"roles": [*tess["roles"], "panellist"]})
    assert changed.status == 200, changed.text()


def test_grantmaker_opens_a_consultation_panellist_answers_grantmaker_reads_results(
        page: Page, console_errors, screenshot_path) -> None:
    _make_panellist(page)
    _sign_in(page, TESS)
    page.get_by_role("link", name="Panel").click()
    violations = _serious(page)
    page.get_by_label("Work group").select_option(label="Technical")
    page.get_by_label("Technical", exact=True).check()
    page.get_by_label("Seniority").select_option(label="Senior")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your panel details are saved.")
    _sign_out(page)

    _sign_in(page, GRANTMAKER)
    page.get_by_role("link", name="Consultations").click()
    violations += _serious(page)
    page.get_by_role("link", name="New consultation").click()
    violations += _serious(page)
    page.get_by_label("Title").fill("Courses for undergraduates in a new city")
    page.get_by_label("Project type").select_option(label="Training programme or course")
    page.get_by_label("The kind of project").fill(
        "In-person AI-safety courses for undergraduates in a new city.")
    page.get_by_role("button", name="Create consultation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open wave 1")
    violations += _serious(page)
    page.get_by_label("Closing date").fill((date.today() + timedelta(days=7)).isoformat())
    # The whole panel: the demo's six panellists and Tess (a sample might leave her out).
    page.get_by_label("How many panellists to invite").fill("7")
    page.get_by_role("button", name="Open the wave and invite").click()
    expect(page.get_by_role("status")).to_contain_text("Wave 1 is open")
    consultation_url = page.url
    _sign_out(page)

    _sign_in(page, TESS)
    page.get_by_role("link", name="Panel").click()
    page.get_by_role("link", name="Courses for undergraduates in a new city").click()
    violations += _serious(page)
    page.get_by_label("Pessimistic").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Why? (required if yes)").fill("Nobody senior checks what is taught.")
    page.get_by_label("Confidence").select_option("4")
    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_role("status")).to_contain_text("your answer is saved")
    _sign_out(page)

    _sign_in(page, GRANTMAKER)
    page.goto(consultation_url)
    page.get_by_role("button", name="Close wave 1").click()
    expect(page.get_by_role("status")).to_contain_text("Wave 1 is closed")
    row = page.locator('#waves tr[data-wave="1"]')
    expect(row.locator("td").nth(2)).to_have_text("7")  # invited
    # 1 of 1 net negative: Wilson 95% with n = 1 is [20.7%, 100%] (centre (1 + 1.9208) /
    # 4.8416 = 0.60329, half 1.96 · sqrt(0 + 0.9604) / 4.8416 = 0.39671).
    expect(row).to_contain_text("100.0%")
    expect(row).to_contain_text("20.7% to 100.0%")
    expect(page.get_by_text("Nobody senior checks what is taught.")).to_be_visible()
    expect(page.locator("#change-words")).to_have_text(
        re.compile("Two closed waves with answers are needed"))
    violations += _serious(page)
    if screenshot_path:
        page.screenshot(path=str(screenshot_path / "consultation.png"), full_page=True)
    assert violations == []
    assert console_errors.unexpected() == []
