"""The risk-model editor in a real browser: Ben's outreach campaign (demo data) has an
incomplete model that marks reputational harm "not applicable" although the project needs
marketing; he fills it in through labelled fields, saves, and requests review."""

from __future__ import annotations

import os
import re

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

from reviewtool.demo import data as demo_data

pytestmark = pytest.mark.browser

OUTREACH = "Campus outreach campaign on AI risk"
MENTORING = "Mentoring scheme for policy researchers"
OWNERS = {fields["title"]: email for email, fields, *_rest in demo_data.PROJECTS}
BEN, ADA = OWNERS[OUTREACH], OWNERS[MENTORING]  # the demo's two proposers
BEN_NAME = {email: name for email, name, *_rest in demo_data.USERS}[BEN]
PASSWORD = demo_data.DEMO_PASSWORD
REFUSED = re.compile(r"^console: Failed to load resource: the server responded with a status "
                     r"of 422 \(UNPROCESSABLE ENTITY\) \(http://127\.0\.0\.1:\d+"
                     r"/projects/\d+/transitions\)$")
NOT_FOUND = re.compile(r"^console: Failed to load resource: the server responded with a "
                       r"status of 404 \(NOT FOUND\) \(http://127\.0\.0\.1:\d+"
                       r"/projects/\d+/risks/edit\)$")
