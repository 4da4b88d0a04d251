"""Consultation mail over a real SMTP server (aiosmtpd): opening a wave invites each panellist,
a reminder goes only to those who have not answered and still consent. Real commits, in a
database of the test's own (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reviewtool.services import consultations
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.consultation_panel import save_profile
from reviewtool.services.outbox import Report, deliver_due
from tests import factories
from tests.consultation_factories import CLOSES, answer_data, consultation, panellist
from tests.factories import grantmaker
from tests.mail_helpers import Sink, fresh_database, mail_settings, migrated


@pytest.fixture
def database(db_kind, tmp_path):
    with fresh_database(db_kind, tmp_path) as url, migrated(url) as factory:
        yield url, factory


def _deliver(url, factory, sink) -> Report:
    later = datetime.now(UTC) + timedelta(seconds=1)
    return deliver_due(factory, mail_settings(url, sink.port), worker_id="w1", now=later)


def test_consultation_invitations_and_reminders_reach_the_smtp_server(database):
    url, factory = database
    with factory() as session:
        factories.bind(session)
        try:
            boss, people = grantmaker(), [panellist(email=f"p{i}@panel.test") for i in range(3)]
            made = consultation(boss)
            consultations.open_wave(session, boss, made, {
                "closes_on": CLOSES, "panellist_ids": [p.id for p in people]})
            session.commit()
            with Sink() as sink:
                assert _deliver(url, factory, sink) == Report(sent=3)
                invited = sorted((m["To"], m["Subject"]) for m in sink.messages)
            cats = load_catalogues(session)
            consultations.submit_answer(session, people[0], made, 1, answer_data(False), cats)
            save_profile(session, people[1], {"work_group": "technical", "technical": True,
                                              "seniority": "senior", "consent": False}, cats)
            reminded = consultations.send_reminders(session, boss, made, 1)
            session.commit()
            with Sink() as sink:
                assert _deliver(url, factory, sink) == Report(sent=1)
                reminders = [(m["To"], m["Subject"]) for m in sink.messages]
                body = sink.messages[0].get_body(("plain",)).get_content()
        finally:
            factories.bind(None)
    assert invited == [(f"p{i}@panel.test", "Your view, please: Courses in a new city")
                       for i in range(3)]
    # p0 answered, p1 withdrew consent: only p2 is reminded.
    assert reminded == 1
    assert reminders == [("p2@panel.test", "Reminder: Courses in a new city")]
    assert f"/consultations/{made.id}/waves/1/answer" in body
