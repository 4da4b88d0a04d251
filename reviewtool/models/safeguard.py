"""Safeguards: what a revision adds to answer the reviewers' concerns."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtool.db import Base


class Safeguard(Base):
    """A typed safeguard of one revision, the categories and reviews it answers, and the
    residual likelihood and severity it is expected to bring."""

    __tablename__ = "safeguards"
    __table_args__ = (
        CheckConstraint("residual_likelihood BETWEEN 1 AND 5", name="residual_likelihood_1_5"),
        CheckConstraint("residual_severity BETWEEN 1 AND 5", name="residual_severity_1_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"),
                                             index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    addresses: Mapped[list[str]] = mapped_column(JSON, default=list)
    # the reviewer concerns it answers, as the proposer knows them: [{"round", "reviewer"}]
    # (round number and round-local letter; never a reviewer's or a review's id)
    concerns: Mapped[list[dict]] = mapped_column(JSON, default=list)
    residual_likelihood: Mapped[int] = mapped_column(Integer)
    residual_severity: Mapped[int] = mapped_column(Integer)

    revision = relationship("Revision", back_populates="safeguards")
