"""The demo's community consultation: six panellists (Pia and five others), and a
consultation about weekend bootcamps whose two waves are closed (concern 50% of 6, then 16.7%
of 6 after safeguards: within the noise), so the results page, the Lagos course's page (a
training course) and the portfolio all show it. Created once (by title)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Consultation, User
from reviewtool.services import consultations
from reviewtool.services.accounts import create_user, find_user
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.consultation_panel import save_profile

TITLE = "Weekend AI-safety bootcamps for undergraduates"
FIRST = ("Weekend bootcamps introducing undergraduates to AI-safety research, run by student "
         "volunteers in a city with no safety community yet.")
SECOND = FIRST + (" A senior advisor reviews the syllabus, and a two-weekend pilot with "
                  "published criteria runs before any scaling.")
GROUPS = ("technical", "governance", "strategy", "movement_building")
REASON = "Volunteers without mentors could teach a distorted picture of the field."


def _panellists(session: Session, pia: User, password: str, cats: Catalogues) -> list[User]:
    people = [pia] + [find_user(session, f"panel{n:02}@panel.example") or create_user(
        session, email=f"panel{n:02}@panel.example", password=password, roles=["panellist"],
        name=f"Panellist {n:02}", organisation="Community panel") for n in range(1, 6)]
    for n, person in enumerate(people):
        save_profile(session, person, {
            "work_group": GROUPS[n % 4], "technical": n % 2 == 0,
            "profession": ("research", "engineering", "management")[n % 3],
            "seniority": ("early_career", "mid_career", "senior")[n % 3], "consent": True},
            cats)
    return people


def _wave(session: Session, gm: User, made: Consultation, people: list[User],
          net_negative: int, cats: Catalogues, description: str) -> None:
    number = len(made.waves) + 1
    consultations.open_wave(session, gm, made, {
        "closes_on": (date.today() + timedelta(days=14)).isoformat(),
        "description": description, "panellist_ids": [p.id for p in people]})
    for i, person in enumerate(people):
        concerned = i < net_negative
        consultations.submit_answer(session, person, made, number, {
            "stance": "pessimistic" if concerned else "optimistic", "net_negative": concerned,
            "concern_categories": ["reputational_harm"] if concerned else [],
            "rationale": REASON if concerned else "", "confidence": 3 + concerned}, cats)
    consultations.close_wave(session, gm, made, number, cats)


def load_consultations(session: Session, gm: User, pia: User, password: str,
                       cats: Catalogues) -> None:
    """The panel and the bootcamp consultation, unless they are there already."""
    if session.scalar(select(Consultation.id).where(Consultation.title == TITLE)):
        return
    people = _panellists(session, pia, password, cats)
    made = consultations.create_consultation(session, gm, {
        "title": TITLE, "project_type": "training_course", "description": FIRST}, cats)
    _wave(session, gm, made, people, 3, cats, FIRST)
    _wave(session, gm, made, people, 1, cats, SECOND)
