"""Senior-review pages without a browser: the reviewer's journey, the review form and its
errors, the grantmaker's assign page, conflicts, labels, and queries that do not grow per row."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from reviewtool.models import Assignment, ConflictDeclaration, OutboxMessage, Review
from reviewtool.services.reviews import declare_conflict
from reviewtool.services.transitions import fire
from tests.factories import (
    UserFactory,
    assign,
    grantmaker,
    project_in_review,
    reviewed,
    reviewer,
    submit,
)
from tests.queries import statements_for

HIDDEN = ("You declared a conflict of interest with this project, so its reviews, figures and "
          "reviewers are hidden from you.")
RATIONALE_REQUIRED = ("Explain why the project could be net negative: a rationale is needed "
                      "when you answer yes.")
DONE_WHEN = [
    {"net_negative": True, "stance": "optimistic", "confidence": 5,
     "rationale": "Alumni could join capabilities labs.",
     "concern_categories": ["capabilities", "displacement"]},
    {"net_negative": False, "stance": "optimistic", "confidence": 1,
     "concern_categories": ["capabilities"]},
    {"net_negative": True, "stance": "neutral", "confidence": 2,
     "rationale": "It may crowd out an existing programme."},
]


class Parsed(HTMLParser):
    """Controls, labels and visible text of one page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str]] = []
        self.labels: dict[str, str] = {}  # for= → label text
        self.text: list[str] = []
        self._label: tuple[str, list[str]] | None = None
        self._textarea: dict[str, str] | None = None
        self._select: dict[str, str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag in ("input", "select", "textarea"):
            control = {"tag": tag, **attributes}
            control.setdefault("type", tag)
            self.controls.append(control)
            self._textarea = control if tag == "textarea" else None
            self._select = control if tag == "select" else None
        elif tag == "option" and self._select is not None and "selected" in attributes:
            self._select["value"] = attributes.get("value", "")
        elif tag == "label":
            self._label = (attributes.get("for", ""), [])

    def handle_endtag(self, tag):
        if tag == "label" and self._label is not None:
            self.labels[self._label[0]] = " ".join("".join(self._label[1]).split())
            self._label = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        self.text.append(data)
        if self._label is not None:
            self._label[1].append(data)
        if self._textarea is not None:
            self._textarea["value"] = self._textarea.get("value", "") + data

    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def control(self, label: str) -> dict[str, str]:
        """The control whose <label for> has exactly this text."""
        [control_id] = [i for i, text in self.labels.items() if text == label]
        [control] = [c for c in self.controls if c.get("id") == control_id]
        return control


def parsed(response) -> Parsed:
    return Parsed(response.get_data(as_text=True))


def assert_every_control_labelled(page: Parsed) -> None:
    visible = [c for c in page.controls if c["type"] != "hidden"]
    assert visible
    unlabelled = [c for c in visible if not page.labels.get(c.get("id", ""), "")]
    assert unlabelled == []


def fill(page: Parsed, answers: dict[str, str | bool]) -> dict[str, list[str]]:
    """What a browser sends after the user sets the labelled controls: the page's current
    values (checked boxes, selected options, texts, hidden fields) with `answers` applied."""
    data: dict[str, list[str]] = {}
    for control in page.controls:
        name = control.get("name")
        if not name or name == "csrf_token" or control["type"] in ("submit", "button"):
            continue
        if control["type"] in ("radio", "checkbox"):
            if "checked" in control:
                data.setdefault(name, []).append(control.get("value", "y"))
        else:
            value = control.get("value", "")
            if control["tag"] == "textarea":  # a browser drops the newline after <textarea>
                value = value.removeprefix("\r").removeprefix("\n")
            data.setdefault(name, []).append(value)
    for label, answer in answers.items():
        control = page.control(label)
        if control["type"] == "radio":
            data[control["name"]] = [control["value"]]
        elif control["type"] == "checkbox":
            data.setdefault(control["name"], []).append(control.get("value", "y"))
        else:
            data[control["name"]] = [str(answer)]
    return data


def review_url(project) -> str:
    return f"/projects/{project.id}/review"


def first_risk(project):
    return sorted(project.current_revision.risks, key=lambda r: (r.category, r.position,
                                                                 r.id))[0]


def answers(project, **overrides) -> dict[str, str | bool]:
    risk = first_risk(project)
    values: dict[str, str | bool] = {
        "Neutral": True, "Yes": True, "Why? (required if yes)": "Mentees may drift to labs.",
        "Speeding up capabilities research": True,
        f"{risk.description} — your likelihood": "4", f"{risk.description} — your severity": "5",
        "Suggested safeguards (one per line)": "Screen mentors\n\nAlumni follow-up",
        "Confidence": "4", "Expertise": "expert",
        "I have no conflict of interest with this project": True}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def reviews_in(session) -> int:
    return session.scalar(select(func.count()).select_from(Review))


# --- the reviewer's journey --------------------------------------------------------------------

def test_reviewer_journey_submits_then_sees_other_reviews(login, session, workflow):
    project, others = reviewed(workflow, DONE_WHEN[:2])
    me = reviewer(name="Mo Reviewer")
    assign(project, me)
    client = login(me)

    dashboard = parsed(client.get("/")).visible_text()
    due = date.today() + timedelta(days=14)
    title = project.current_revision.title
    assert (f"{title} 1 {due.day} {due:%b %Y} pending 14 Write your review of "
            f"{title}") in dashboard

    before = parsed(client.get(f"/projects/{project.id}")).visible_text()
    assert "Concern (could be net negative) hidden until you submit your review" in before
    assert "Alumni could join capabilities labs." not in before
    assert "The other reviews are shown once you have submitted yours." in before

    page = parsed(client.get(review_url(project)))
    response = client.post(review_url(project), data=fill(page, answers(project)))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/projects/{project.id}#senior-review"

    after = parsed(client.get(f"/projects/{project.id}")).visible_text()
    assert "Your review is submitted. The other reviews of this round are shown below." in after
    assert "Reviewer A Stance Optimistic Could be net negative Yes Why Alumni could join " \
           "capabilities labs." in after
    assert "Reviewer B Stance Optimistic Could be net negative No" in after
    assert "Reviewer C (you) Stance Neutral Could be net negative Yes Why Mentees may drift " \
           "to labs." in after
    assert "Reviews submitted 3 Concern (could be net negative) 66.7%" in after
    assert [o.name for o in others if o.name in after] == []
    assert "pending 14" not in parsed(client.get("/")).visible_text()

    [review] = session.scalars(select(Review).join(Assignment)
                               .where(Assignment.reviewer_id == me.id)).all()
    assert (review.stance, review.net_negative, review.concern_categories, review.confidence,
            review.expertise, review.suggested_safeguards, review.risk_scores) == (
        "neutral", True, ["capabilities"], 4, "expert", ["Screen mentors", "Alumni follow-up"],
        [{"risk_id": first_risk(project).id, "likelihood": 4, "severity": 5}])


def test_review_page_when_editing_is_prefilled_and_saves_a_new_version(login, session,
                                                                         workflow):
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me)
    client = login(me)
    page = parsed(client.get(review_url(project)))
    assert client.post(review_url(project), data=fill(page, answers(project))).status_code == 303

    page = parsed(client.get(review_url(project)))
    assert "checked" in page.control("Neutral")
    assert "checked" in page.control("Yes")
    assert "checked" in page.control("Speeding up capabilities research")
    assert page.control("Why? (required if yes)")["value"].strip() == "Mentees may drift to labs."
    assert page.control("Confidence")["value"] == "4"
    assert page.control(f"{first_risk(project).description} — your severity")["value"] == "5"

    response = client.post(review_url(project), data=fill(page, {"Optimistic": True}))
    assert response.status_code == 303
    [review] = session.scalars(select(Review)).all()
    session.refresh(review)
    assert (review.version, review.stance, review.net_negative) == (2, "optimistic", True)
    assert "Your review is updated." in parsed(client.get(response.headers["Location"])) \
        .visible_text()


