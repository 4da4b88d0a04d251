"""Every kind of notification, read as every recipient it goes to: a project taken through
two rounds, safeguards, a pilot with a breached kill criterion and a severe incident and a go
decision with conditions; reminders before and after their dates; a digest; an invitation,
a password reset, and a consultation's invitations and reminders. Each kind registered is
sent; each mail has a text and an HTML part with its link; no mail to a proposer names a
reviewer; no reviewer learns another's name."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from reviewtool.models import OutboxMessage
from reviewtool.services import consultations, reminders
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.invitations import invite
from reviewtool.services.notification_kinds import KINDS
from reviewtool.services.notifications import set_preferences
from reviewtool.services.password_reset import request_reset
from reviewtool.services.pilot_records import record_incident
from tests.consultation_factories import CLOSES, consultation, panellist
from tests.decision_factories import REVIEWERS, at_decision, decide_go
from tests.factories import UserFactory, assign, project_in_review, reviewer
from tests.pilot_factories import running

ADMIN_NAME = "Ann Admin"


@pytest.fixture(autouse=True)
def _sqlite_only(db_kind):
    # What a mail says and to whom does not depend on the database; queuing and delivering
    # it are tested on both (test_reminders.py, test_outbox_delivery.py).
    if db_kind != "sqlite":
        pytest.skip("the mails' words do not depend on the database; SQLite keeps this fast")


def _everything(session, workflow, app) -> list[OutboxMessage]:
    # As in a request or the worker: links start with the app's BASE_URL.
    with app.test_request_context():
        return _take_it_all_the_way(session, workflow, app)


def _take_it_all_the_way(session, workflow, app) -> list[OutboxMessage]:
    today = date.today()
    journey = at_decision(workflow)  # rounds 1 and 2, safeguards, a pilot; kill criterion met
    decide_go(workflow, journey, conditions=[
        {"text": "Send the syllabus", "due_on": (today + timedelta(days=10)).isoformat()}],
        review_by=(today + timedelta(days=12)).isoformat())
    project, _, builder_user = running(workflow, ends_on=(today + timedelta(days=2))
                                        .isoformat())
    record_incident(session, builder_user, project, {
        "what": "A participant was doxxed", "category": "participant_harm", "severity": 5,
        "occurred_on": today.isoformat()}, load_catalogues(session), workflow.settings)
    in_review = project_in_review(workflow)
    late, soon, digested = reviewer(), reviewer(), reviewer()
    assign(in_review, late, due_on=today - timedelta(days=1))
    assign(in_review, soon, due_on=today + timedelta(days=3))
    set_preferences(session, digested, {"review_assigned": "digest"})
    assign(in_review, digested)
    noon = datetime.combine(today, time(12), tzinfo=UTC)
    reminders.schedule(session, noon)  # due soon, overdue, observations, condition, renewal
    reminders.schedule(session, noon + timedelta(days=11))  # the condition is overdue now
    admin = UserFactory(roles=("admin",), name=ADMIN_NAME)
    invite(session, admin, {"email": "new.person@example.org", "roles": ["reviewer"]},
           address="127.0.0.1")
    request_reset(session, journey.project.owner.email, address="127.0.0.1",
                  settings=app.extensions["reviewtool.settings"])
    panel = [panellist(email=f"panel{i}@panel.test") for i in range(2)]
    asked = consultation(journey.grantmaker)
    consultations.open_wave(session, journey.grantmaker, asked, {
        "closes_on": CLOSES, "panellist_ids": [p.id for p in panel]})
    consultations.send_reminders(session, journey.grantmaker, asked, 1)
    session.flush()
    return [journey, *session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_every_kind_sent_with_text_html_and_link(session, workflow, app):
    _, *mails = _everything(session, workflow, app)
    assert {m.kind for m in mails} == set(KINDS)
    for mail in mails:
        assert mail.html_body and mail.html_body.startswith("<!doctype html>"), mail.kind
        assert "http" in mail.body and '<a href="http' in mail.html_body, mail.kind


def test_no_mail_to_a_proposer_names_a_reviewer(session, workflow, app):
    journey, *mails = _everything(session, workflow, app)
    proposer = journey.project.owner.email
    to_proposer = [m for m in mails if m.to_email == proposer]
    assert {m.kind for m in to_proposer} >= {"round_closed", "safeguards_requested",
                                             "pilot_started", "decision_made",
                                             "condition_due", "condition_overdue",
                                             "renewal_due"}
    for mail in to_proposer:
        for name, email in REVIEWERS:
            for detail in (name, *name.split(), email):
                assert detail not in mail.subject + mail.body + mail.html_body, mail.kind
        assert "Reviewer A" not in mail.body


def test_no_reviewer_learns_another_reviewers_name(session, workflow, app):
    _, *mails = _everything(session, workflow, app)
    for mail in mails:
        for name, email in REVIEWERS:
            if mail.to_email != email and mail.to_email.endswith("carefulreviewers.example"):
                assert name not in mail.body + mail.html_body


def test_each_kind_goes_only_to_its_recipients(session, workflow, app):
    journey, *mails = _everything(session, workflow, app)
    reviewers = {email for _, email in REVIEWERS}
    by_kind: dict[str, set[str]] = {}
    for mail in mails:
        by_kind.setdefault(mail.kind, set()).add(mail.to_email)
    owner, gm = journey.project.owner.email, journey.grantmaker.email
    assert by_kind["decision_made"] == {owner}
    assert by_kind["condition_due"] == by_kind["renewal_due"] == {owner, gm}
    assert reviewers <= by_kind["review_assigned"]
    assert owner not in by_kind["review_assigned"] | by_kind["pilot_alert"]
    assert by_kind["observation_due"] and not by_kind["observation_due"] & reviewers
    panel = {"panel0@panel.test", "panel1@panel.test"}
    assert by_kind["consultation_invitation"] == by_kind["consultation_reminder"] == panel
