"""The issue's "Done when" for accounts, in a real browser: an admin invites someone; the
worker delivers the invitation to a real SMTP server (aiosmtpd); the invited person opens
the link, chooses a password and signs in; the admin disables them, and their next request
ends at the sign-in page."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator

import pytest

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from reviewtool import create_app
from reviewtool.migrate import upgrade
from reviewtool.services.accounts import create_user
from reviewtool.worker import run_once
from tests.browser.conftest import SECRET, VIEWPORT
from tests.mail_helpers import Sink

pytestmark = pytest.mark.browser
ADMIN, ADMIN_PASSWORD = "ann@programme.example", "admin-password-for-invites"
INVITED, CHOSEN = "nia.new@programme.example", "nia-chose-this-password"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, object, Sink]]:
    """A live server on a fresh SQLite file with one admin, sending mail to an SMTP sink."""
    tmp = tmp_path_factory.mktemp("invite")
    with Sink() as sink:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/invite.sqlite3",
                          "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing",
                          "INSTANCE_PATH": str(tmp), "SMTP_HOST": "127.0.0.1",
                          "SMTP_PORT": str(sink.port)})
        database = app.extensions["reviewtool.db"]
        upgrade(database.engine)
        with database.sessionmaker() as session:
            create_user(session, email=ADMIN, password=ADMIN_PASSWORD, roles=["admin"],
                        name="Ann Admin")
            session.commit()
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_port}", app, sink
        finally:
            httpd.shutdown()
            thread.join(timeout=10)
            httpd.server_close()
            database.engine.dispose()


def tab(browser, base_url: str) -> Page:
    expect.set_options(timeout=10_000)
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    return context.new_page()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def test_invited_person_sets_password_signs_in_and_is_signed_out_when_disabled(browser, server):
    base_url, app, sink = server
    admin = tab(browser, base_url)
    sign_in(admin, ADMIN, ADMIN_PASSWORD)
    admin.get_by_role("link", name="Users").click()
    admin.get_by_role("link", name="Invite someone").click()
    admin.get_by_label("Email", exact=True).fill(INVITED)
    admin.get_by_label("Name", exact=True).fill("Nia New")
    admin.get_by_label("reviewer", exact=True).check()
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Nia New")

    report = run_once(app)  # the worker, as `reviewtool worker --once` runs it
    assert (report.sent, report.failed) == (1, 0)
    [mail] = sink.messages
    assert (mail["To"], mail["Subject"]) == (INVITED, "You are invited to reviewtool")
    text = mail.get_body(("plain",)).get_content()
    # BASE_URL is the default here; the path is what the browser opens on the test server.
    path = re.search(r"http://localhost:5000(/password/reset/[A-Za-z0-9_-]{43})", text).group(1)

    invited = tab(browser, base_url)
    invited.goto(path)
    expect(invited.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    invited.get_by_label("New password", exact=True).fill(CHOSEN)
    invited.get_by_label("New password again", exact=True).fill(CHOSEN)
    invited.get_by_role("button", name="Set new password").click()
    expect(invited).to_have_url(re.compile(r"/login$"))
    sign_in(invited, INVITED, CHOSEN)
    invited.goto("/projects")
    expect(invited.get_by_role("heading", level=1)).to_have_text("Projects")

    admin.get_by_role("button", name="Disable account").click()
    expect(admin.get_by_role("status").or_(admin.locator(".flash"))).to_contain_text(
        "is disabled")
    invited.goto("/projects")  # the next request
    expect(invited).to_have_url(re.compile(r"/login"))
    expect(invited.get_by_role("heading", level=1)).to_have_text("Sign in")
