"""Browser fixtures: a live server over a real, committed SQLite database with the demo data,
and headless Debian Chromium driven by Playwright (never a downloaded browser).

These tests do not use the root conftest's `app`/`session` fixtures: those roll every test
back and are parametrised over databases, while a browser needs a server whose commits are
real. Nothing here asks for them, so the browser tests run once, on SQLite."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from reviewtool import create_app
from reviewtool.demo import load_demo
from reviewtool.migrate import upgrade

CHROMIUM = "/usr/bin/chromium"
SKIP_REASON = "browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
SECRET = "browser-test-secret-0123456789abcdef"
# Chromium fetches /favicon.ico once per browser and the app serves none: no fault of a page.
FAVICON_404 = re.compile(r"^console: Failed to load resource: the server responded with a "
                         r"status of 404 \(NOT FOUND\) \(http://127\.0\.0\.1:\d+/favicon\.ico\)$")
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Reports CSP violations as console errors even where Chromium itself would only log them.
CSP_PROBE = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
});
"""


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo data, built once per test process: loading the
    demo costs about ten CPU-seconds (seven memos rendered, fifteen argon2 hashes), and every
    browser module starts from the same committed demo."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": SECRET,
                      "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": str(path.parent)})
    database = app.extensions["reviewtool.db"]
    upgrade(database.engine)
    session = database.sessionmaker()
    try:
        load_demo(session, app.extensions["reviewtool.workflow"])
        session.commit()
    finally:
        session.close()
        database.engine.dispose()
    return path


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, demo_database: Path) -> Iterator[str]:
    """Base URL of a threaded server on the module's own copy of the demo database (what one
    module commits, the next never sees).

    CSRF protection stays on (the default), as in production."""
    tmp = tmp_path_factory.mktemp("browser")
    with closing(sqlite3.connect(demo_database)) as source, \
            closing(sqlite3.connect(tmp / "browser.sqlite3")) as copy:
        source.backup(copy)  # the whole database, WAL included, as one consistent copy
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/browser.sqlite3", "SECRET_KEY": SECRET,
                      "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": str(tmp)})
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    database = app.extensions["reviewtool.db"]

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        database.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium; skips when it is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(SKIP_REASON)

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class ConsoleErrors(list):
    """Console errors and uncaught page errors seen by one page, as strings."""

    def unexpected(self, *allowed: re.Pattern[str]) -> list[str]:
        """The errors that match none of the `allowed` patterns (the favicon 404 always is)."""
        patterns = (*allowed, FAVICON_404)
        return [e for e in self if not any(p.search(e) for p in patterns)]


@pytest.fixture
def console_errors() -> ConsoleErrors:
    """Filled by `page`; a test asserts on it at its end."""
    return ConsoleErrors()


@pytest.fixture
def page(browser, live_server: str, console_errors: ConsoleErrors) -> Iterator[object]:
    """A page in a fresh context (no cookies), 1280 px wide, collecting console errors."""

    expect.set_options(timeout=10_000)  # a loaded CI machine is slow; the default is 5 s
    context = browser.new_context(base_url=live_server, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_PROBE)
    tab = context.new_page()
    tab.on("console", lambda msg: console_errors.append(
        f"console: {msg.text} ({msg.location.get('url', '')})") if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: console_errors.append(f"pageerror: {exc}"))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def screenshot_path() -> Path | None:
    """Where to write docs screenshots, or None unless UPDATE_SCREENSHOTS=1."""
    if os.environ.get("UPDATE_SCREENSHOTS") != "1":
        return None
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
