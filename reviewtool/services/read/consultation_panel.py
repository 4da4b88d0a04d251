"""What a panellist sees: their own details and consent, and the waves they are invited to
(never anyone's answers, nor any figures)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Consultation, ConsultationWave, User, WaveInvitation
from reviewtool.services.consultation_panel import panel_member


def panel_home(session: Session, user: User) -> dict[str, Any]:
    """The panellist's record and their invitations to open waves (one query)."""
    member = panel_member(session, user)
    rows = session.execute(
        select(Consultation.id, Consultation.title, ConsultationWave.number,
               ConsultationWave.closes_on, WaveInvitation.answered)
        .join(ConsultationWave, ConsultationWave.consultation_id == Consultation.id)
        .join(WaveInvitation, WaveInvitation.wave_id == ConsultationWave.id)
        .where(WaveInvitation.user_id == user.id, ConsultationWave.status == "open",
               ConsultationWave.closes_on >= date.today())
        .order_by(ConsultationWave.closes_on, Consultation.id)).all()
    return {"member": None if member is None else {
                "work_group": member.work_group, "technical": member.technical,
                "profession": member.profession, "seniority": member.seniority,
                "consenting": member.consenting,
                "consented_at": member.consented_at.isoformat(),
                "withdrawn_at": member.withdrawn_at.isoformat() if member.withdrawn_at
                else None},
            "invitations": [{"consultation_id": cid, "title": title, "wave": number,
                             "closes_on": closes_on.isoformat(), "answered": answered}
                            for cid, title, number, closes_on, answered in rows
                            if member is not None and member.consenting]}


def wave_question(consultation: Consultation, wave: ConsultationWave) -> dict[str, Any]:
    """What a panellist is asked: the kind of project as this wave describes it."""
    return {"consultation_id": consultation.id, "title": consultation.title,
            "project_type": consultation.project_type, "wave": wave.number,
            "description": wave.description, "closes_on": wave.closes_on.isoformat(),
            "open": wave.status == "open" and wave.closes_on >= date.today()}


def answer_snapshot(answer) -> dict[str, Any] | None:
    """The panellist's own answer, as the API gives it back."""
    if answer is None:
        return None
    return {"stance": answer.stance, "net_negative": answer.net_negative,
            "concern_categories": list(answer.concern_categories),
            "rationale": answer.rationale,
            "suggested_safeguards": list(answer.suggested_safeguards),
            "confidence": answer.confidence}