def test_review_net_negative_without_rationale_is_422_with_the_message(login, session,
                                                                       workflow):
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me)
    client = login(me)
    page = parsed(client.get(review_url(project)))
    response = client.post(review_url(project),
                           data=fill(page, answers(project, **{"Why? (required if yes)": ""})))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<p class="error" id="rationale-error">' + re.escape(RATIONALE_REQUIRED)
                     + r'</p>\s*<textarea id="rationale"', html)
    again = parsed(response)
    assert "Please correct this Why? (required if yes): " + RATIONALE_REQUIRED \
        in again.visible_text()
    assert "checked" in again.control("Yes")  # what the reviewer entered is kept
    assert reviews_in(session) == 0


def test_review_without_attestation_is_422_asking_for_it(login, session, workflow):
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me)
    client = login(me)
    page = parsed(client.get(review_url(project)))
    data = fill(page, answers(project, **{
        "I have no conflict of interest with this project": None}))
    response = client.post(review_url(project), data=data)
    assert response.status_code == 422
    assert ("Please correct this I have no conflict of interest with this project: Tick “I have "
            "no conflict of interest with this project”, or declare your conflict of interest "
            "below instead.") in parsed(response).visible_text()
    assert reviews_in(session) == 0


def test_review_page_for_grantmaker_not_assigned_is_403(login, session, workflow):
    project = project_in_review(workflow)
    client = login(grantmaker(roles=("grantmaker", "reviewer")))
    assert client.get(review_url(project)).status_code == 403


