"""Sign-in security with CSRF protection ON (the shared `app` fixture turns it off)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from reviewtool import create_app
from reviewtool.web.redirects import safe_next
from tests.conftest import SECRET
from tests.factories import PASSWORD, ProjectFactory, UserFactory

CSRF_MESSAGE = ("This form is missing its security token or it has expired; reload the page "
                "and try again.")
TOKEN_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


@pytest.fixture(scope="session")
def csrf_app(app):
    """A second app on the same database as `app`, with CSRF protection left at its default."""
    application = create_app({
        "DATABASE_URL": app.extensions["reviewtool.settings"].database_url,
        "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": app.instance_path,
    })
    assert application.config.get("WTF_CSRF_ENABLED", True) is True
    yield application
    application.extensions["reviewtool.db"].engine.dispose()


@pytest.fixture
def secure(csrf_app, app, session):
    """A client of `csrf_app` whose requests share the test's rolled-back transaction."""
    database = csrf_app.extensions["reviewtool.db"]
    original = database.sessionmaker
    # The `session` fixture pointed `app` at the test's connection; do the same here.
    database.sessionmaker = app.extensions["reviewtool.db"].sessionmaker
    try:
        yield csrf_app.test_client()
    finally:
        database.sessionmaker = original


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token of the form at `path`."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    match = TOKEN_RE.search(response.get_data(as_text=True))
    assert match, "no csrf_token field on the page"
    return match.group(1)


def sign_in(client, user, next_path: str | None = None):
    """POST the login form with its token; return the response."""
    url = "/login" if next_path is None else f"/login?next={quote(next_path, safe='')}"
    token = csrf_token(client, url)
    return client.post(url, data={"email": user.email, "password": PASSWORD,
                                  "csrf_token": token})


# --- CSRF -------------------------------------------------------------------------------------

def test_login_without_csrf_token_is_400(secure):
    user = UserFactory()
    response = secure.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)
    assert secure.get("/").status_code == 302


def test_login_with_wrong_csrf_token_is_400(secure):
    user = UserFactory()
    csrf_token(secure)
    response = secure.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": "forged"})
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)


def test_login_with_csrf_token_redirects_to_dashboard(secure):
    response = sign_in(secure, UserFactory())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert secure.get("/").status_code == 200


def test_login_form_carries_csrf_token(secure):
    html = secure.get("/login").get_data(as_text=True)
    assert '<input id="csrf_token" name="csrf_token" type="hidden" value="' in html


def test_logout_without_csrf_token_is_400_and_keeps_session(secure):
    assert sign_in(secure, UserFactory()).status_code == 302
    response = secure.post("/logout")
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)
    assert secure.get("/").status_code == 200


def test_logout_with_csrf_token_signs_out(secure):
    assert sign_in(secure, UserFactory()).status_code == 302
    response = secure.post("/logout", data={"csrf_token": csrf_token(secure, "/")})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert secure.get("/").status_code == 302


def test_logout_via_get_is_not_allowed(secure):
    assert sign_in(secure, UserFactory()).status_code == 302
    assert secure.get("/logout").status_code == 405
    assert secure.get("/").status_code == 200


def test_transition_form_without_csrf_token_is_400(secure):

    project = ProjectFactory()
    assert sign_in(secure, project.owner).status_code == 302
    response = secure.post(f"/projects/{project.id}/transitions",
                           data={"trigger": "withdraw", "version": "1"})
    assert response.status_code == 400
    assert secure.get(f"/projects/{project.id}").status_code == 200
    html = secure.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "No moves yet" in html


def test_api_needs_no_csrf_token(secure):
    user = UserFactory()
    response = secure.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201


# --- session rotation -------------------------------------------------------------------------

def test_logout_rotates_session_so_copied_cookie_stops_working(secure, csrf_app):
    assert sign_in(secure, UserFactory()).status_code == 302
    copied = secure.get_cookie("session").value
    # The copied cookie works on its own before the logout ...
    thief = csrf_app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 200
    # ... and stops working after it, although the thief never logged out.
    assert secure.post("/logout", data={"csrf_token": csrf_token(secure, "/")}).status_code == 302
    replay = csrf_app.test_client()
    replay.set_cookie("session", copied)
    response = replay.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert thief.get("/").status_code == 302


# --- the `next` redirect ----------------------------------------------------------------------

def test_login_next_local_path_is_followed(secure):
    response = sign_in(secure, UserFactory(), "/projects")
    assert response.status_code == 302
    assert response.headers["Location"] == "/projects"


def test_login_next_from_login_required_redirect(secure):
    bounce = secure.get("/projects?page=1")
    assert bounce.status_code == 302
    target = bounce.headers["Location"]
    token = csrf_token(secure, target)
    user = UserFactory()
    response = secure.post(target, data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/projects?page=1"


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https://evil.example", "/\\/evil.example",
    "http:/evil.example", "javascript:alert(1)", "///evil.example", " //evil.example",
    "/\tevil.example", "evil.example",
])
def test_login_next_offsite_goes_to_dashboard(secure, target):
    response = sign_in(secure, UserFactory(), target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_encoded_backslash_goes_to_dashboard(secure):
    # ?next=/%5Cevil.example arrives as "/\evil.example", which browsers read as //evil.example.
    url = "/login?next=/%5Cevil.example"
    token = csrf_token(secure, url)
    user = UserFactory()
    response = secure.post(url, data={"email": user.email, "password": PASSWORD,
                                      "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/projects", "/projects/3?tab=history", "/", "/a/b#frag"])
def test_safe_next_accepts_local_paths(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [
    None, "", "//evil.example", "/\\evil.example", "https://evil.example", "http:evil.example",
    "javascript:alert(1)", "evil.example/path", " /projects", "/\r\nSet-Cookie:x=1",
    "/\tevil", "/pro\\jects", "///evil.example", "/\x00evil",
])
def test_safe_next_refuses_offsite_or_odd_targets(target):
    assert safe_next(target) is None


# --- the account forms ------------------------------------------------------------------------

def test_forgot_password_without_csrf_token_is_400(secure):
    assert secure.post("/password/forgot", data={"email": "a@example.org"}).status_code == 400
    assert 'name="csrf_token"' in secure.get("/password/forgot").get_data(as_text=True)


@pytest.mark.parametrize("form_page", ["/account/password", "/account/tokens"])
def test_account_form_pages_carry_a_csrf_token(secure, form_page):
    assert sign_in(secure, UserFactory()).status_code == 302
    assert csrf_token(secure, form_page)


@pytest.mark.parametrize(("path", "data"), [
    ("/account/password", {"current_password": PASSWORD, "new_password": "x-new-secret-1",
                           "confirm": "x-new-secret-1"}),
    ("/account/tokens", {"name": "forged", "expires_in_days": "90"}),
])
def test_account_form_without_csrf_token_is_400(secure, path, data):
    assert sign_in(secure, UserFactory()).status_code == 302
    response = secure.post(path, data=data)
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["roles", "disable", "enable"])
def test_admin_user_form_without_csrf_token_is_400_and_changes_nothing(secure, session,
                                                                       action):
    target = UserFactory()
    assert sign_in(secure, UserFactory(roles=("admin",))).status_code == 302
    assert csrf_token(secure, f"/admin/users/{target.id}")
    response = secure.post(f"/admin/users/{target.id}/{action}", data={"roles": ["admin"]})
    assert response.status_code == 400
    session.expire(target)
    assert (target.is_active, target.roles) == (True, frozenset({"proposer"}))
