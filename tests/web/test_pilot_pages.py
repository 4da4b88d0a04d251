"""Pilot pages through the test client: the plan form, the start_pilot override, observations
and incidents, the pilot section of the project page, alerts, and the builder's dashboard
(its counts, and queries that do not grow with the number of pilots)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from reviewtool.models import PlanChange, TransitionEvent
from tests.factories import UserFactory, grantmaker, reviewed
from tests.pilot_factories import (
    CONCERN_66,
    OVERRIDE,
    ROUND_66,
    builder,
    criterion,
    observe,
    planned,
    running,
)
from tests.queries import statements_for

TODAY = date.today()
INLINE = {"a", "abbr", "code", "em", "small", "span", "strong", "time"}  # no gap around these


class Page(HTMLParser):
    """The controls, labels, alerts and visible text of one page."""

    def __init__(self, response):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str]] = []
        self.labels: dict[str, str] = {}
        self.hashes: list[str] = []
        self.text: list[str] = []
        self._label: tuple[str, list[str]] | None = None
        self._hash = False
        self.feed(response.get_data(as_text=True))

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag not in INLINE:
            self.text.append(" ")
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, "type": attributes.get("type", tag),
                                  **attributes})
        elif tag == "label":
            self._label = (attributes.get("for", ""), [])
        elif tag == "code" and "hash" in attributes.get("class", ""):
            self._hash = True

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.text.append(" ")
        if tag == "label" and self._label is not None:
            self.labels[self._label[0]] = " ".join("".join(self._label[1]).split())
            self._label = None

    def handle_data(self, data):
        self.text.append(data)
        if self._label is not None:
            self._label[1].append(data)
        if self._hash:
            self.hashes.append(data)
            self._hash = False

    def visible_text(self) -> str:
        return " ".join("".join(self.text).split())

    def label_texts(self) -> set[str]:
        return set(self.labels.values())

    def unlabelled(self) -> list[dict[str, str]]:
        return [c for c in self.controls if c["type"] != "hidden"
                and not self.labels.get(c.get("id", ""))]


def plan_form(builder_user, **fields) -> dict[str, str]:
    """What the plan form sends for one success and one kill criterion."""
    data = {"builders": str(builder_user.id),
            "starts_on": (TODAY - timedelta(days=3)).isoformat(),
            "ends_on": (TODAY + timedelta(days=30)).isoformat(), "budget": "EUR 2,000"}
    rows = [("success", "coordination", "Study groups started", ">=", "2", "groups"),
            ("kill", "participant_harm", "Complaints of pressure", ">=", "2", "complaints")]
    for i, (kind, outcome, metric, comparator, target, unit) in enumerate(rows):
        data.update({f"criteria-{i}-kind": kind, f"criteria-{i}-outcome": outcome,
                     f"criteria-{i}-metric": metric, f"criteria-{i}-comparator": comparator,
                     f"criteria-{i}-target": target, f"criteria-{i}-unit": unit,
                     f"criteria-{i}-measurement": "Counted by the builder"})
    data.update(fields)
    return data


# --- the plan form ---------------------------------------------------------------------------

def test_plan_page_every_control_labelled(login, workflow):
    gm = grantmaker()
    project, _ = reviewed(workflow, ROUND_66, by=gm)
    page = Page(login(gm).get(f"/projects/{project.id}/pilot/plan"))
    assert page.unlabelled() == []
    assert {"Builder", "Start date", "End date", "Budget", "Criterion 1: Kind",
            "Criterion 1: Outcome or risk category", "Criterion 1: Metric",
            "Criterion 1: Comparator", "Criterion 1: Target", "Criterion 1: Unit",
            "Criterion 1: How it will be measured"} <= page.label_texts()
    assert "Justification for this change" not in page.label_texts()


def test_plan_page_post_saves_plan_and_goes_to_pilot_page(login, workflow, session):
    gm, builder_user = grantmaker(), builder()
    project, _ = reviewed(workflow, ROUND_66, by=gm)
    response = login(gm).post(f"/projects/{project.id}/pilot/plan", data=plan_form(builder_user))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/projects/{project.id}/pilot"
    session.expire_all()
    pilot = project.pilot
    assert [(c.kind, c.outcome, c.metric, c.target) for c in pilot.criteria] == [
        ("success", "coordination", "Study groups started", 2.0),
        ("kill", "participant_harm", "Complaints of pressure", 2.0)]
    assert (pilot.builders, pilot.budget) == ([builder_user], "EUR 2,000")
    page = Page(login(gm).get(f"/projects/{project.id}/pilot/plan"))
    assert {"Criterion 2: Remove", "Criterion 3: Metric"} <= page.label_texts()


def test_plan_page_add_another_without_script_keeps_typed_and_saves_nothing(
        login, workflow, session):
    gm, builder_user = grantmaker(), builder()
    project, _ = reviewed(workflow, ROUND_66, by=gm)
    response = login(gm).post(f"/projects/{project.id}/pilot/plan",
                              data={**plan_form(builder_user), "add_row": "criteria"})
    assert response.status_code == 200
    page = Page(response)
    values = {c.get("name"): c.get("value", "") for c in page.controls if c["tag"] == "input"}
    assert (values["criteria-0-metric"], values["criteria-1-metric"], values["budget"],
            values["criteria-2-metric"]) == ("Study groups started", "Complaints of pressure",
                                             "EUR 2,000", "")
    assert "Criterion 3: Metric" in page.label_texts()
    assert "Please correct" not in page.visible_text()
    session.expire_all()
    assert project.pilot is None


def test_plan_page_bad_target_is_422_next_to_the_field(login, workflow, session):
    gm, builder_user = grantmaker(), builder()
    project, _ = reviewed(workflow, ROUND_66, by=gm)
    response = login(gm).post(f"/projects/{project.id}/pilot/plan", data=plan_form(
        builder_user, **{"criteria-1-target": "ten", "criteria-1-comparator": "!="}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="error" id="criteria-1-target-error">Target should be a number.</p>' \
        in html
    text = Page(response).visible_text()
    assert ("Criterion 2: Comparator: Choose one of ≥ at least, ≤ at most or = exactly. "
            "Criterion 2: Target should be a number.") in text
    session.expire_all()
    assert project.pilot is None


def test_plan_page_frozen_needs_justification_then_logs_amendment(login, workflow, session):
    project, gm, builder_user = running(workflow)
    client = login(gm)
    page = Page(client.get(f"/projects/{project.id}/pilot/plan"))
    assert "Justification for this change" in page.label_texts()
    assert "Your change will be logged, with its justification, as an amendment" in \
        page.visible_text()
    assert page.unlabelled() == []
    form = {c["name"]: c.get("value", "") for c in page.controls
            if c.get("name") and c["type"] != "checkbox"}
    form.update({"builders": str(builder_user.id), "budget": "USD 3,500",
                 "criteria-0-kind": "success", "criteria-1-kind": "kill",
                 "criteria-0-outcome": "contributors", "criteria-1-outcome": "participant_harm",
                 "criteria-0-comparator": ">=", "criteria-1-comparator": ">="})
    form["criteria-0-measurement"] = "Attendance sheets of the last session"
    form["criteria-1-measurement"] = "Anonymous mid-pilot survey"
    refused = client.post(f"/projects/{project.id}/pilot/plan", data=form)
    assert refused.status_code == 422
    assert "Justification for this change: The plan is frozen: give a justification for the " \
        "change." in Page(refused).visible_text()

    saved = client.post(f"/projects/{project.id}/pilot/plan",
                        data={**form, "justification": "A bigger room."})
    assert saved.status_code == 302
    change = session.scalars(select(PlanChange)).one()
    assert (change.kind, change.justification) == ("amendment", "A bigger room.")
    assert "Plan change logged as an amendment." in Page(
        client.get(f"/projects/{project.id}/pilot")).visible_text()


def test_plan_page_by_proposer_is_403_and_other_proposer_404(login, workflow):
    project, _, _ = planned(workflow)
    assert login(project.owner).get(f"/projects/{project.id}/pilot/plan").status_code == 403
    assert login(UserFactory()).get(f"/projects/{project.id}/pilot/plan").status_code == 404


# --- start_pilot from the project page -------------------------------------------------------

def test_project_page_start_pilot_override_field_records_rationale(login, workflow, session):
    project, gm, _ = planned(workflow, ROUND_66)
    client = login(gm)
    page = Page(client.get(f"/projects/{project.id}"))
    assert page.unlabelled() == []
    assert "Override rationale (needed when concern in the last round is above 30%)" \
        in page.label_texts()
    assert [c["name"] for c in page.controls if c.get("name") == "override_rationale"] == [
        "override_rationale"]
    body = {"trigger": "start_pilot", "version": str(project.version), "comment": ""}
    refused = client.post(f"/projects/{project.id}/transitions", data=body)
    assert refused.status_code == 422
    assert CONCERN_66 in Page(refused).visible_text()

    started = client.post(f"/projects/{project.id}/transitions",
                          data={**body, "override_rationale": OVERRIDE})
    assert started.status_code == 303
    event_row = session.scalars(select(TransitionEvent).where(
        TransitionEvent.trigger == "start_pilot")).one()
    assert (event_row.to_state, event_row.override_rationale) == ("pilot", OVERRIDE)


def test_project_page_shows_plan_hash_equal_to_stored(login, workflow, session):
    project, _, _ = running(workflow)
    page = Page(login(project.owner).get(f"/projects/{project.id}"))
    session.expire_all()
    assert page.hashes == [project.pilot.plan_sha256]
    assert f"Frozen on {project.pilot.frozen_at.date().isoformat()}, SHA-256 " \
        f"{project.pilot.plan_sha256}" in page.visible_text()


# --- the builders' pages ---------------------------------------------------------------------

def test_observation_page_every_control_labelled(login, workflow):
    project, _, builder_user = running(workflow)
    client = login(builder_user)
    for url in (f"/projects/{project.id}/pilot/observations",
                f"/projects/{project.id}/pilot/incidents"):
        page = Page(client.get(url))
        assert page.unlabelled() == []
    assert {"Criterion", "Value", "Date observed", "Note"} <= Page(client.get(
        f"/projects/{project.id}/pilot/observations")).label_texts()
    assert {"What happened", "Risk category", "Severity (1-5)", "Date"} <= Page(client.get(
        f"/projects/{project.id}/pilot/incidents")).label_texts()


def test_observation_post_turns_criterion_met_on_pilot_page(login, workflow):
    project, _, builder_user = running(workflow)
    client = login(builder_user)
    response = client.post(f"/projects/{project.id}/pilot/observations", data={
        "criterion_id": str(criterion(project, "success").id), "value": "11",
        "observed_on": TODAY.isoformat(), "note": "Week 6"})
    assert (response.status_code, response.headers["Location"]) == (
        302, f"/projects/{project.id}/pilot")
    text = Page(client.get(f"/projects/{project.id}/pilot")).visible_text()
    assert "Observation recorded." in text
    assert "Participants who finish >= 10 people Attendance sheets of the last session 11 " \
        f"people ({TODAY.isoformat()}, 1 observation) met" in text
    assert "Participants reporting burnout >= 3 people Anonymous mid-pilot survey — pending" \
        in text


def test_observation_post_bad_value_is_422_inline(login, workflow):
    project, _, builder_user = running(workflow)
    response = login(builder_user).post(f"/projects/{project.id}/pilot/observations", data={
        "criterion_id": str(criterion(project, "success").id), "value": "many",
        "observed_on": TODAY.isoformat()})
    assert response.status_code == 422
    assert '<p class="error" id="value-error">Value should be a number.</p>' in \
        response.get_data(as_text=True)


@pytest.mark.parametrize(("who", "status"), [("owner", 403), ("grantmaker", 403),
                                             ("stranger", 404), ("other builder", 404)])
def test_observation_page_for_non_builders_is_refused(login, workflow, who, status):
    project, gm, _ = running(workflow)
    user = {"owner": project.owner, "grantmaker": gm, "stranger": UserFactory(),
            "other builder": builder()}[who]
    client = login(user)
    assert client.get(f"/projects/{project.id}/pilot/observations").status_code == status
    assert client.post(f"/projects/{project.id}/pilot/observations", data={
        "criterion_id": str(criterion(project, "success").id), "value": "1",
        "observed_on": TODAY.isoformat()}).status_code == status


def test_breached_kill_criterion_shows_alert_on_project_page(login, workflow):
    project, gm, builder_user = running(workflow)
    login(builder_user).post(f"/projects/{project.id}/pilot/observations", data={
        "criterion_id": str(criterion(project, "kill").id), "value": "5",
        "observed_on": TODAY.isoformat()})
    html = login(gm).get(f"/projects/{project.id}").get_data(as_text=True)
    alert = re.search(r'<div class="pilot-alerts" role="alert">(.*?)</div>', html, re.S)
    assert alert is not None
    assert "Kill criterion breached: Participants reporting burnout &gt;= 3 people (observed 5 " \
        f"on {TODAY.isoformat()})." in alert.group(1)
    assert '<span class="verdict verdict-met kill">breached</span>' in html


def test_incident_severity_4_shows_alert_on_pilot_page(login, workflow):
    project, _, builder_user = running(workflow)
    client = login(builder_user)
    response = client.post(f"/projects/{project.id}/pilot/incidents", data={
        "what": "A participant quit after a hostile exchange.", "category": "participant_harm",
        "severity": "4", "occurred_on": TODAY.isoformat()})
    assert response.status_code == 302
    html = client.get(f"/projects/{project.id}/pilot").get_data(as_text=True)
    assert 'role="alert"' in html
    assert "Severe incident (severity 4, Participant harm): A participant quit after a " \
        "hostile exchange." in html


# --- the builder's dashboard -----------------------------------------------------------------

def test_builder_dashboard_counts_and_what_to_record_next(login, workflow):
    project, _, builder_user = running(workflow)
    observe(project, builder_user, "success", 12, days_ago=20)
    page = Page(login(builder_user).get("/"))
    text = page.visible_text()
    days_left = (project.pilot.ends_on - TODAY).days
    title = project.current_revision.title
    assert "Your pilots" in text
    last = TODAY - timedelta(days=20)
    assert (f"{title} {days_left} 1 0 1 Participants who finish (last observed "
            f"{last.day} {last:%b %Y}) Participants reporting burnout "
            "(never observed)") in text

    observe(project, builder_user, "success", 9, days_ago=1)
    observe(project, builder_user, "kill", 4, days_ago=1)
    text = Page(login(builder_user).get("/")).visible_text()
    assert f"{title} {days_left} 0 1 0 Nothing due." in text


def test_builder_dashboard_queries_same_for_1_and_5_pilots(app, login, workflow):
    gm = grantmaker()
    few, many = builder(), builder()
    running(workflow, gm=gm, builder_user=few)
    for _ in range(5):
        project, _, _ = running(workflow, gm=gm, builder_user=many)
        observe(project, many, "success", 3)
    counts = []
    for user in (few, many):
        client = login(user)
        counts.append(statements_for(app, client, "/"))
        client.post("/logout")
    assert counts[0] == counts[1]


def test_pilot_page_alert_resolved_by_grantmaker_disappears(login, session, workflow):

    project, gm, builder_user = running(workflow)
    observe(project, builder_user, "kill", 3)
    client = login(gm)
    html = client.get(f"/projects/{project.id}/pilot").get_data(as_text=True)
    assert "Mark alert 1 as resolved" in html
    alert_id = int(html.split(f"/projects/{project.id}/alerts/")[1].split("/")[0])
    response = client.post(f"/projects/{project.id}/alerts/{alert_id}/resolve")
    assert response.status_code == 303
    html = client.get(f"/projects/{project.id}/pilot").get_data(as_text=True)
    assert "Mark alert 1 as resolved" not in html
    assert "Alert marked as resolved." in html
