"""One project from proposal to a go memo, every step through the pages, each person in their
own browser: Ada proposes, models the risks and asks for review; Gus assigns Rhea, Sam and
Omar; they review (two see a risk of net harm); Gus asks for safeguards; Ada adds one and
resubmits; round 2 finds no concern; Gus plans and starts the pilot; Bea records what she
measured and finishes it; Gus decides go from the decision page and downloads the memo.
Each step asserts what that person sees (and does not see)."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date, timedelta

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect

from reviewtool.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ADA, GUS, BEA = "ada@safetycommons.example", "gus@longfund.example", "bea@safetycommons.example"
REVIEWERS = {"rhea@carefulai.example": "Rhea Reviewer", "sam@oxgov.example": "Sam Reviewer",
             "omar@safetyinstitute.example": "Omar Reviewer"}
TITLE = "Evening alignment course for Accra engineers"
RISK = "Graduates take jobs that speed up capabilities work."
CAPABILITIES = "Speeding up capabilities research"
NOT_APPLICABLE = {"Reputational harm to the community": "Small, closed course; no publicity.",
                  "Displacement": "No other course runs in Accra.",
                  "Low-fidelity message": "Taught from the published curriculum.",
                  "Participant harm": "Evening sessions for employed engineers.",
                  "Information hazard": "Only published material.",
                  "Coordination harm": "Run with the regional safety network."}
TODAY = date.today()


class People:
    """One browser context per person, so that each sees only what they may."""

    def __init__(self, browser, live_server: str, console_errors) -> None:
        self.browser, self.base, self.errors, self.contexts = browser, live_server, \
            console_errors, []

    def sign_in(self, email: str) -> Page:
        context = self.browser.new_context(base_url=self.base,
                                           viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: self.errors.append(f"console: {m.text} "
                                                        f"({m.location.get('url', '')})")
                if m.type == "error" else None)
        page.goto("/login")
        page.get_by_label("Email", exact=True).fill(email)
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def fire(page: Page, trigger: str, button: str, comment: str = "", timeout: int = 15_000) -> None:
    """Fill the trigger's comment and press its button on the project page."""
    form = page.locator(f"form.trigger-{trigger}")
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.get_by_role("button", name=button).click(timeout=timeout)


def propose(ada: Page) -> str:
    """Ada's proposal and risk model, up to "Request review"; the project's path."""
    ada.get_by_role("navigation", name="Main").get_by_role("link", name="New proposal").click()
    ada.get_by_label("Title", exact=True).fill(TITLE)
    ada.get_by_label("Summary (Markdown)", exact=True).fill(
        "Ten evening sessions on alignment for working software engineers.")
    ada.get_by_label("Project type", exact=True).select_option(label="Training programme or course")
    ada.get_by_label("Technical", exact=True).check()
    ada.get_by_label("Start", exact=True).check()
    ada.get_by_label("Aims to move Contributors", exact=True).check()
    ada.get_by_label("How Contributors would be measured", exact=True).fill(
        "Graduates who apply to a safety fellowship within a year (target: 4 of 20).")
    ada.get_by_label("Role 1: Profession or skill", exact=True).select_option(
        label="Skill: Teaching")
    ada.get_by_label("Role 1: Technical (needs ML knowledge)", exact=True).check()
    ada.get_by_label("Role 1: Commitment", exact=True).select_option(label="Fractional")
    ada.get_by_label("Role 1: Hours per month", exact=True).fill("8")
    ada.get_by_label("Budget", exact=True).fill("USD 3,000")
    ada.get_by_role("button", name="Save draft").click()
    expect(ada.get_by_role("status")).to_have_text("Draft saved.")
    path = re.sub(r"^https?://[^/]+", "", ada.url)
    fire(ada, "submit", "Submit proposal")
    expect(ada.locator('.stepper [aria-current="step"]')).to_have_text("Risk model")

    ada.get_by_role("link", name="Edit risk model").click()
    prefix = f"{CAPABILITIES} risk 1: "
    ada.get_by_label(prefix + "Description", exact=True).fill(RISK)
    ada.get_by_label(prefix + "Likelihood", exact=True).select_option("3")
    ada.get_by_label(prefix + "Severity", exact=True).select_option("3")
    ada.get_by_label(prefix + "Reversibility", exact=True).select_option(label="Reversible")
    ada.get_by_label(prefix + "Can a pilot reveal it?", exact=True).select_option(label="Yes")
    ada.get_by_label(prefix + "Strength of knowledge", exact=True).select_option(label="Medium")
    for category, reason in NOT_APPLICABLE.items():
        ada.get_by_label(f"{category}: Not applicable to this project", exact=True).check()
        ada.get_by_label(f"{category}: Why it does not apply", exact=True).fill(reason)
    ada.get_by_role("button", name="Save risk model").click()
    expect(ada.locator("p.flash")).to_have_text("Risk model saved.")
    ada.goto(path)
    fire(ada, "request_review", "Request review")
    expect(ada.locator('.stepper [aria-current="step"]')).to_have_text("Review")
    return path


