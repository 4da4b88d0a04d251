"""The grantmaker's decision in a real browser, on the demo project that skipped its pilot:
fill the rationale and a condition through their labels, decide go, see the memo's hash."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

from reviewtool.demo.data import HACKATHON

pytestmark = pytest.mark.browser

GRANTMAKER = "gus@longfund.example"
PASSWORD = "demo-password"
TITLE = HACKATHON["title"]


def test_grantmaker_decides_go_with_condition_and_sees_memo_hash(
        page: Page, console_errors, live_server: str) -> None:
    """Sign in, open the project in decision, decide go with a condition, read the hash."""
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(GRANTMAKER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    page.goto("/projects?state=decision")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("link", name="Preview draft memo")).to_be_visible()

    due = (date.today() + timedelta(days=60)).isoformat()
    page.get_by_label("Rationale for “Decide go” (required)").fill(
        "Disclosure holds and the event is small: go, with a disclosure check.")
    page.get_by_label("Condition 1", exact=True).fill("Disclosure plan signed by the venue.")
    page.get_by_label("Condition 1 due date", exact=True).fill(due)
    # Deciding renders and stores the memo PDF in the same request; WeasyPrint's first render
    # in a process loads the fonts (several seconds on a busy machine), so allow for that.
    page.get_by_role("button", name="Decide go").click(timeout=60_000)

    expect(page.get_by_role("status")).to_have_text("Done: the project is now at step 'Go'.")
    decision = page.get_by_role("region", name="Decision")
    expect(decision).to_contain_text(f"Disclosure plan signed by the venue. (due {due})")
    expect(page.locator("#memo-sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(decision.get_by_role("link", name="Download memo (PDF)")).to_be_visible()
    assert console_errors.unexpected() == []