REPUTATION = "Reputational harm to the community"


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def open_outreach(page: Page) -> str:
    """From Ben's dashboard to the outreach project's page; return its path."""
    page.get_by_role("link", name=OUTREACH, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(OUTREACH)
    return re.sub(r"^https?://[^/]+", "", page.url)


def label(page: Page, text: str):
    return page.get_by_label(text, exact=True)


def add_risk(page: Page, category: str, number: int, description: str, likelihood: str,
             severity: str, *, reversibility: str = "Reversible", pilot: str = "Yes",
             knowledge: str = "Medium", safeguard: str = "", residual: str = "") -> None:
    """Fill the blank row `number` of `category` through its labels."""
    prefix = f"{category} risk {number}: "
    label(page, prefix + "Description").fill(description)
    label(page, prefix + "Likelihood").select_option(likelihood)
    label(page, prefix + "Severity").select_option(severity)
    label(page, prefix + "Reversibility").select_option(label=reversibility)
    label(page, prefix + "Can a pilot reveal it?").select_option(label=pilot)
    label(page, prefix + "Strength of knowledge").select_option(label=knowledge)
    if safeguard:
        label(page, prefix + "Safeguards that lower it").fill(safeguard)
    if residual:
        label(page, prefix + "Residual likelihood").select_option(residual)


def not_applicable(page: Page, category: str, reason: str) -> None:
    label(page, f"{category}: Not applicable to this project").check()
    label(page, f"{category}: Why it does not apply").fill(reason)


def test_risk_editor_inline_error_for_lowered_residual(page: Page, console_errors) -> None:
    """A residual lowered with no safeguard named is refused next to that row's field, and
    nothing is saved. (Runs before the test below moves the project on to review.)"""
    sign_in(page, BEN)
    open_outreach(page)
    page.get_by_role("link", name="Edit risk model").click()
    add_risk(page, "Participant harm", 1, "Volunteers burn out.", "3", "3", residual="1")
    page.get_by_role("button", name="Save risk model").click()
    error = page.locator("#" + label(page, "Participant harm risk 1: Safeguards that lower "
                                     "it").get_attribute("id") + "-error")
    expect(error).to_have_text("The residual risk is lowered, so name the safeguard that "
                               "lowers it.")
    expect(page.get_by_role("alert").get_by_role("heading")).to_have_text("Please correct this")
    expect(page.get_by_role("alert")).to_contain_text(
        "Participant harm risk 1: Safeguards that lower it: The residual risk is lowered")
    expect(label(page, "Participant harm risk 1: Description")).to_have_value(
        "Volunteers burn out.")
    expect(page.locator("p.flash")).to_have_count(0)
    refused = re.compile(r"^console: Failed to load resource: the server responded with a "
                         r"status of 422 \(UNPROCESSABLE ENTITY\) \(http://127\.0\.0\.1:\d+"
                         r"/projects/\d+/risks/edit\)$")
    assert console_errors.unexpected(refused) == []


def test_risk_editor_fill_in_and_request_review(page: Page, console_errors) -> None:
    """The issue's "Done when": the model page filled in through labelled fields; the project
    then moves to review, and the history shows who did it."""
    sign_in(page, BEN)
    project_path = open_outreach(page)
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text("Risk model")

    # Requesting review now is refused, naming every missing category and the broken rule.
    with page.expect_response(re.compile(r"/transitions$")) as answer:
        page.get_by_role("button", name="Request review").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert").get_by_role("listitem")).to_have_text([
        "Risk category 'Displacement' is not addressed: add a risk or mark it not applicable "
        "with a reason.",
        "Risk category 'Participant harm' is not addressed: add a risk or mark it not "
        "applicable with a reason.",
        "Risk category 'Coordination harm' is not addressed: add a risk or mark it not "
        "applicable with a reason.",
        f"'{REPUTATION}' needs at least one risk, not 'not applicable': the project needs "
        "Marketing and communications, which the catalogue marks as risky."])

    page.get_by_role("link", name="Edit risk model").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Downside-risk model for “{OUTREACH}”")
    expect(page.get_by_role("region", name=REPUTATION).locator(".guidance")).to_have_text(
        "How could this project make the community look bad to the people whose trust it "
        "needs (researchers, labs, policymakers, the public)?")
    expect(label(page, f"{REPUTATION}: Not applicable to this project")).to_be_checked()

    # Reputational harm: the wrong "not applicable" goes, a real risk comes in.
    label(page, f"{REPUTATION}: Not applicable to this project").uncheck()
    # A category marked not applicable shows no blank row: "Add another risk" adds it in
    # place (the script), focused, with labels that name the category and the row.
    reputation = page.get_by_role("region", name=REPUTATION)
    expect(reputation.locator("fieldset.risk")).to_have_count(0)
    reputation.get_by_role("button", name="Add another risk").click()
    expect(reputation.locator("fieldset.risk legend")).to_have_text(["New risk 1"])
    expect(label(page, f"{REPUTATION} risk 1: Description")).to_be_focused()
    add_risk(page, REPUTATION, 1, "Posters read as alarmist and put off researchers.", "4",
             "3", reversibility="Hard to reverse", pilot="Partly", knowledge="Low",
             safeguard="Senior researchers review every poster first.", residual="2")
    # The score is shown as you choose (progressive enhancement).
    expect(page.get_by_role("region", name=REPUTATION).locator("output.score").first
           ).to_have_text("Score 12 (medium)")
    expect(page.get_by_role("region", name=REPUTATION).locator("output.score").nth(1)
           ).to_have_text("Score 6 (low)")
    not_applicable(page, "Displacement", "No other group campaigns at these universities.")
    add_risk(page, "Participant harm", 1, "Volunteers face hostile replies online.", "2", "2")
    # A row added by mistake is removed in place; nothing of it is sent.
    harm = page.get_by_role("region", name="Participant harm")
    harm.get_by_role("button", name="Add another risk").click()
    label(page, "Participant harm risk 2: Description").fill("A row added by mistake.")
    harm.get_by_role("button", name="Participant harm risk 2: Remove this row").click()
    expect(harm.locator("fieldset.risk")).to_have_count(1)
    expect(harm.get_by_role("button", name="Add another risk")).to_be_focused()
    not_applicable(page, "Coordination harm", "Run with the existing reading groups.")
    # Compact rows: each risk row fits in 400 px at 1280 px wide (before, each control
    # took a line of its own).
    heights = page.locator("fieldset.risk").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().height)")
    assert len(heights) == 6 and max(heights) <= 400, heights  # 2 filled, 4 blank
    page.get_by_role("button", name="Save risk model").click()

    expect(page.locator("p.flash")).to_have_text("Risk model saved.")
    expect(label(page, f"{REPUTATION}: Not applicable to this project")).not_to_be_checked()
    expect(label(page, f"{REPUTATION} risk 1: Description")).to_have_value(
        "Posters read as alarmist and put off researchers.")
    expect(label(page, f"{REPUTATION} risk 1: Residual likelihood")).to_have_value("2")
    expect(label(page, "Displacement: Not applicable to this project")).to_be_checked()

    page.get_by_role("link", name="Back to the project").click()
    expect(page.locator(".risk-model .notice")).to_have_count(0)
    expect(page.locator(".risk-model svg.heatmap")).to_have_attribute(
        "aria-label", "Risk heat map: 4 risks by likelihood and severity, before and after "
                      "safeguards")
    page.get_by_label("Comment for “Request review” (optional)", exact=True).fill(
        "Every category addressed.")
    page.get_by_role("button", name="Request review").click()

    expect(page.locator("p.flash")).to_have_text("Done: the project is now at step 'Review'.")
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text("Review")
    assert re.sub(r"^https?://[^/]+", "", page.url) == project_path
    last = page.locator(".history tbody tr").last.locator("td")
    expect(last.nth(1)).to_have_text(BEN_NAME)
    expect(last.nth(2)).to_have_text("Request review")
    expect(last.nth(3)).to_have_text("Risk model → Review")
    expect(last.nth(4)).to_have_text("Every category addressed.")
    expect(page.get_by_role("link", name="Edit risk model")).to_have_count(0)
    assert console_errors.unexpected(REFUSED) == []


def test_risk_editor_of_someone_else_is_404(page: Page, console_errors) -> None:
    """Ada, another proposer, cannot reach Ben's editor; her own draft has no risk model yet."""
    sign_in(page, BEN)
    project_path = open_outreach(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, ADA)
    expect(page.get_by_role("link", name=MENTORING, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=OUTREACH, exact=True)).to_have_count(0)
    response = page.goto(f"{project_path}/risks/edit")
    assert response is not None and response.status == 404

    page.goto("/")
    page.get_by_role("link", name=MENTORING, exact=True).click()
    expect(page.locator('.stepper [aria-current="step"]')).to_have_text("Draft")
    expect(page.get_by_role("link", name="Edit risk model")).to_have_count(0)
    expect(page.locator(".risk-model")).to_have_count(0)
    assert console_errors.unexpected(NOT_FOUND) == []
