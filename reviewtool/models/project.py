"""A project and its revisions: proposal text lives in revisions, workflow state on the project."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
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
from reviewtool.enums import State
from reviewtool.models.pilot import Pilot
from reviewtool.models.review import ConflictDeclaration
from reviewtool.models.risk import Risk, RiskCatalogueVersion, RiskExclusion
from reviewtool.models.safeguard import Safeguard
from reviewtool.models.types import UTCDateTime, utcnow
from reviewtool.models.user import User

STATE_NAMES = ", ".join(f"'{s.value}'" for s in State)


class Project(Base):
    """The workflow subject. Only services/transitions.py writes `state`; edits bump `version`."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(f"state IN ({STATE_NAMES})", name="valid_state"),
        CheckConstraint("version >= 1", name="positive_version"),
        # Every project list sorts by (updated_at, id), with or without a state (migration 0010).
        Index("ix_projects_updated_at_id", "updated_at", "id"),
        Index("ix_projects_state_updated_at", "state", "updated_at"),
        # One proposer's projects in the same order, for "my projects" (migration 0015,
        # replacing the owner's single-column index).
        Index("ix_projects_owner_updated_at_id", "owner_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(20), default=State.DRAFT.value, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The workflow the project started under (its file's name and version): it finishes under
    # that one even when REVIEWTOOL_WORKFLOW names another later (services/workflows.py).
    workflow_name: Mapped[str] = mapped_column(String(60), default="default",
                                               server_default="default")
    workflow_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="project", order_by="Revision.number", cascade="all, delete-orphan"
    )
    # Loaded when a page asks for it (one statement), not with every project: most requests
    # that load a project never look at its pilot (issue 13: at most 12 statements a request).
    pilot: Mapped[Pilot | None] = relationship(uselist=False, cascade="all, delete-orphan")
    # Declared conflicts of interest: those users act on nothing and learn nothing here.
    conflicts: Mapped[list[ConflictDeclaration]] = relationship(viewonly=True)
    current_revision: Mapped[Revision] = relationship(
        primaryjoin="and_(Revision.project_id == Project.id, Revision.is_current)",
        viewonly=True,
        uselist=False,
        lazy="joined",
    )

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.state} v{self.version}>"


class Revision(Base):
    """One version of the proposal. Exactly one per project is current (a partial unique index)."""

    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("project_id", "number", name="uq_revision_number"),
        Index(
            "uq_one_current_revision",
            "project_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        # The current revisions of one project type: the type context's peers (0014).
        Index("ix_revisions_type_current", "project_type", "is_current", "project_id"),
        CheckConstraint("activity IN ('start', 'sustain', 'scale')", name="valid_activity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    project_type: Mapped[str | None] = mapped_column(String(60))
    work_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    activity: Mapped[str | None] = mapped_column(String(10))
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    roles_needed: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    location: Mapped[str] = mapped_column(String(200), default="")
    budget: Mapped[str] = mapped_column(String(200), default="")
    timeline: Mapped[str] = mapped_column(Text, default="")
    # The risk catalogue version the risk model was written against (None: no model yet).
    risk_catalogue_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("risk_catalogue_versions.id"))

    project: Mapped[Project] = relationship(back_populates="revisions")
    risks: Mapped[list[Risk]] = relationship(
        back_populates="revision", order_by="(Risk.category, Risk.position, Risk.id)",
        cascade="all, delete-orphan")
    exclusions: Mapped[list[RiskExclusion]] = relationship(
        back_populates="revision", order_by="RiskExclusion.category",
        cascade="all, delete-orphan")
    risk_catalogue_version: Mapped[RiskCatalogueVersion | None] = relationship()
    safeguards: Mapped[list[Safeguard]] = relationship(
        back_populates="revision", order_by="(Safeguard.position, Safeguard.id)",
        cascade="all, delete-orphan")
    # Frozen when the revision is submitted for review: the canonical JSON of the proposal and
    # its risk model, and its SHA-256. Nothing may change a submitted revision afterwards.
    snapshot: Mapped[str | None] = mapped_column(Text)
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64))