def test_review_page_for_unassigned_reviewer_is_404(login, session, workflow):
    project = project_in_review(workflow)
    assert login(reviewer()).get(review_url(project)).status_code == 404


def test_review_page_after_round_closed_is_409(login, session, workflow):
    project, users = reviewed(workflow, DONE_WHEN)
    fire(session, workflow, project, "request_safeguards", actor=grantmaker())
    response = login(users[0]).get(review_url(project))
    assert response.status_code == 409
    assert "This project has no open review round now." in parsed(response).visible_text()


# --- declaring a conflict ----------------------------------------------------------------------

def test_declare_conflict_through_page_withdraws_and_goes_to_dashboard(login, session,
                                                                        workflow):
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me)
    client = login(me)
    page = parsed(client.get(f"/projects/{project.id}"))
    assert page.control("Kind of conflict")["name"] == "kind"
    response = client.post(f"/projects/{project.id}/conflicts",
                           data={"kind": "personal", "note": "My cousin runs it."})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    dashboard = parsed(client.get("/")).visible_text()
    assert (f"You declared a conflict of interest with “{project.current_revision.title}”: "
            "you are withdrawn from its review and its reviews are hidden from you.") in dashboard
    assert "No review assignments right now." in dashboard
    assert client.get(f"/projects/{project.id}").status_code == 404
    [declared] = session.scalars(select(ConflictDeclaration)).all()
    assert (declared.user_id, declared.kind, declared.note) == (me.id, "personal",
                                                                "My cousin runs it.")


def test_conflicted_grantmaker_sees_hidden_message_only(login, session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN)
    boss = grantmaker()
    declare_conflict(session, boss, project, "funder_relationship")
    client = login(boss)
    text = parsed(client.get(f"/projects/{project.id}")).visible_text()
    assert f"Senior review {HIDDEN}" in text
    for leak in ("Reviewer A", "66.7%", "Alumni could join capabilities labs.", "Round 1"):
        assert leak not in text
    assert f"{project.current_revision.title} 1 Hidden: you declared a conflict of interest." \
        in parsed(client.get("/")).visible_text()
    response = client.get(f"/projects/{project.id}/reviewers")
    assert (response.status_code, "so you cannot manage its reviews" in
            parsed(response).visible_text()) == (403, True)


