"""Pilot trials: a plan frozen when the pilot starts, criteria fixed in advance, what builders
observe, incidents, alerts, and the append-only log of changes after freezing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow
from reviewtool.models.user import User

pilot_builders = Table(
    "pilot_builders", Base.metadata,
    Column("pilot_id", ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Pilot(Base):
    """The pilot plan of a project; `frozen_at` and `plan_sha256` are set when it starts."""

    __tablename__ = "pilots"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[str] = mapped_column(String(200), default="")
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_sha256: Mapped[str | None] = mapped_column(String(64))
    frozen_plan: Mapped[str | None] = mapped_column(Text)  # the canonical JSON that was hashed

    # Each collection is loaded when first read (lists that show many pilots say selectinload),
    # so loading a pilot costs one statement, not five.
    builders: Mapped[list[User]] = relationship(secondary=pilot_builders, order_by="User.name")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="pilot", order_by="Criterion.position", cascade="all, delete-orphan")
    incidents: Mapped[list[Incident]] = relationship(order_by="Incident.occurred_on",
                                                     cascade="all, delete-orphan")
    changes: Mapped[list[PlanChange]] = relationship(order_by="PlanChange.id",
                                                     cascade="all, delete-orphan")


class Criterion(Base):
    """A success or kill criterion: `metric comparator target unit`, fixed in advance.

    A kill criterion states the condition that stops the pilot: "met" means breached."""

    __tablename__ = "criteria"
    __table_args__ = (CheckConstraint("kind IN ('success', 'kill')", name="valid_kind"),
                      CheckConstraint("comparator IN ('>=', '<=', '=')",
                                      name="valid_comparator"))

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(60))
    metric: Mapped[str] = mapped_column(String(300))
    comparator: Mapped[str] = mapped_column(String(2))
    target: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(60), default="")
    measurement: Mapped[str] = mapped_column(Text, default="")

    pilot: Mapped[Pilot] = relationship(back_populates="criteria")
    # joined: whoever reads a pilot's criteria reads every criterion's observations in the
    # same statement, not one statement per criterion (nor one more for all of them).
    observations: Mapped[list[Observation]] = relationship(
        order_by="(Observation.observed_on, Observation.id)", cascade="all, delete-orphan",
        lazy="joined")


class Observation(Base):
    """A value a builder measured for one criterion on one day."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"),
                                              index=True)
    value: Mapped[float] = mapped_column(Float)
    observed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Incident(Base):
    """Something that went wrong during the pilot."""

    __tablename__ = "incidents"
    __table_args__ = (CheckConstraint("severity BETWEEN 1 AND 5", name="severity_1_to_5"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"),
                                          index=True)
    what: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(60))
    severity: Mapped[int] = mapped_column(Integer)
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanChange(Base):
    """An amendment (before any observation) or deviation (after) of a frozen plan."""

    __tablename__ = "plan_changes"
    __table_args__ = (CheckConstraint("kind IN ('amendment', 'deviation')", name="valid_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(10))
    justification: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan_sha256: Mapped[str] = mapped_column(String(64))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alert(Base):
    """A breached kill criterion or a severe incident, shown on the project until resolved."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
