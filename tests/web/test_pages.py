"""The HTML face through a browser-less client: sign-in, lists, the form, the project page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from reviewtool.app import CSP
from reviewtool.models import Project
from tests.factories import COMPLETE, EMPTY, PASSWORD, ProjectFactory, UserFactory

MISSING_ALL = [
    "Title is missing.",
    "Summary is missing.",
    "Project type is missing.",
    "Target outcomes are missing: name at least one and how you would measure it.",
    "Roles needed are missing: name at least one profession or skill.",
]


class Page(HTMLParser):
    """The parts of a page the tests look at: controls, labels, scripts, buttons, text."""

    CONTROLS = ("input", "select", "textarea")

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str | None]] = []
        self.labels: dict[str, str] = {}  # for= → label text
        self.scripts: list[dict[str, str | None]] = []
        self.inline_script_text: list[str] = []
        self.buttons: list[str] = []
        self.styled: list[str] = []  # tags with a style= attribute (CSP blocks them)
        self.handlers: list[str] = []  # on*= attributes (CSP blocks them)
        self.current_steps: list[str] = []
        self.alerts: list[str] = []
        self._open: list[tuple[str, dict]] = []
        self._text: dict[int, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.CONTROLS:
            self.controls.append({"tag": tag, **attributes})
        if tag == "script":
            self.scripts.append(attributes)
        if "style" in attributes:
            self.styled.append(tag)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if tag in ("label", "button", "script", "li", "div") and tag != "input":
            self._open.append((tag, attributes))
            self._text[len(self._open)] = []

    def handle_startendtag(self, tag, attrs):
        # <input ... /> never opens an element.
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        for depth in self._text:
            self._text[depth].append(data)

    def handle_endtag(self, tag):
        if not self._open or self._open[-1][0] != tag:
            return
        depth = len(self._open)
        name, attributes = self._open.pop()
        text = " ".join("".join(self._text.pop(depth)).split())
        if name == "label" and attributes.get("for"):
            self.labels[attributes["for"]] = text
        elif name == "button":
            self.buttons.append(text)
        elif name == "script" and text:
            self.inline_script_text.append(text)
        elif name == "li" and attributes.get("aria-current") == "step":
            self.current_steps.append(text)
        elif name == "div" and attributes.get("role") == "alert":
            self.alerts.append(text)

    def visible_controls(self) -> list[dict[str, str | None]]:
        """Controls a person fills in (hidden inputs and buttons are not)."""
        return [c for c in self.controls
                if not (c["tag"] == "input" and c.get("type") in ("hidden", "submit", "button"))]


def page(response) -> Page:
    return Page(response.get_data(as_text=True))


def assert_every_control_labelled(parsed: Page) -> None:
    controls = parsed.visible_controls()
    assert controls
    for control in controls:
        assert control.get("id"), control
        assert parsed.labels.get(control["id"]), f"no visible <label for> for {control}"


def form_data(**overrides) -> dict[str, str]:
    """The proposal form filled in with COMPLETE's values."""
    data = {
        "title": COMPLETE["title"], "summary": COMPLETE["summary"],
        "project_type": COMPLETE["project_type"], "work_groups": "technical",
        "activity": "start", "outcome-contributors": "y",
        "measure-contributors": "Mentees in safety roles after a year",
        "roles-0-need": "skill:mentorship", "roles-0-technical": "y",
        "roles-0-commitment": "fractional", "roles-0-hours_per_month": "6",
        "location": "Online", "budget": "USD 12,000", "timeline": "March to May",
        "version": "", "base": "",
    }
    data.update(overrides)
    return data


# --- sign-in ----------------------------------------------------------------------------------

def test_login_page_has_labelled_email_and_password(client):
    response = client.get("/login")
    assert response.status_code == 200
    parsed = page(response)
    assert parsed.labels["email"] == "Email"
    assert parsed.labels["password"] == "Password"
    types = {c["id"]: c.get("type") for c in parsed.visible_controls()}
    assert types == {"email": "email", "password": "password"}
    html = response.get_data(as_text=True)
    assert '<label for="email">Email</label>' in html
    assert '<label for="password">Password</label>' in html


def test_login_with_wrong_password_is_401_with_message(client, session):
    user = UserFactory()
    response = client.post("/login", data={"email": user.email, "password": "not-the-one"})
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_with_unknown_email_is_401(client, session):
    response = client.post("/login", data={"email": "ghost@example.org", "password": PASSWORD})
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_login_with_empty_fields_is_422(client, session):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)


def test_login_with_right_password_redirects_to_dashboard(client, session):
    user = UserFactory()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_root_when_signed_out_redirects_to_login(client, session):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_projects_when_signed_out_redirects_to_login_with_next(client, session):
    response = client.get("/projects")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fprojects"


