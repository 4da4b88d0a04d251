"""Go / no-go decisions and the memo stored, byte for byte, when one is taken."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow
from reviewtool.models.user import User


class Decision(Base):
    """A grantmaker's go, no-go or recycle, with its rationale and any conditions."""

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint("kind IN ('go', 'no_go', 'recycle')", name="valid_kind"),
                      CheckConstraint("length(rationale) > 0", name="has_rationale"),
                      # the newest decision of a project (0010)
                      Index("ix_decisions_project_decided_at", "project_id", "decided_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(10))
    rationale: Mapped[str] = mapped_column(Text)
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    review_by: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User] = relationship(lazy="joined")
    memo: Mapped[Memo | None] = relationship(back_populates="decision", uselist=False)


class Memo(Base):
    """The decision memo as rendered when the decision was taken: what was signed never
    changes, so later downloads return exactly these bytes."""

    __tablename__ = "memos"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"),
                                             unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    html: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="memo")