def assign(gus: Page, path: str) -> None:
    gus.goto(path + "/reviewers")
    for name in REVIEWERS.values():
        gus.get_by_role("button", name=f"Assign {name}", exact=True).click()
        expect(gus.get_by_role("row").filter(has_text=name).first).to_contain_text(
            re.compile("Reviewer [ABC]"))
    expect(gus.locator("table").first.locator("tbody tr")).to_have_count(3)


def review(page: Page, *, harmful: bool, stance: str) -> None:
    """One reviewer's review from their dashboard's link; the others' stay hidden until then."""
    page.get_by_role("link", name=f"Write your review of {TITLE}").click()
    expect(page.locator("article.review")).to_have_count(0)
    page.get_by_label(stance, exact=True).check()
    page.get_by_label("Yes" if harmful else "No", exact=True).check()
    if harmful:
        page.get_by_label("Why? (required if yes)", exact=True).fill(
            "Without follow-up, graduates drift into capabilities start-ups.")
        page.get_by_label(CAPABILITIES, exact=True).check()
    page.get_by_label("Confidence", exact=True).select_option(label="4")
    page.get_by_label("I have no conflict of interest with this project", exact=True).check()
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your review is submitted. The other reviews of this round are shown below.")


def test_full_journey_proposal_to_go_memo_through_pages(browser, live_server: str,
                                                         console_errors,
                                                         screenshot_path) -> None:
    people = People(browser, live_server, console_errors)
    try:
        ada = people.sign_in(ADA)
        path = propose(ada)
        gus = people.sign_in(GUS)
        assign(gus, path)

        # Round 1: two of three see a risk of net harm (66.7 %).
        reviewers = {email: people.sign_in(email) for email in REVIEWERS}
        for page, harmful in zip(reviewers.values(), (True, True, False), strict=True):
            review(page, harmful=harmful, stance="Neutral" if harmful else "Optimistic")
        rhea = reviewers["rhea@carefulai.example"]
        rhea.reload()  # she reviewed first: now the round's three reviews are in
        expect(rhea.get_by_role("table", name="Figures of round 1")).to_contain_text(
            "Concern (could be net negative)66.7%")

        gus.goto(path)
        fire(gus, "request_safeguards", "Close round and request safeguards",
             "Two reviewers worry about capabilities: add a safeguard.")
        expect(gus.locator('.stepper [aria-current="step"]')).to_have_text(
            "Safeguard revision")

        # Ada reads the concerns without anyone's name, answers them, resubmits.
        ada.goto(path)
        for name in REVIEWERS.values():
            expect(ada.get_by_text(name)).to_have_count(0)
        ada.get_by_role("link", name="Write safeguards", exact=True).click()
        ada.get_by_label("New safeguard: Safeguard type", exact=True).select_option(
            label="Supervisory team")
        ada.get_by_label("New safeguard: Description", exact=True).fill(
            "A year of alumni mentoring by safety researchers.")
        ada.get_by_label("New safeguard: Who is responsible", exact=True).fill("Ada")
        ada.get_by_role("group", name="New safeguard: Addresses risk categories").get_by_label(
            CAPABILITIES, exact=True).check()
        ada.get_by_role("group", name="New safeguard: Answers concerns of").get_by_label(
            "Round 1, Reviewer A", exact=True).check()
        ada.get_by_label("New safeguard: Expected residual likelihood",
                         exact=True).select_option(label="1 rare")
        ada.get_by_label("New safeguard: Expected residual severity",
                         exact=True).select_option(label="3 moderate")
        ada.get_by_role("button", name="Save safeguards").click()
        expect(ada.get_by_role("status")).to_have_text("Safeguards saved.")
        ada.goto(path)
        fire(ada, "resubmit", "Resubmit with safeguards")
        expect(ada.get_by_role("heading", name="Round 2 open")).to_be_visible()

        # Round 2: the same reviewers, invited again; nobody sees harm now.
        for page in reviewers.values():
            page.goto("/")
            review(page, harmful=False, stance="Optimistic")
        rhea.reload()
        expect(rhea.get_by_role("table", name="Figures of round 2")).to_contain_text(
            "Concern (could be net negative)0.0%")

        # Gus plans the pilot (the second criterion added in place) and starts it.
        gus.goto(path + "/pilot/plan")
        gus.get_by_label("Builder", exact=True).select_option(
            label="Bea Builder (bea@safetycommons.example)")
        gus.get_by_label("Start date", exact=True).fill(TODAY.isoformat())
        gus.get_by_label("End date", exact=True).fill((TODAY + timedelta(days=60)).isoformat())
        gus.get_by_label("Budget", exact=True).fill("USD 1,000")
        criteria = (("success", "contributors", "Engineers finishing the course", ">=", "12",
                     "people"), ("kill", "participant_harm", "Complaints of pressure", ">=",
                                 "2", "complaints"))
        for number, (kind, outcome, metric, comparator, target, unit) in enumerate(criteria, 1):
            if number == 2:
                gus.get_by_role("button", name="Add another criterion").click()
            row = f"Criterion {number}: "
            gus.get_by_label(row + "Kind", exact=True).select_option(kind)
            gus.get_by_label(row + "Outcome or risk category", exact=True).select_option(outcome)
            gus.get_by_label(row + "Metric", exact=True).fill(metric)
            gus.get_by_label(row + "Comparator", exact=True).select_option(comparator)
            gus.get_by_label(row + "Target", exact=True).fill(target)
            gus.get_by_label(row + "Unit", exact=True).fill(unit)
            gus.get_by_label(row + "How it will be measured", exact=True).fill("Register")
        gus.get_by_role("button", name="Save pilot plan").click()
        expect(gus.get_by_role("status")).to_have_text("Pilot plan saved.")
        gus.goto(path)
        fire(gus, "start_pilot", "Start pilot")
        expect(gus.locator('.stepper [aria-current="step"]')).to_have_text("Pilot")

        # Bea measures both criteria and finishes the pilot.
        bea = people.sign_in(BEA)
        bea.get_by_role("region", name="Your pilots").get_by_role("link", name=TITLE).click()
        for option, value in (("Success: Engineers finishing the course >= 12 people", "15"),
                              ("Kill: Complaints of pressure >= 2 complaints", "0")):
            bea.get_by_role("link", name="Record an observation").click()
            bea.get_by_label("Criterion", exact=True).select_option(label=option)
            bea.get_by_label("Value", exact=True).fill(value)
            bea.get_by_label("Note", exact=True).fill("From the register.")
            bea.get_by_role("button", name="Save observation").click()
            expect(bea.get_by_role("status")).to_have_text("Observation recorded.")
        expect(bea.locator(".pilot-summary")).to_have_text(
            "1 of 1 success criteria met; 0 of 1 kill criteria breached; 0 not measured yet; "
            "0 incidents (0 severe).")
        bea.goto(path)
        fire(bea, "finish_pilot", "Finish pilot", "Both criteria measured.")
        expect(bea.locator('.stepper [aria-current="step"]')).to_have_text("Decision")

        # Gus decides from the decision page, with the evidence beside the form.
        gus.goto(path)
        expect(gus.locator("table.evidence-pilot")).to_contain_text(
            "Engineers finishing the course")
        # Deciding renders and stores the memo in the request; a process's first WeasyPrint
        # render loads the fonts, slow on a busy machine.
        fire(gus, "go", "Decide go", "The pilot met its target; mentoring is in place.",
             timeout=90_000)
        expect(gus.get_by_role("status")).to_have_text("Done: the project is now at step 'Go'.")
        memo = gus.request.get(path + "/memo.pdf")
        assert (memo.status, memo.headers["content-type"]) == (200, "application/pdf")
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=memo.body(),
                              capture_output=True, check=True).stdout.decode()
        assert TITLE in text and "Engineers finishing the course" in text
        for name in REVIEWERS.values():
            assert name not in text

        # Ada sees the decision and the memo link on her project.
        ada.goto(path)
        expect(ada.locator('.stepper [aria-current="step"]')).to_have_text("Go")
        expect(ada.get_by_role("region", name="Decision")).to_contain_text("Go")
        if screenshot_path is not None:  # each role's main page, for the README
            ann = people.sign_in("ann@reviewtool.example")
            for role, page in (("proposer", ada), ("reviewer", rhea), ("grantmaker", gus),
                               ("builder", bea), ("admin", ann)):
                page.goto("/admin/users" if role == "admin" else "/")
                page.screenshot(path=str(screenshot_path / f"main-{role}.png"))
    finally:
        people.close()
    assert console_errors.unexpected() == []