# --- dashboard and list -----------------------------------------------------------------------

def test_dashboard_shows_own_projects(login, session):
    project = ProjectFactory()
    ProjectFactory(proposal={**COMPLETE, "title": "Someone else's secret"})
    response = login(project.owner).get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Your dashboard" in html
    assert COMPLETE["title"] in html
    assert "Someone else&#39;s secret" not in html
    assert "Someone else's secret" not in html


def test_dashboard_for_grantmaker_shows_submitted_projects(login, session):
    ProjectFactory(state="risk_model", proposal={**COMPLETE, "title": "Submitted one"})
    ProjectFactory(proposal={**COMPLETE, "title": "Private draft"})
    html = login(UserFactory(roles=("grantmaker",))).get("/").get_data(as_text=True)
    assert "Projects in the workflow" in html
    assert "Submitted one" in html
    assert "Private draft" not in html


def test_favicon_is_served_and_linked(client, login, session):
    response = client.get("/favicon.ico")
    assert (response.status_code, response.mimetype) == (200, "image/svg+xml")
    assert 'rel="icon" href="/favicon.ico" type="image/svg+xml"' in login(UserFactory()).get(
        "/").get_data(as_text=True)


def test_projects_list_state_filter(login, session):
    owner = UserFactory()
    ProjectFactory(owner=owner, proposal={**COMPLETE, "title": "Still a draft"})
    ProjectFactory(owner=owner, state="risk_model", proposal={**COMPLETE, "title": "Submitted"})
    html = login(owner).get("/projects?state=risk_model").get_data(as_text=True)
    assert "Submitted" in html
    assert "Still a draft" not in html


def test_projects_list_filter_is_labelled(login, session):
    assert_every_control_labelled(page(login(UserFactory()).get("/projects")))


# --- the proposal form ------------------------------------------------------------------------

def test_new_form_labels_every_control(login, session):
    response = login(UserFactory()).get("/projects/new")
    assert response.status_code == 200
    parsed = page(response)
    assert_every_control_labelled(parsed)
    ids = {c["id"] for c in parsed.visible_controls()}
    assert {"title", "summary", "project_type", "location", "budget", "timeline",
            "roles-0-need", "roles-0-hours_per_month", "measure-contributors"} <= ids
    assert parsed.labels["title"] == "Title"


def test_new_form_as_reviewer_is_403(login, session):
    response = login(UserFactory(roles=("reviewer",))).get("/projects/new")
    assert response.status_code == 403


def test_create_draft_through_form_redirects_to_project_page(login, session, api):
    owner = UserFactory()
    client = login(owner)
    response = client.post("/projects/new", data=form_data())
    assert response.status_code == 302
    match = re.fullmatch(r"/projects/(\d+)", response.headers["Location"])
    assert match
    project = api(owner).get(f"/projects/{match.group(1)}").json
    assert project["state"] == "draft"
    assert project["revision"]["roles_needed"] == COMPLETE["roles_needed"]
    assert project["revision"]["outcomes"] == COMPLETE["outcomes"]
    assert project["revision"]["work_groups"] == ["technical"]
    assert "Draft saved." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_new_form_add_another_role_without_script_keeps_typed_and_creates_nothing(
        login, session):
    owner = UserFactory()
    response = login(owner).post("/projects/new", data=form_data(add_row="roles",
                                                                 title="Kept title"))
    assert response.status_code == 200
    parsed = page(response)
    assert (parsed.labels["roles-1-need"], parsed.labels["roles-1-hours_per_month"]) == (
        "Role 2: Profession or skill", "Role 2: Hours per month")
    html = response.get_data(as_text=True)
    assert 'value="Kept title"' in html
    assert '<option selected value="skill:mentorship">' in html
    assert ('<input id="roles-0-hours_per_month" name="roles-0-hours_per_month" '
            'type="number" value="6">') in html
    assert session.query(Project).count() == 0


