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
    ("pia@panel.example", "/panel"), (RHEA, "/account/notifications"),
    (ANN, "/admin/users/invite"), (ANN, "/admin/catalogues"), (ANN, "/admin/outbox"),
    (GUS, "/admin/workflow"),
    # Forecasts and calibration.
    (GUS, "{pilot}/forecasts"), (GUS, "/calibration"), (RHEA, "/calibration"),
    # Long lists: the project list's last page, one's own work lists in full.
    (GUS, "/projects?cursor=last"), (RHEA, "/dashboard/assignments"),
    (BEA, "/dashboard/pilots"),
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


WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def survey(browser, live_server: str) -> tuple[list[str], list[str], int]:
    """Each page of PAGES opened once, as its user (one signed-in context per user): axe's
    serious and critical violations at 1280 px, then how far the page is wider than a
    phone's 390 px; and how many pages were checked."""
    probe = browser.new_context(base_url=live_server)
    paths = _project_paths(probe.new_page())
    probe.close()
    tabs: dict[str | None, Page] = {}
    found, wider, checked = [], [], 0
    try:
        for who, template in PAGES:
            if who not in tabs:
                tabs[who] = browser.new_context(base_url=live_server, viewport=WIDE).new_page()
                if who:
                    _sign_in(tabs[who], who)
            tab = tabs[who]
            tab.set_viewport_size(WIDE)
            path = template.format(**paths)
            response = tab.goto(path)
            assert response is not None and response.status == 200, (who, path)
            for violation in AXE.run(tab).response["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    found.append(f"{path} as {who}: {violation['id']} ({violation['impact']})"
                                 f" {violation['help']} at {targets}")
            tab.set_viewport_size(PHONE)
            overflow = tab.evaluate("document.documentElement.scrollWidth - "
                                    "document.documentElement.clientWidth")
            if overflow > 0:
                wider.append(f"{path} as {who}: {overflow} px too wide")
            checked += 1
    finally:
        for tab in tabs.values():
            tab.context.close()
    return found, wider, checked


def test_accessibility_no_serious_violation_on_main_pages_projects_and_forms(survey) -> None:
    found, _, checked = survey
    assert found == []
    assert checked == len(PAGES) == len(set(PAGES))  # each page once: axe costs half a second


def test_phone_width_no_page_scrolls_sideways(survey) -> None:
    """At 390 px (a phone) every page above fits: tables wrap their words, and the few
    wide tables scroll inside their own labelled region, never the page."""
    _, wider, checked = survey
    assert wider == []
    assert checked == len(PAGES)