# --- the grantmaker's assign page --------------------------------------------------------------

def test_assign_page_shows_load_and_conflict_reasons(login, session, workflow):
    owner = UserFactory(email="ada@uni-lagos.example", organisation="Uni Lagos")
    project = project_in_review(workflow, owner=owner)
    busy = reviewer(name="Bo Busy")
    for _ in range(2):
        assign(project_in_review(workflow), busy)
    reviewer(name="Col Colleague", email="col@uni-lagos.example")
    client = login(grantmaker())
    response = client.get(f"/projects/{project.id}/reviewers?q=o")
    assert response.status_code == 200
    text = parsed(response).visible_text()
    assert f"Bo Busy {busy.email} 2 None known Due date for Bo Busy Assign Bo Busy" in text
    assert ("Col Colleague col@uni-lagos.example 0 Col Colleague shares the proposer's "
            "institutional e-mail domain (@uni-lagos.example). Cannot be assigned") in text
    narrowed = parsed(client.get(f"/projects/{project.id}/reviewers?q=BUSY")).visible_text()
    assert "Bo Busy" in narrowed and "Col Colleague" not in narrowed


def test_assign_through_page_assigns_and_notifies(login, session, workflow):
    project = project_in_review(workflow)
    candidate = reviewer(name="Cy Candidate")
    client = login(grantmaker())
    response = client.post(f"/projects/{project.id}/reviewers?q=cy",
                           data={"user_id": str(candidate.id), "due_on": "2031-03-01"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/projects/{project.id}/reviewers?q=cy"
    text = parsed(client.get(response.headers["Location"])).visible_text()
    assert ("Cy Candidate is assigned to round 1 as Reviewer A, due 2031-03-01; they have been "
            "notified.") in text
    [assignment] = session.scalars(select(Assignment)).all()
    assert (assignment.reviewer_id, assignment.due_on) == (candidate.id, date(2031, 3, 1))
    [mail] = session.scalars(select(OutboxMessage)
                             .where(OutboxMessage.to_email == candidate.email)).all()
    assert mail.subject == f"Please review: {project.current_revision.title}"


@pytest.mark.parametrize("who", ["proposer", "declared", "colleague"])
def test_assign_conflict_is_409_with_reason_and_writes_nothing(login, session, workflow, who):
    owner = UserFactory(name="Ada Owner", email="ada@uni-lagos.example",
                        roles=("proposer", "reviewer"))
    project = project_in_review(workflow, owner=owner)
    candidate = {"proposer": owner,
                 "declared": reviewer(name="Dee Declared"),
                 "colleague": reviewer(name="Col League", email="col@uni-lagos.example")}[who]
    if who == "declared":
        declare_conflict(session, candidate, project, "recent_collaborator", "Co-authored.")
    reason = {"proposer": "Ada Owner proposed this project.",
              "declared": "Dee Declared declared a conflict with this project "
                          "(recent_collaborator: Co-authored.).",
              "colleague": "Col League shares the proposer's institutional e-mail domain "
                           "(@uni-lagos.example)."}[who]
    mails = session.scalar(select(func.count()).select_from(OutboxMessage))
    response = login(grantmaker()).post(f"/projects/{project.id}/reviewers",
                                        data={"user_id": str(candidate.id)})
    assert response.status_code == 409
    assert f"That could not be done Conflict of interest: {reason}" in \
        parsed(response).visible_text()
    assert session.scalar(select(func.count()).select_from(Assignment)) == 0
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == mails


def test_assign_page_as_reviewer_is_403(login, session, workflow):
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me)
    assert login(me).get(f"/projects/{project.id}/reviewers").status_code == 403


# --- figures and labels on the pages ------------------------------------------------------------

def test_project_page_shows_done_when_figures_to_the_proposer(login, session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN)
    text = parsed(login(project.owner).get(f"/projects/{project.id}")).visible_text()
    assert ("Figures of round 1 Figure Value Reviews submitted 3 Concern (could be net negative) "
            "66.7% Confidence-weighted concern 87.5% Optimism 66.7%") in text
    assert ("Reputational harm to the community 0.0% Speeding up capabilities research 66.7% "
            "Displacement 33.3% Low-fidelity message 0.0%") in text


def test_project_page_without_reviews_shows_dashes(login, session, workflow):
    project = project_in_review(workflow)
    text = parsed(login(grantmaker()).get(f"/projects/{project.id}")).visible_text()
    assert ("Reviews submitted 0 Concern (could be net negative) — Confidence-weighted concern — "
            "Optimism —") in text
    assert "Reputational harm to the community — Speeding up capabilities research —" in text
    assert "No reviews yet." in text


def test_project_page_lists_widest_disagreement_first(login, session, workflow):
    project = project_in_review(workflow)
    calm, wild = sorted(project.current_revision.risks, key=lambda r: r.id)[:2]
    for calm_score, wild_score in ((2, 1), (3, 5)):
        me = reviewer()
        assign(project, me)
        submit(project, me, risk_scores=[
            {"risk_id": calm.id, "likelihood": calm_score, "severity": 2},
            {"risk_id": wild.id, "likelihood": wild_score, "severity": wild_score}])
    text = parsed(login(grantmaker()).get(f"/projects/{project.id}")).visible_text()
    assert (f"Standard deviation {wild.description} 1, 25 24 12.0 {calm.description} 4, 6 2 "
            "1.0") in text


def test_review_pages_label_every_control(login, session, workflow):
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me)
    client = login(me)
    for url in (review_url(project), f"/projects/{project.id}"):
        assert_every_control_labelled(parsed(client.get(url)))
    client.post("/logout")
    reviewer(name="Free Reviewer")
    client = login(grantmaker())
    for url in (f"/projects/{project.id}/reviewers", f"/projects/{project.id}"):
        assert_every_control_labelled(parsed(client.get(url)))


