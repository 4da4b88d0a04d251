"""Panellists and consultations, made through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from reviewtool.models import Consultation, User
from reviewtool.services import consultations
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.consultation_panel import save_profile
from tests.factories import UserFactory, _session, grantmaker

WORK_GROUPS = ("technical", "governance", "strategy", "movement_building")
CLOSES = (date.today() + timedelta(days=14)).isoformat()
DESCRIPTION = ("In-person AI-safety courses for undergraduates in a new city, run by two "
               "volunteers.")
SAFEGUARDED = DESCRIPTION + " A senior advisor reviews the syllabus and a pilot runs first."


def panellist(*, work_group: str = "technical", technical: bool = True,
              profession: str | None = "research", seniority: str = "mid_career",
              **fields: Any) -> User:
    """A panellist who described themselves and consents to be surveyed."""
    user = UserFactory(roles=("panellist",), **fields)
    save_profile(_session(), user, {"work_group": work_group, "technical": technical,
                                    "profession": profession, "seniority": seniority,
                                    "consent": True}, load_catalogues(_session()))
    return user


def panel(count: int) -> list[User]:
    """`count` panellists spread over the four work groups in turn."""
    return [panellist(work_group=WORK_GROUPS[i % 4], technical=i % 4 == 0,
                      seniority=("early_career", "mid_career", "senior")[i % 3])
            for i in range(count)]


def consultation(by: User | None = None, **fields: Any) -> Consultation:
    """A consultation about in-person courses, no wave yet."""
    session = _session()
    data = {"title": "Courses in a new city", "project_type": "training_course",
            "description": DESCRIPTION, **fields}
    return consultations.create_consultation(session, by or grantmaker(), data,
                                             load_catalogues(session))


def answer_data(net_negative: bool, **fields: Any) -> dict[str, Any]:
    """An answer: net negative ones cite reputation with a reason."""
    if net_negative:
        base = {"stance": "pessimistic", "net_negative": True,
                "concern_categories": ["reputational_harm"],
                "rationale": "Untrained organisers could put students off the field.",
                "confidence": 4}
    else:
        base = {"stance": "optimistic", "net_negative": False, "concern_categories": [],
                "rationale": "", "confidence": 3}
    return {**base, **fields}


def consultation_with_waves(by: User, invitee: User, **fields: Any) -> Consultation:
    """A consultation whose wave 1 (invitee and five others answered) is closed and whose
    wave 2 (invitee only) is open."""
    session = _session()
    cats = load_catalogues(session)
    made = consultation(by, **fields)
    others = [panellist(work_group=("technical", "governance")[i % 2]) for i in range(5)]
    consultations.open_wave(session, by, made, {
        "closes_on": CLOSES, "panellist_ids": [invitee.id, *(p.id for p in others)]})
    for i, person in enumerate([invitee, *others]):
        consultations.submit_answer(session, person, made, 1, answer_data(i < 2), cats)
    consultations.close_wave(session, by, made, 1, cats)
    consultations.open_wave(session, by, made, {"closes_on": CLOSES, "description": SAFEGUARDED,
                                                "panellist_ids": [invitee.id]})
    return made
