"""A grantmaker's portfolio journey in a real browser, on the demo data: open the portfolio,
filter by project type, download a table as CSV, follow a "disagree most" link to the
project."""

from __future__ import annotations

import os
import re

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

GRANTMAKER = "gus@longfund.example"
PASSWORD = "demo-password"


def test_grantmaker_filters_the_portfolio_downloads_a_csv_and_opens_a_project(
        page: Page, console_errors, screenshot_path) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(GRANTMAKER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    by_type = page.locator('table[data-table="by_project_type"]')
    expect(by_type.get_by_role("rowheader", name="Community or university group")).to_be_visible()
    expect(page.get_by_role("img", name="Optimism and concern by project type")).to_be_visible()

    page.get_by_label("Project type", exact=True).select_option(label="Events and conferences")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/portfolio\?project_type=events(&|$)"))
    expect(by_type.locator("tbody tr")).to_have_count(1)
    expect(by_type.get_by_role("rowheader")).to_have_text("Events and conferences")
    expect(by_type.locator('td[data-key="concern_pct"]')).to_have_text("38.5")
    if screenshot_path:
        page.screenshot(path=str(screenshot_path / "portfolio.png"))

    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download CSV: Optimism and concern by project type").click()
    download = downloaded.value
    assert download.suggested_filename == "portfolio-by_project_type.csv"
    with open(download.path(), encoding="utf-8-sig") as saved:
        text = saved.read()
    assert text.splitlines()[1].startswith("events,Events and conferences,4,13,38.5,30.8")

    disagree = page.locator('table[data-table="disagreement_projects"]')
    link = disagree.get_by_role("link").first
    title = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.get_by_role("complementary", name="Compared with other projects of its type")
           ).to_contain_text("Events and conferences")
    assert console_errors.unexpected() == []
