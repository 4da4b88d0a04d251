"""The decision step in a real browser at 1280 x 900: the decision forms and the figures they
rest on (concern by round, the pilot's criteria) are on the first screenful and a bit; a
refused "Decide go" comes back with every field as it was typed."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from reviewtool import create_app
from reviewtool.migrate import upgrade
from tests import factories
from tests.decision_factories import Journey, at_decision

pytestmark = pytest.mark.browser
SECRET = "layout-test-secret-0123456789abcdef"
FOLD = 1200  # px: what a grantmaker sees without scrolling far, at 1280 x 900


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory) -> Iterator[tuple[str, Journey]]:
    tmp = tmp_path_factory.mktemp("layout")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/layout.sqlite3", "SECRET_KEY": SECRET,
                      "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": str(tmp)})
    database = app.extensions["reviewtool.db"]
    upgrade(database.engine)
    session = database.sessionmaker()
    factories.bind(session)
    try:
        journey = at_decision(app.extensions["reviewtool.workflow"])
        session.commit()
    finally:
        factories.bind(None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", journey
    finally:
        server.shutdown()
        thread.join(timeout=10)
        session.close()
        database.engine.dispose()


@pytest.fixture(scope="module")
def live_server(journey_server) -> str:
    """This module's server (the `page` fixture opens it), holding a project at decision."""
    return journey_server[0]


def _open_decision(page: Page, journey: Journey) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(journey.grantmaker.email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/projects/{journey.project.id}")


def _bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"] + box["height"]


def test_decision_page_form_and_evidence_within_first_1200px(page: Page, console_errors,
                                                             journey_server) -> None:
    _, journey = journey_server
    _open_decision(page, journey)
    expect(page.get_by_role("button", name="Decide go")).to_be_visible()
    for selector in ("form.trigger-go button", "form.trigger-no_go button",
                     "table.evidence-rounds", "table.evidence-pilot"):
        assert _bottom(page, selector) <= FOLD, selector
    expect(page.locator("table.evidence-pilot")).to_contain_text("Participants who finish")
    assert console_errors.unexpected() == []


def test_decide_go_refused_keeps_every_field_typed(page: Page, console_errors,
                                                    journey_server) -> None:
    _, journey = journey_server
    _open_decision(page, journey)
    typed = {"Rationale for “Decide go” (required)": "Go, once the venue signs.",
             "Condition 1": "Venue contract signed", "Condition 2": "Safety officer named",
             "Condition 2 due date": (date.today() + timedelta(days=40)).isoformat(),
             "Re-review by (optional)": (date.today() + timedelta(days=200)).isoformat()}
    # Condition 2's row comes in place, focused, from "Add another condition" (the script).
    page.locator("form.trigger-go").get_by_role("button", name="Add another condition").click()
    expect(page.get_by_label("Condition 2", exact=True)).to_be_focused()
    for label, value in typed.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Decide go").click()  # condition 1 has no due date
    expect(page.get_by_role("alert")).to_contain_text("Condition 1: give its due date.")
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.get_by_label("Condition 1 due date", exact=True)).to_have_value("")
    refused = re.compile(r"status of 422 \(UNPROCESSABLE ENTITY\) \(http://127\.0\.0\.1:\d+"
                         r"/projects/\d+/transitions\)$")
    assert console_errors.unexpected(refused) == []  # the 422 itself is the point
