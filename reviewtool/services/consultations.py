"""Consultations: a question about a kind of project, asked of the panel in waves.

A wave invites panellists (each gets an invitation through consultation_mail), takes their
answers until it closes (an answer can be edited until then), and at close freezes its
figures (consultation_figures.wave_figures) and cuts every answer's link to its panellist.
One wave is open at a time; the next one carries a revised description."""

from __future__ import annotations

import random
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from reviewtool.consultation_figures import AnswerFacts, wave_figures
from reviewtool.errors import Conflict, Invalid, NotFound
from reviewtool.models import (
    Consultation,
    ConsultationWave,
    PanelMember,
    User,
    WaveAnswer,
    WaveInvitation,
    utcnow,
)
from reviewtool.models.types import is_valid_id
from reviewtool.permissions import require
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.consultation_mail import notify_panellists
from reviewtool.services.consultation_panel import consenting, draw_sample, eligible
from reviewtool.services.validation import parse

TEXT_MAX = 5000
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX)]


class ConsultationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=200)]
    project_type: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=TEXT_MAX)]


class WaveIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    description: Text | None = None
    closes_on: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    panellist_ids: Annotated[list[int], Field(min_length=1, max_length=5000)]


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    stance: Literal["optimistic", "neutral", "pessimistic"]
    net_negative: bool
    concern_categories: Annotated[list[str], Field(max_length=50)] = []
    rationale: Text = ""
    suggested_safeguards: Annotated[list[Annotated[str, StringConstraints(
        strip_whitespace=True, min_length=1, max_length=1000)]], Field(max_length=30)] = []
    confidence: Annotated[int, Field(ge=1, le=5)]


def create_consultation(session: Session, actor: User, data: Any,
                        cats: Catalogues) -> Consultation:
    """A new consultation (grantmakers and admins); its first wave is opened separately."""
    require(actor, "run_consultations")
    clean = parse(ConsultationIn, data, what="the consultation")
    if clean.project_type not in cats.keys("project_types"):
        raise Invalid(problems=[{"field": "project_type", "message": "Project type: "
                                 f"{clean.project_type!r} is not a project type."}])
    consultation = Consultation(title=clean.title, project_type=clean.project_type,
                                description=clean.description, created_by_id=actor.id)
    session.add(consultation)
    session.flush()
    return consultation


def load_consultation(session: Session, consultation_id: int) -> Consultation:
    """The consultation, or NotFound."""
    found = session.get(Consultation, consultation_id) if is_valid_id(consultation_id) else None
    if found is None:
        raise NotFound("No such consultation.")
    return found


def wave_of(consultation: Consultation, number: int) -> ConsultationWave:
    """Wave `number` of the consultation, or NotFound."""
    for wave in consultation.waves:
        if wave.number == number:
            return wave
    raise NotFound(f"This consultation has no wave {number}.")


