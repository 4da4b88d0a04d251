"""Forecasts that get scored: who was invited to forecast a pilot, each locked forecast of a
criterion, and a go decision's forecast of the project's target outcome."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow
from reviewtool.models.user import User


class ForecastInvitation(Base):
    """One person invited to forecast a pilot when its plan was frozen, and until when."""

    __tablename__ = "forecast_invitations"
    __table_args__ = (UniqueConstraint("pilot_id", "user_id"),
                      CheckConstraint("role IN ('reviewer', 'grantmaker')", name="valid_role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_on: Mapped[date] = mapped_column(Date)  # the last day a forecast is taken

    user: Mapped[User] = relationship(lazy="joined")


class Forecast(Base):
    """A probability (1-99 %) that a success criterion is met or a kill criterion breached,
    locked when given (timestamp and SHA-256); scored when the pilot finishes."""

    __tablename__ = "forecasts"
    __table_args__ = (UniqueConstraint("criterion_id", "user_id"),
                      CheckConstraint("probability BETWEEN 1 AND 99", name="probability_1_99"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"),
                                          index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    probability: Mapped[int] = mapped_column(Integer)
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    happened: Mapped[bool | None] = mapped_column(Boolean)
    brier: Mapped[float | None] = mapped_column(Float)
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DecisionForecast(Base):
    """A go decision's probability that the project meets its target outcome by the
    re-review date; scored when the outcome is recorded."""

    __tablename__ = "decision_forecasts"
    __table_args__ = (CheckConstraint("probability BETWEEN 1 AND 99", name="probability_1_99"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"),
                                             unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    probability: Mapped[int] = mapped_column(Integer)
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    happened: Mapped[bool | None] = mapped_column(Boolean)
    brier: Mapped[float | None] = mapped_column(Float)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
