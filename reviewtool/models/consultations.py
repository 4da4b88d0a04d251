"""Community consultations: the panel of consenting members, consultations about a kind of
project, their waves, who was invited to each wave, and the answers.

Anonymity is in the schema: an answer points to its panellist only while that link is needed
(to let them edit it until the wave closes); closing the wave, or the panellist withdrawing
consent, sets `panellist_id` to NULL. The answer keeps a copy of the panellist's segment
(work group, technical, profession, seniority) as it was when they answered, so breakdowns
still count it with no way back to the person."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow
from reviewtool.models.user import User

# How senior a panellist is in their field (DOMAIN.md names the dimension, not its steps).
SENIORITY = (("early_career", "Early career"), ("mid_career", "Mid career"),
             ("senior", "Senior"))


class PanelMember(Base):
    """A panellist's consent to be surveyed and how they describe themselves."""

    __tablename__ = "panel_members"
    __table_args__ = (
        CheckConstraint("seniority IN (" + ", ".join(f"'{k}'" for k, _ in SENIORITY) + ")",
                        name="valid_seniority"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    work_group: Mapped[str] = mapped_column(String(50))
    technical: Mapped[bool] = mapped_column(Boolean)
    profession: Mapped[str | None] = mapped_column(String(50))
    seniority: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def consenting(self) -> bool:
        """True while the consent stands (it was given and not withdrawn since)."""
        return self.withdrawn_at is None


class Consultation(Base):
    """A question about a kind of project, asked of the panel in waves."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    project_type: Mapped[str] = mapped_column(String(50), index=True)
    description: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    waves: Mapped[list[ConsultationWave]] = relationship(
        back_populates="consultation", order_by="ConsultationWave.number", lazy="selectin")


class ConsultationWave(Base):
    """One survey of a sample of the panel; its figures are frozen into `figures` at close."""

    __tablename__ = "consultation_waves"
    __table_args__ = (
        UniqueConstraint("consultation_id", "number", name="uq_wave_number"),
        Index("uq_one_open_wave", "consultation_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        CheckConstraint("status IN ('open', 'closed')", name="valid_status"),
        CheckConstraint("(status = 'open') = (closed_at IS NULL)", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    consultation: Mapped[Consultation] = relationship(back_populates="waves")


class WaveInvitation(Base):
    """A panellist invited to one wave (whether they answered is a flag, not a link)."""

    __tablename__ = "wave_invitations"
    __table_args__ = (UniqueConstraint("wave_id", "user_id", name="uq_invitation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("consultation_waves.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)


class WaveAnswer(Base):
    """One panellist's answer to a wave: the review's structured questions, and a copy of
    their segment. `panellist_id` is NULL once the wave closed or they withdrew."""

    __tablename__ = "wave_answers"
    __table_args__ = (
        UniqueConstraint("wave_id", "panellist_id", name="uq_answer_panellist"),
        CheckConstraint("stance IN ('optimistic', 'neutral', 'pessimistic')",
                        name="valid_stance"),
        CheckConstraint("confidence BETWEEN 1 AND 5", name="confidence_1_to_5"),
        CheckConstraint("NOT net_negative OR length(rationale) > 0",
                        name="net_negative_has_rationale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("consultation_waves.id", ondelete="CASCADE"),
                                         index=True)
    panellist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    stance: Mapped[str] = mapped_column(String(12))
    net_negative: Mapped[bool] = mapped_column(Boolean)
    concern_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    rationale: Mapped[str] = mapped_column(Text, default="")
    suggested_safeguards: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidence: Mapped[int] = mapped_column(Integer)
    work_group: Mapped[str] = mapped_column(String(50))
    technical: Mapped[bool] = mapped_column(Boolean)
    profession: Mapped[str | None] = mapped_column(String(50))
    seniority: Mapped[str] = mapped_column(String(20))
    # The day, not the time: a timestamp could be matched to a panellist's sign-in.
    answered_on: Mapped[date] = mapped_column(Date)