def _closes_on(raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or day < date.today():
        raise Invalid(problems=[{"field": "closes_on", "message": "Closing date: give a date "
                                 "from today on, like 2027-01-31."}])
    return day


def open_wave(session: Session, actor: User, consultation: Consultation,
              data: Any) -> ConsultationWave:
    """Open the next wave and invite its panellists: 409 while a wave is open, 422 naming
    every panellist id that is not a consenting panellist."""
    require(actor, "run_consultations")
    if any(w.status == "open" for w in consultation.waves):
        raise Conflict("Close the open wave before opening the next one.")
    clean = parse(WaveIn, data, what="the wave")
    closes_on = _closes_on(clean.closes_on)
    pool = {uid for uid, _ in eligible(session)}
    problems = [{"field": f"panellist_ids.{i}",
                 "message": f"Panellists: user {uid} is not a panellist who consents to be "
                            "surveyed."}
                for i, uid in enumerate(clean.panellist_ids) if uid not in pool]
    if problems:
        raise Invalid(problems=problems)
    previous = consultation.waves[-1] if consultation.waves else None
    description = clean.description or (previous.description if previous
                                        else consultation.description)
    wave = ConsultationWave(consultation=consultation, description=description,
                            number=len(consultation.waves) + 1, closes_on=closes_on)
    session.add(wave)
    session.flush()
    ids = sorted(set(clean.panellist_ids))
    session.add_all([WaveInvitation(wave_id=wave.id, user_id=uid) for uid in ids])
    path = f"/consultations/{consultation.id}/waves/{wave.number}/answer"
    invited = session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()
    notify_panellists(
        session, invited, kind="invitation", path=path,
        subject=f"Your view, please: {consultation.title}",
        lines=[f"You are invited to a community consultation: {consultation.title}.",
               f"Tell us what you think of this kind of project by {_day(closes_on)}.",
               "Your answer is anonymous: nobody sees who answered what."])
    session.flush()
    return wave


def send_reminders(session: Session, actor: User, consultation: Consultation,
                   number: int) -> int:
    """Remind every invited panellist who has not answered the open wave; how many."""
    require(actor, "run_consultations")
    wave = _open(wave_of(consultation, number))
    rows = session.execute(
        select(WaveInvitation, User).join(User, User.id == WaveInvitation.user_id)
        .join(PanelMember, PanelMember.user_id == User.id)
        .where(WaveInvitation.wave_id == wave.id, WaveInvitation.answered.is_(False),
               PanelMember.withdrawn_at.is_(None), User.is_active.is_(True))
        .order_by(User.id)).all()
    path = f"/consultations/{consultation.id}/waves/{wave.number}/answer"
    for invitation, _user in rows:
        invitation.reminded_at = utcnow()
    notify_panellists(
        session, [user for _invitation, user in rows], kind="reminder", path=path,
        subject=f"Reminder: {consultation.title}",
        lines=[f"The consultation '{consultation.title}' closes on {_day(wave.closes_on)}.",
               "Your answer is still welcome."])
    session.flush()
    return len(rows)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"  # "16 Dec 2026", as the pages write dates


def _open(wave: ConsultationWave) -> ConsultationWave:
    if wave.status != "open" or wave.closes_on < date.today():
        raise Conflict(f"Wave {wave.number} is closed: answers can no longer be changed.")
    return wave


def invitation(session: Session, user: User, wave: ConsultationWave) -> WaveInvitation:
    """The user's invitation to `wave`; a wave they were not invited to is a 404."""
    found = session.scalar(select(WaveInvitation).where(
        WaveInvitation.wave_id == wave.id, WaveInvitation.user_id == user.id))
    if found is None:
        raise NotFound("No such consultation wave among your invitations.")
    return found


def my_answer(session: Session, user: User, wave: ConsultationWave) -> WaveAnswer | None:
    """The user's own answer to `wave`, while it is still linked to them."""
    return session.scalar(select(WaveAnswer).where(WaveAnswer.wave_id == wave.id,
                                                   WaveAnswer.panellist_id == user.id))


def submit_answer(session: Session, user: User, consultation: Consultation, number: int,
                  data: Any, cats: Catalogues) -> tuple[WaveAnswer, bool]:
    """Answer (or edit one's answer to) an open wave one was invited to; (answer, created)."""
    require(user, "answer_consultations", consenting=consenting(session, user))
    wave = wave_of(consultation, number)
    held = invitation(session, user, wave)
    _open(wave)
    clean = parse(AnswerIn, data, what="the answer")
    problems = []
    if clean.net_negative and not clean.rationale:
        problems.append({"field": "rationale", "message": "Why: explain why it could be net "
                         "negative; a reason is needed when you answer yes."})
    known = set(cats.keys("risk_categories"))
    problems += [{"field": f"concern_categories.{i}",
                  "message": f"Risk categories: {key!r} is not a risk category."}
                 for i, key in enumerate(clean.concern_categories) if key not in known]
    if problems:
        raise Invalid(problems=problems)
    member = session.get(PanelMember, user.id)
    answer = my_answer(session, user, wave)
    if answer is None and held.answered:
        # They answered, withdrew consent (which unlinked the answer) and consented again:
        # a second answer would count them twice.
        raise Conflict(f"You answered wave {wave.number} before withdrawing your consent; that "
                       "answer still counts, and can no longer be changed.")
    created = answer is None
    if created:
        answer = WaveAnswer(wave_id=wave.id, panellist_id=user.id)
        session.add(answer)
    values = clean.model_dump()
    values["concern_categories"] = sorted(set(values["concern_categories"]))
    for key, value in values.items():
        setattr(answer, key, value)
    answer.work_group, answer.technical = member.work_group, member.technical
    answer.profession, answer.seniority = member.profession, member.seniority
    answer.answered_on = date.today()
    held.answered = True
    session.flush()
    return answer, created


def close_wave(session: Session, actor: User, consultation: Consultation, number: int,
               cats: Catalogues) -> ConsultationWave:
    """Close the wave: freeze its figures and unlink every answer from its panellist."""
    require(actor, "run_consultations")
    wave = wave_of(consultation, number)
    if wave.status != "open":
        raise Conflict(f"Wave {number} is already closed.")
    answers = session.scalars(select(WaveAnswer).where(WaveAnswer.wave_id == wave.id)).all()
    invited = session.scalar(select(func.count(WaveInvitation.id))
                             .where(WaveInvitation.wave_id == wave.id))
    facts = [AnswerFacts(a.net_negative, a.stance, a.confidence,
                         frozenset(a.concern_categories), a.work_group, a.technical,
                         a.profession, a.seniority) for a in answers]
    wave.figures = wave_figures(facts, cats.keys("risk_categories"), invited)
    wave.status, wave.closed_at = "closed", utcnow()
    session.execute(update(WaveAnswer).where(WaveAnswer.wave_id == wave.id)
                    .values(panellist_id=None))
    session.flush()
    return wave



def open_sampled_wave(session: Session, actor: User, consultation: Consultation, *,
                      description: str | None, closes_on: str | None, size: int | None,
                      stratify: bool, rng: random.Random | None = None) -> ConsultationWave:
    """Open the next wave on a random sample of `size` consenting panellists (optionally
    stratified by work group): the page's way of choosing `panellist_ids`."""
    require(actor, "run_consultations")
    pool = eligible(session)
    if size is None or size < 1 or size > len(pool):
        raise Invalid(problems=[{"field": "sample_size", "message": "How many panellists to "
                                 f"invite: a whole number from 1 to {len(pool)} (the "
                                 "panellists who consent to be surveyed)."}])
    ids = draw_sample(pool, size, stratify=stratify, rng=rng or random.SystemRandom())
    return open_wave(session, actor, consultation, {
        "description": description or None, "closes_on": closes_on or "",
        "panellist_ids": ids})