def test_create_draft_with_unknown_type_is_422_and_keeps_text(login, session):
    response = login(UserFactory()).post("/projects/new",
                                         data=form_data(project_type="space_program",
                                                        title="My careful title"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert ('<p class="error" id="project_type-error">Choose one of Training programme or '
            'course,') in html
    assert 'value="My careful title"' in html


# --- the project page -------------------------------------------------------------------------

def test_project_page_stepper_marks_current_state(login, session):
    project = ProjectFactory(state="risk_model")
    parsed = page(login(project.owner).get(f"/projects/{project.id}"))
    assert parsed.current_steps == ["Risk model"]


def test_draft_page_stepper_marks_draft(login, session):
    project = ProjectFactory()
    parsed = page(login(project.owner).get(f"/projects/{project.id}"))
    assert parsed.current_steps == ["Draft"]


def test_project_page_owner_sees_submit_and_withdraw(login, session):
    project = ProjectFactory()
    response = login(project.owner).get(f"/projects/{project.id}")
    assert response.status_code == 200
    parsed = page(response)
    assert "Submit proposal" in parsed.buttons
    assert "Withdraw" in parsed.buttons
    assert_every_control_labelled(parsed)


def test_project_page_grantmaker_sees_no_withdraw(login, session):
    project = ProjectFactory(state="risk_model")
    response = login(UserFactory(roles=("grantmaker",))).get(f"/projects/{project.id}")
    assert response.status_code == 200
    parsed = page(response)
    assert "Withdraw" not in parsed.buttons
    assert "Submit proposal" not in parsed.buttons
    assert 'name="trigger"' not in response.get_data(as_text=True)


def test_project_page_shows_history_after_submit(login, session):
    project = ProjectFactory()
    client = login(project.owner)
    response = client.post(f"/projects/{project.id}/transitions",
                           data={"trigger": "submit", "version": "1", "comment": "Off it goes"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/projects/{project.id}"
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "No moves yet" not in html
    assert "Draft → Risk model" in html
    assert "Off it goes" in html
    assert f"<td>{project.owner.name}</td>" in html


def test_new_draft_page_says_no_moves_yet(login, session):
    project = ProjectFactory()
    html = login(project.owner).get(f"/projects/{project.id}").get_data(as_text=True)
    assert "No moves yet: the project is a draft." in html


def test_submit_incomplete_draft_through_page_is_422_listing_missing(login, session):
    project = ProjectFactory(proposal=EMPTY)
    response = login(project.owner).post(f"/projects/{project.id}/transitions",
                                         data={"trigger": "submit", "version": "1"})
    assert response.status_code == 422
    parsed = page(response)
    assert len(parsed.alerts) == 1
    for message in MISSING_ALL:
        assert message in parsed.alerts[0]
    assert parsed.current_steps == ["Draft"]


def test_submit_with_stale_version_through_page_is_409(login, session):
    project = ProjectFactory(version=2)
    response = login(project.owner).post(f"/projects/{project.id}/transitions",
                                         data={"trigger": "submit", "version": "1"})
    assert response.status_code == 409
    assert "Someone else changed this project first; reload it and try again." in \
        response.get_data(as_text=True)


def test_other_users_project_page_is_404(login, session):
    project = ProjectFactory()
    response = login(UserFactory()).get(f"/projects/{project.id}")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_other_users_project_edit_and_transition_are_404(login, session):
    project = ProjectFactory()
    client = login(UserFactory())
    assert client.get(f"/projects/{project.id}/edit").status_code == 404
    assert client.post(f"/projects/{project.id}/transitions",
                       data={"trigger": "withdraw", "version": "1"}).status_code == 404


def test_risky_profession_shows_warning(login, session):
    roles = [{"kind": "profession", "key": "marketing_communications", "technical": False,
              "commitment": "fractional", "hours_per_month": 40}]
    project = ProjectFactory(proposal={**COMPLETE, "roles_needed": roles})
    html = login(project.owner).get(f"/projects/{project.id}").get_data(as_text=True)
    assert "<strong>Risky roles needed:</strong> Marketing and communications." in html


def test_safe_profession_shows_no_warning(login, session):
    project = ProjectFactory()
    html = login(project.owner).get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Risky roles needed" not in html


def test_markdown_summary_with_script_is_escaped(login, session):
    summary = "Hello <script>alert('x')</script> and [link](javascript:alert(1)) **bold**"
    project = ProjectFactory(proposal={**COMPLETE, "summary": summary})
    response = login(project.owner).get(f"/projects/{project.id}")
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert 'href="javascript:' not in html
    assert "<strong>bold</strong>" in html
    assert page(response).scripts == []


# --- editing ----------------------------------------------------------------------------------

def test_edit_form_labels_every_control(login, session):
    project = ProjectFactory()
    response = login(project.owner).get(f"/projects/{project.id}/edit")
    assert response.status_code == 200
    assert_every_control_labelled(page(response))


def test_edit_saves_and_redirects(login, session, api):
    project = ProjectFactory()
    client = login(project.owner)
    response = client.post(f"/projects/{project.id}/edit",
                           data=form_data(title="A better title", version="1"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/projects/{project.id}"
    body = api(project.owner).get(f"/projects/{project.id}").json
    assert body["title"] == "A better title"
    assert body["version"] == 2


def test_edit_with_stale_version_is_409_keeps_text_and_names_changes(login, session, api):
    project = ProjectFactory()
    client = login(project.owner)
    form = page(client.get(f"/projects/{project.id}/edit"))
    base = next(c["value"] for c in form.controls if c.get("name") == "base")
    assert json.loads(base)["budget"] == COMPLETE["budget"]
    # Meanwhile, the same owner saves a new budget from another tab (through the API).
    meanwhile = api(project.owner).patch(f"/projects/{project.id}",
                                         json={"version": 1, "budget": "USD 99,000"})
    assert meanwhile.status_code == 200
    response = client.post(f"/projects/{project.id}/edit",
                           data=form_data(title="My typed title", version="1", base=base))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'value="My typed title"' in html
    assert "Meanwhile these fields were changed: Budget." in html
    assert [c["value"] for c in page(response).controls if c.get("name") == "version"] == ["2"]
    assert api(project.owner).get(f"/projects/{project.id}").json["title"] == COMPLETE["title"]


def test_edit_in_withdrawn_state_is_refused(login, session):
    project = ProjectFactory(state="withdrawn")
    response = login(project.owner).get(f"/projects/{project.id}/edit")
    assert response.status_code == 409
    assert "cannot be edited while the project is in &#39;withdrawn&#39;" in response.get_data(
        as_text=True)


def test_edit_by_other_viewer_is_403(login, session):
    project = ProjectFactory(state="risk_model")
    grantmaker = UserFactory(roles=("grantmaker",))
    assert login(grantmaker).get(f"/projects/{project.id}/edit").status_code == 403


# --- security headers and no inline script ----------------------------------------------------

def test_csp_header_has_no_unsafe_inline(client, session):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert policy == CSP
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_page_has_inline_script_style_or_handlers(client, login, session):
    project = ProjectFactory(proposal={**COMPLETE, "roles_needed": [
        {"kind": "profession", "key": "marketing_communications", "technical": False,
         "commitment": "full_time", "hours_per_month": None}]})
    submitted = ProjectFactory(owner=project.owner, state="risk_model")
    pages = {path: client.get(path) for path in ("/login", "/password/forgot",
                                                 "/password/reset/unknown")}
    signed_in = login(project.owner)
    for path in ("/", "/projects", "/projects?page=2", "/projects/new",
                 f"/projects/{project.id}", f"/projects/{project.id}/edit",
                 f"/projects/{submitted.id}", "/projects/999999", "/account",
                 "/account/password", "/account/tokens"):
        pages[path] = signed_in.get(path)
    empty = ProjectFactory(owner=project.owner, proposal=EMPTY)
    pages["422 page"] = signed_in.post(f"/projects/{empty.id}/transitions",
                                       data={"trigger": "submit", "version": "1"})
    admin = login(UserFactory(roles=("admin",)))
    for path in ("/admin/users", f"/admin/users/{project.owner.id}"):
        pages[path] = admin.get(path)
    for name, response in pages.items():
        assert response.status_code in (200, 404, 422), name
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], name
        parsed = page(response)
        assert all(s.get("src") for s in parsed.scripts), name
        assert parsed.inline_script_text == [], name
        assert parsed.styled == [], name
        assert parsed.handlers == [], name


def test_login_with_nul_in_email_drops_the_nul(client, session):
    user = UserFactory()
    local, domain = user.email.split("@")
    response = client.post("/login", data={"email": f"{local}\x00@{domain}",
                                           "password": PASSWORD})
    assert response.status_code == 302
    response = client.post("/login", data={"email": "nobody\x00@example.org",
                                           "password": PASSWORD})
    assert response.status_code == 401


def test_signed_out_with_nul_in_query_is_still_redirected(client, session):
    response = client.get("/projects", query_string={"state": "\x00"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_form_title_with_nul_is_saved_without_it(login, session, api):
    owner = UserFactory()
    response = login(owner).post("/projects/new", data=form_data(title="Null\x00 byte"))
    assert response.status_code == 302
    project_id = response.headers["Location"].rsplit("/", 1)[1]
    assert api(owner).get(f"/projects/{project_id}").json["title"] == "Null byte"


def test_new_form_empty_is_422_asking_for_a_title_and_creates_nothing(login, session):
    owner = UserFactory()
    untouched = {"title": "", "summary": "An idea for later.", "project_type": "",
                 "roles-0-need": "", "roles-0-commitment": "fractional", "location": "",
                 "budget": "", "timeline": ""}
    response = login(owner).post("/projects/new", data=untouched)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert '<p class="error" id="title-error">Give the proposal a title to start a draft ' \
           '(everything else can wait).</p>' in text
    assert "An idea for later.</textarea>" in text
    assert session.query(Project).filter_by(owner_id=owner.id).count() == 0
