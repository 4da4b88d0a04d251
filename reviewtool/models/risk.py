"""The downside-risk model of a revision: risks per category, or a reasoned "not applicable"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow

REVERSIBILITY = ("reversible", "hard_to_reverse", "irreversible")
PILOT_REVEALS = ("yes", "partly", "no")
KNOWLEDGE = ("low", "medium", "high")


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"valid_{column}")


def _scale(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_1_to_5")


class RiskCatalogueVersion(Base):
    """A frozen copy of the risk categories; a risk model names the version it was written
    against, so changing the catalogue later never silently restates an old model."""

    __tablename__ = "risk_catalogue_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # [{key, label, description, guidance, risky_roles_require}], in display order
    categories: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Risk(Base):
    """One way the project could do harm, scored before and after its safeguards."""

    __tablename__ = "risks"
    __table_args__ = (
        _scale("likelihood"), _scale("severity"),
        _scale("residual_likelihood"), _scale("residual_severity"),
        CheckConstraint("residual_likelihood <= likelihood AND residual_severity <= severity",
                        name="residual_not_above_inherent"),
        _one_of("reversibility", REVERSIBILITY), _one_of("pilot_reveals", PILOT_REVEALS),
        _one_of("knowledge", KNOWLEDGE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"),
                                             index=True)
    category: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    reversibility: Mapped[str] = mapped_column(String(20))
    pilot_reveals: Mapped[str] = mapped_column(String(10))
    knowledge: Mapped[str] = mapped_column(String(10))
    mitigation: Mapped[str] = mapped_column(Text, default="")
    residual_likelihood: Mapped[int] = mapped_column(Integer)
    residual_severity: Mapped[int] = mapped_column(Integer)

    revision = relationship("Revision", back_populates="risks")

    @property
    def score(self) -> int:
        """Inherent score: likelihood x severity before safeguards."""
        return self.likelihood * self.severity

    @property
    def residual_score(self) -> int:
        """Residual score: likelihood x severity after safeguards."""
        return self.residual_likelihood * self.residual_severity


class RiskExclusion(Base):
    """An explicit "not applicable" for one category of one revision, with the reason."""

    __tablename__ = "risk_exclusions"
    __table_args__ = (UniqueConstraint("revision_id", "category", name="uq_exclusion_category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"),
                                             index=True)
    category: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)

    revision = relationship("Revision", back_populates="exclusions")