# --- queries per page load do not grow with rows -----------------------------------------------

def test_dashboard_queries_same_for_1_and_10_assignments(app, login, session, workflow):
    few, many, boss = reviewer(), reviewer(), grantmaker()
    assign(project_in_review(workflow), few, by=boss)
    for _ in range(10):
        assign(project_in_review(workflow), many, by=boss)
    counts = []
    for user in (few, many):
        client = login(user)
        counts.append(statements_for(app, client, "/"))
        client.post("/logout")
    assert counts[0] == counts[1]


def test_grantmaker_pages_queries_same_for_1_and_10_rows(app, login, session, workflow):
    boss = grantmaker()
    one, ten = project_in_review(workflow), project_in_review(workflow)
    assign(one, reviewer(name="Zed Solo"), by=boss)
    for number in range(10):
        assign(ten, reviewer(name=f"Zed Many {number}"), by=boss)
    client = login(boss)
    assert statements_for(app, client, f"/projects/{one.id}/reviewers?q=zed solo") == \
        statements_for(app, client, f"/projects/{ten.id}/reviewers?q=zed many")
    assert statements_for(app, client, f"/projects/{one.id}") == \
        statements_for(app, client, f"/projects/{ten.id}")


def test_review_empty_form_is_422_naming_every_problem_at_once(login, session, workflow):
    project = project_in_review(workflow)
    me = reviewer()
    assign(project, me)
    client = login(me)
    page = parsed(client.get(review_url(project)))
    data = {name: value for name, value in fill(page, {}).items()
            if name in ("csrf_token", "version") or name.endswith("risk_id")}
    response = client.post(review_url(project), data=data)
    assert response.status_code == 422
    summary = re.search(r'<div class="errors" role="alert">(.*?)</div>',
                        response.get_data(as_text=True), re.S).group(1)
    items = [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", summary)]
    assert [item.split(":")[0] for item in items] == [
        "Stance", "Could this project be net negative?", "Confidence", "Expertise",
        "I have no conflict of interest with this project"]
    assert reviews_in(session) == 0
