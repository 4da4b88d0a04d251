"""Reminders the worker schedules: reviews due in 3 days and overdue, pilot criteria still
unobserved 3 days before the pilot ends, go conditions due in 14 days and overdue, re-review
dates in 14 days, and each person's daily digest.

Each reminder has a key ("review_due_soon:assignment:7") and is queued only by the worker
that inserts its key into `sent_reminders` (INSERT ... ON CONFLICT DO NOTHING, in the same
transaction as the mail): with several workers, on several hosts, each reminder goes out
once. Every kind is found with one query, however many projects are due (no query per row)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload, selectinload

from reviewtool.models import (
    Assignment,
    Criterion,
    Decision,
    DigestItem,
    Pilot,
    Project,
    Review,
    ReviewRound,
    SentReminder,
    User,
    utcnow,
)
from reviewtool.services import outbox
from reviewtool.services.notifications import Note, all_modes, base_url, notify

REVIEW_SOON_DAYS = 3
OBSERVATION_DAYS = 3
CONDITION_DAYS = 14
RENEWAL_DAYS = 14
DIGEST_HOUR = 7  # UTC: a digest goes out once a day, from this hour on


def claim(session: Session, key: str) -> bool:
    """Record reminder `key` as sent; False when it already was (by any worker, ever)."""
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    statement = insert(SentReminder).values(key=key[:200], created_at=utcnow())
    # RETURNING, not rowcount: an ORM-enabled insert does not report rowcount on psycopg.
    return session.execute(statement.on_conflict_do_nothing(index_elements=["key"])
                           .returning(SentReminder.key)).scalar() is not None


class _Sender:
    """Claims each reminder's key and sends it, with everyone's choices read once."""

    def __init__(self, session: Session):
        self.session = session
        self.pending: list[tuple[str, list[User], Note]] = []

    def __call__(self, key: str, users: list[User], note: Note) -> None:
        self.pending.append((key, users, note))

    def flush(self) -> int:
        """Send what was found: one query for every recipient's choices, then per reminder
        its claim (a write) and its mail."""
        known = all_modes(self.session, (u.id for _, users, _ in self.pending for u in users))
        sent = 0
        for key, users, note in self.pending:
            if claim(self.session, key):
                notify(self.session, users, note, known=known)
                sent += 1
        self.pending.clear()
        return sent


def schedule(session: Session, now: datetime | None = None) -> int:
    """Queue every reminder due at `now` that no worker has queued yet; how many."""
    now = now or utcnow()
    today = now.date()
    send = _Sender(session)
    for find in (_reviews, _observations, _decisions):
        find(session, today, send)
    return send.flush() + _digests(session, now)


def _no_sender(session: Session, key: str, users: list[User], note: Note) -> int:
    raise RuntimeError("reminders are found only inside schedule()")


_send = _no_sender


def _reviews(session: Session, today: date, send: _Sender) -> None:
    rows = session.execute(
        select(Assignment, Project).join(ReviewRound, Assignment.round_id == ReviewRound.id)
        .join(Project, Project.id == ReviewRound.project_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(ReviewRound.status == "open", Assignment.withdrawn_at.is_(None),
               Review.id.is_(None), Assignment.due_on.is_not(None),
               Assignment.due_on <= today + timedelta(days=REVIEW_SOON_DAYS))
        .order_by(Assignment.id)).all()
    for assignment, project in rows:
        title, due = project.current_revision.title, assignment.due_on.isoformat()
        overdue = assignment.due_on < today
        kind = "review_overdue" if overdue else "review_due_soon"
        words = (f"Your review of '{title}' was due on {due}." if overdue else
                 f"Your review of '{title}' is due on {due}, in "
                 f"{(assignment.due_on - today).days} day(s).")
        send(f"{kind}:assignment:{assignment.id}", [assignment.reviewer], Note(
            kind, f"{'Review overdue' if overdue else 'Review due soon'}: {title}",
            [words, "If you cannot review it, tell the grantmaker, or declare a conflict of "
                    "interest on the project page."],
            f"/projects/{project.id}/review", "Write your review", project.id))


def _observations(session: Session, today: date, send: _Sender) -> None:
    pilots = session.scalars(
        select(Pilot).join(Project, Project.id == Pilot.project_id)
        .where(Project.state == "pilot", Pilot.ends_on >= today,
               Pilot.ends_on <= today + timedelta(days=OBSERVATION_DAYS))
        .options(selectinload(Pilot.criteria).selectinload(Criterion.observations))
        .order_by(Pilot.id)).all()
    projects = {p.id: p for p in session.scalars(
        select(Project).where(Project.id.in_([p.project_id for p in pilots])))}
    for pilot in pilots:
        project = projects[pilot.project_id]
        for criterion in (c for c in pilot.criteria if not c.observations):
            send(f"observation_due:criterion:{criterion.id}",
                          list(pilot.builders), Note(
                "observation_due", f"Observation due: {project.current_revision.title}",
                [f"The pilot ends on {pilot.ends_on.isoformat()} and its criterion "
                 f"'{criterion.metric}' has no observation yet."],
                f"/projects/{project.id}/pilot/observations", "Record an observation",
                project.id))


def _decisions(session: Session, today: date, send: _Sender) -> None:
    rows = session.execute(
        select(Decision, Project).join(Project, Project.id == Decision.project_id)
        .where(Decision.kind == "go", Project.state == "go")
        .options(joinedload(Project.owner)).order_by(Decision.id)).all()
    soon = today + timedelta(days=CONDITION_DAYS)
    for decision, project in rows:
        people, title = [project.owner, decision.decided_by], project.current_revision.title
        path = f"/projects/{project.id}"
        for number, condition in enumerate(decision.conditions or [], start=1):
            due = date.fromisoformat(condition["due_on"])
            if due > soon:
                continue
            kind = "condition_overdue" if due < today else "condition_due"
            send(f"{kind}:decision:{decision.id}:{number}", people, Note(
                kind, f"Condition {'overdue' if due < today else 'due'}: {title}",
                [f"Condition {number} of the go decision on '{title}', "
                 f"\u201c{condition['text']}\u201d, {'was' if due < today else 'is'} due on "
                 f"{due.isoformat()}."], path, "Open the project", project.id))
        if decision.review_by is not None and today <= decision.review_by \
                <= today + timedelta(days=RENEWAL_DAYS):
            send(f"renewal_due:decision:{decision.id}", people, Note(
                "renewal_due", f"Re-review due: {title}",
                [f"'{title}' is to be reviewed again by {decision.review_by.isoformat()}, as "
                 "its go decision said."], path, "Open the project", project.id))


def _digests(session: Session, now: datetime) -> int:
    if now.time() < time(DIGEST_HOUR):
        return 0
    items = session.scalars(select(DigestItem).where(DigestItem.outbox_id.is_(None))
                            .order_by(DigestItem.user_id, DigestItem.id)).all()
    users = {u.id: u for u in session.scalars(
        select(User).where(User.id.in_({i.user_id for i in items})))}
    by_user: dict[int, list[DigestItem]] = {}
    for item in items:
        by_user.setdefault(item.user_id, []).append(item)
    sent = 0
    for user_id, pending in by_user.items():
        if not claim(session, f"digest:user:{user_id}:{now.date().isoformat()}"):
            continue
        user = users[user_id]
        text = "\n\n".join(f"{i.subject}\n{i.body}\n{i.link}" for i in pending)
        message = outbox.queue(session, to=user.email, kind="digest",
                               subject=f"reviewtool: {len(pending)} notification(s) today",
                               body=f"{text}\n\n-- \nChoose which mail you get: "
                                    f"{base_url()}/account/notifications\n",
                               html=_digest_html(pending))
        session.flush()
        for item in pending:
            item.outbox_id = message.id
        sent += 1
    return sent


def _digest_html(items: list[DigestItem]) -> str:
    entries = "".join(f'<li><p><a href="{escape(i.link)}">{escape(i.subject)}</a></p>'
                      f"<p>{escape(i.body)}</p></li>" for i in items)
    return f'<!doctype html><html lang="en"><body><ul>{entries}</ul></body></html>'


def run(session_factory: Callable[[], Session], now: datetime | None = None) -> int:
    """Schedule what is due in a transaction of its own (the worker calls this each round)."""
    with session_factory() as session, session.begin():
        return schedule(session, now)
