"""Reminders and the issue's done-criterion for notifications: assigning a reviewer queues one
message to the reviewer and none to the proposer; `reviewtool worker` delivers it to a real
SMTP sink (aiosmtpd); a due-soon reminder goes out once although two worker processes run at
the same time (and again later), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event, select

from reviewtool.models import (
    Assignment,
    Decision,
    DigestItem,
    OutboxMessage,
    Project,
    SentReminder,
    User,
    UserRole,
)
from reviewtool.services import reminders
from reviewtool.services.notifications import set_preferences
from reviewtool.services.reviews import assign_reviewer
from reviewtool.services.transitions import fire
from reviewtool.services.workflows import load_app_workflow
from tests import factories
from tests.mail_helpers import SECRET, Sink, fresh_database, migrated, seed_assignable

CLI = [sys.executable, "-c", "from reviewtool.cli import main; main()"]
OURS = ("DATABASE_URL", "SECRET_KEY", "REVIEWTOOL_ENV", "REVIEWTOOL_WORKFLOW",
        "REVIEWTOOL_INLINE_WORKER", "REVIEWTOOL_DEBUG", "SMTP_HOST", "SMTP_PORT", "MAIL_FROM",
        "BASE_URL")


def _workers(url: str, port: int, count: int) -> list[str]:
    """Start `count` `reviewtool worker --once` processes at once; their stdout, each."""
    env = {**{k: v for k, v in os.environ.items() if k not in OURS},
           "DATABASE_URL": url, "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "production",
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
           "BASE_URL": "https://review.example.org"}
    started = [subprocess.Popen([*CLI, "worker", "--once"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(count)]
    outputs = []
    for proc in started:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_assignment_mails_reviewer_only_and_due_soon_reminder_goes_once_with_two_workers(
        kind, tmp_path):
    with fresh_database(kind, tmp_path) as url, migrated(url) as factory:
        seed = seed_assignable(factory, load_app_workflow("default"), reviewers=1)
        (reviewer_id, reviewer_email), = seed.reviewers[0]
        with factory() as session:
            project = session.get(Project, seed.project_ids[0])
            owner_email = project.owner.email
            before = session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())
                                    .limit(1)) or 0
            grantmaker = _grantmaker(session)
            # due in 2 days: within the 3 days of "due soon"
            assign_reviewer(session, grantmaker, project, reviewer_id,
                            due_on=date.today() + timedelta(days=2))
            session.commit()
            queued = session.scalars(select(OutboxMessage).where(OutboxMessage.id > before)).all()
        assert [(m.to_email, m.kind) for m in queued] == [(reviewer_email, "review_assigned")]
        assert owner_email not in {m.to_email for m in queued}
        with Sink() as sink:
            first = _workers(url, sink.port, 2)
            second = _workers(url, sink.port, 2)
            assert sink.wait_for(2, 10)
            got = [(m["To"], m["Subject"]) for m in sink.messages
                   if m["To"] in (reviewer_email, owner_email)]
        title = "Mentoring for new AI-safety researchers"
        assert sorted(got) == [(reviewer_email, f"Please review: {title}"),
                               (reviewer_email, f"Review due soon: {title}")]
        # Each worker run sent either nothing or some of the two; all four together sent two.
        assert sum(int(o.split()[1]) for o in first + second) == 2
        with factory() as session:
            keys = session.scalars(select(SentReminder.key)).all()
        assert keys == [f"review_due_soon:assignment:{_assignment_id(factory, reviewer_id)}"]


def _grantmaker(session) -> User:
    return session.scalars(select(User).join(UserRole).where(UserRole.role == "grantmaker")
                           ).first()


def _assignment_id(factory, reviewer_id: int) -> int:
    with factory() as session:
        return session.scalar(select(Assignment.id).where(Assignment.reviewer_id == reviewer_id))


def test_reminder_mail_has_text_and_html_parts_with_link(tmp_path):
    with fresh_database("sqlite", tmp_path) as url, migrated(url) as factory:
        seed = seed_assignable(factory, load_app_workflow("default"), reviewers=1)
        (reviewer_id, _email), = seed.reviewers[0]
        with factory() as session:
            project = session.get(Project, seed.project_ids[0])
            grantmaker = _grantmaker(session)
            assign_reviewer(session, grantmaker, project, reviewer_id,
                            due_on=date.today() - timedelta(days=1), notify=False)
            session.commit()
        with Sink() as sink:
            _workers(url, sink.port, 1)
            [mail] = sink.messages
        assert mail["Subject"] == "Review overdue: Mentoring for new AI-safety researchers"
        link = f"https://review.example.org/projects/{seed.project_ids[0]}/review"
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert f"Write your review: {link}" in text
        assert f'<a href="{link}">Write your review</a>' in html
        assert "https://review.example.org/account/notifications" in text


def test_condition_due_in_14_days_and_renewal_reminded_once(session, workflow):
    journey_gm = factories.grantmaker()
    project, _ = factories.reviewed(workflow, [{"stance": "optimistic"}] * 3, by=journey_gm)
    fire(session, workflow, project, "skip_pilot", actor=journey_gm, comment="Small and safe.")
    today = date.today()
    fire(session, workflow, project, "go", actor=journey_gm, comment="Fund it.", extra={
        "conditions": [{"text": "Send the syllabus", "due_on": (today + timedelta(days=14))
                        .isoformat()},
                       {"text": "Report in spring", "due_on": (today + timedelta(days=15))
                        .isoformat()}],
        "review_by": (today + timedelta(days=10)).isoformat()})
    decision = session.scalar(select(Decision).where(Decision.project_id == project.id))
    now = datetime.combine(today, time(6), tzinfo=UTC)  # before the digest hour
    assert reminders.schedule(session, now) == 2  # condition 1 (14 days) and the renewal
    assert reminders.schedule(session, now) == 0  # once
    keys = set(session.scalars(select(SentReminder.key)))
    assert keys == {f"condition_due:decision:{decision.id}:1",
                    f"renewal_due:decision:{decision.id}"}
    mails = session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind.in_(["condition_due", "renewal_due"]))).all()
    # Proposer and deciding grantmaker, each kind
    assert sorted((m.kind, m.to_email) for m in mails) == sorted(
        [(k, e) for k in ("condition_due", "renewal_due")
         for e in (project.owner.email, journey_gm.email)])


def test_digest_holds_notifications_and_sends_one_mail_a_day(session, workflow):
    reviewer = factories.reviewer()
    set_preferences(session, reviewer, {"review_assigned": "digest"})
    projects = [factories.project_in_review(workflow) for _ in range(2)]
    for project in projects:
        factories.assign(project, reviewer)
    assert session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_email == reviewer.email)).all() == []
    items = session.scalars(select(DigestItem).where(DigestItem.user_id == reviewer.id)).all()
    assert len(items) == 2
    morning = datetime.combine(date.today(), time(7, 30), tzinfo=UTC)
    assert reminders.schedule(session, morning) == 1
    assert reminders.schedule(session, morning + timedelta(hours=1)) == 0
    [digest] = session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_email == reviewer.email)).all()
    assert (digest.kind, digest.subject) == ("digest", "reviewtool: 2 notification(s) today")
    assert digest.body.count("Please review: ") == 2


def test_off_sends_nothing(session, workflow):
    reviewer = factories.reviewer()
    set_preferences(session, reviewer, {"review_assigned": "off"})
    factories.assign(factories.project_in_review(workflow), reviewer)
    assert session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_email == reviewer.email)).all() == []
    assert session.scalars(select(DigestItem).where(DigestItem.user_id == reviewer.id)).all() \
        == []


def _selects_of_schedule(session, now) -> tuple[int, int]:
    """(SELECT statements, reminders) of one schedule() run."""
    engine = session.get_bind().engine
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        sent = reminders.schedule(session, now)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return sum(1 for s in seen if s.lstrip().upper().startswith("SELECT")), sent


def test_schedule_reads_the_same_number_of_times_for_one_or_four_due_reviews(session,
                                                                             workflow):
    now = datetime.combine(date.today(), time(6), tzinfo=UTC)
    due = date.today() + timedelta(days=1)

    def due_reviews(count: int) -> None:
        for _ in range(count):
            factories.assign(factories.project_in_review(workflow), factories.reviewer(),
                             due_on=due)
        session.flush()
        session.expire_all()  # nothing loaded before: every row read by the run itself

    due_reviews(1)
    one = _selects_of_schedule(session, now)
    due_reviews(4)
    four = _selects_of_schedule(session, now)
    assert (one[1], four[1]) == (1, 4)  # the first run's reminder is not sent again
    assert four[0] == one[0]
