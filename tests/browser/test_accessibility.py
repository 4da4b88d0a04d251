"""axe-core in Debian's Chromium over the demo: the main page of each role, the project page
in each state, and every form: no serious or critical violation; and the same pages at a
phone's width do not scroll sideways."""

from __future__ import annotations

import os

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from reviewtool.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.browser
AXE = Axe()
SERIOUS = ("serious", "critical")
ADA, BEN, RHEA, OMAR = ("ada@safetycommons.example", "ben@campusalignment.example",
                        "rhea@carefulai.example", "omar@safetyinstitute.example")
GUS, BEA, ANN = "gus@longfund.example", "bea@safetycommons.example", "ann@reviewtool.example"
# Who opens which page: (user, path); {state} is the demo project in that state.
PAGES = [
    *((who, "/") for who in (ADA, RHEA, GUS, BEA, ANN)),
    (ADA, "/projects"), (GUS, "/audit"), (ANN, "/admin/users"),
    (ADA, "{draft}"), (BEN, "{risk_model}"), *((GUS, f"{{{state}}}") for state in (
        "review", "revision", "pilot", "decision", "go", "no_go", "withdrawn")),
    (RHEA, "{review}"), (BEA, "{pilot}"),
    # Every form.
    (None, "/login"), (None, "/password/forgot"), (ADA, "/projects/new"),
    (ADA, "{draft}/edit"), (BEN, "{risk_model}/risks/edit"), (OMAR, "{review}/review"),
    (GUS, "{review}/reviewers"), (GUS, "{review}/pilot/plan"), (BEN, "{revision}/safeguards"),
    (BEA, "{pilot}/pilot/observations"), (BEA, "{pilot}/pilot/incidents"),
    (ADA, "/account/password"), (ADA, "/account/tokens"),
    # Consultations (the results, wave, panel and answer pages are checked with axe in
    # test_consultation_journey.py, which makes the panellist and the waves they need).
    (GUS, "/consultations"), (GUS, "/consultations/new"), (GUS, "/consultations/1"),
    ("pia@panel.example", "/panel"),
    (ADA, "/account/password"), (ADA, "/account/tokens"), (RHEA, "/account/notifications"),
    (ANN, "/admin/users/invite"), (ANN, "/admin/catalogues"), (ANN, "/admin/outbox"),
    (GUS, "/admin/workflow"),
    # Forecasts and calibration.
    (GUS, "{pilot}/forecasts"), (GUS, "/calibration"), (RHEA, "/calibration"),
]


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def _project_paths(page: Page) -> dict[str, str]:
    """The demo project in each state, as /projects/<id> (read through the API as Gus, and
    Ada for her draft)."""
    paths = {}
    for email in (GUS, ADA):
        token = page.request.post("/api/v1/tokens", data={"email": email,
                                                          "password": DEMO_PASSWORD}).json()
        listed = page.request.get("/api/v1/projects?per_page=100", headers={
            "Authorization": f"Bearer {token['token']}"}).json()
        for item in listed["items"]:
            paths.setdefault(item["state"], f"/projects/{item['id']}")
    return paths


def _visit(browser, live_server: str, paths: dict[str, str], viewport: dict[str, int]):
    """Each page of PAGES in a fresh context of that size, signed in as its user."""
    for who, template in PAGES:
        context = browser.new_context(base_url=live_server, viewport=viewport)
        tab = context.new_page()
        try:
            if who:
                _sign_in(tab, who)
            path = template.format(**paths)
            response = tab.goto(path)
            assert response is not None and response.status == 200, (who, path)
            yield who, path, tab
        finally:
            context.close()


def test_accessibility_no_serious_violation_on_main_pages_projects_and_forms(
        page: Page, browser, live_server: str) -> None:
    found, checked = [], 0
    for who, path, tab in _visit(browser, live_server, _project_paths(page),
                                 {"width": 1280, "height": 900}):
        results = AXE.run(tab)
        checked += 1
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"{path} as {who}: {violation['id']} ({violation['impact']})"
                             f" {violation['help']} at {targets}")
    assert found == []
    assert checked == len(PAGES)


def test_phone_width_no_page_scrolls_sideways(page: Page, browser, live_server: str) -> None:
    """At 390 px (a phone) every page above fits: tables wrap their words, and the few
    wide tables scroll inside their own labelled region, never the page."""
    wider, checked = [], 0
    for who, path, tab in _visit(browser, live_server, _project_paths(page),
                                 {"width": 390, "height": 844}):
        overflow = tab.evaluate("document.documentElement.scrollWidth - "
                                "document.documentElement.clientWidth")
        checked += 1
        if overflow > 0:
            wider.append(f"{path} as {who}: {overflow} px too wide")
    assert wider == []
    assert checked == len(PAGES)
