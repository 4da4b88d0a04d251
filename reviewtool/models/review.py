"""Review rounds, reviewer assignments, reviews (with their earlier versions), conflicts, and
the outbox of notifications with its delivery lease."""

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
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow
from reviewtool.models.user import User

STANCES = ("optimistic", "neutral", "pessimistic")
EXPERTISE = ("general", "familiar", "expert")
CONFLICT_KINDS = ("recent_collaborator", "advisor_advisee", "same_organisation", "personal",
                  "funder_relationship", "other")


class ReviewRound(Base):
    """One round of senior review of one revision. Figures are frozen into `figures` at close."""

    __tablename__ = "review_rounds"
    __table_args__ = (
        UniqueConstraint("project_id", "number", name="uq_round_number"),
        Index("uq_one_open_round", "project_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        CheckConstraint("status IN ('open', 'closed')", name="valid_status"),
        CheckConstraint("(status = 'open') = (closed_at IS NULL)", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="round", order_by="Assignment.letter", lazy="selectin")


class Assignment(Base):
    """A reviewer asked to review one round. `letter` names them to other reviewers."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("round_id", "reviewer_id", name="uq_assignment"),
                      UniqueConstraint("round_id", "letter", name="uq_assignment_letter"),
                      # the reviewer's dashboard: their assignments by due date (0010)
                      Index("ix_assignments_reviewer_due_on", "reviewer_id", "due_on"),
                      # The reviewers' offsets read the live assignments from an index (0014).
                      Index("ix_assignments_live_reviewer", "withdrawn_at", "reviewer_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"),
                                          index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    letter: Mapped[str] = mapped_column(String(3))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    round: Mapped[ReviewRound] = relationship(back_populates="assignments")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id], lazy="joined")
    review: Mapped[Review | None] = relationship(back_populates="assignment", uselist=False,
                                                 lazy="selectin")


class Review(Base):
    """What one senior reviewer thinks could go wrong, pinned to the revision they assessed."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("assignment_id", name="uq_review_assignment"),
        Index("ix_reviews_revision_id", "revision_id"),  # a revision's reviews (0010)
        # Covers the reviewers' offsets: a GROUP BY that never reads the reviews' rows (0014).
        Index("ix_reviews_assignment_scores", "assignment_id", "score_total", "score_count"),
        CheckConstraint("stance IN ('optimistic', 'neutral', 'pessimistic')",
                        name="valid_stance"),
        CheckConstraint("expertise IN ('general', 'familiar', 'expert')", name="valid_expertise"),
        CheckConstraint("confidence BETWEEN 1 AND 5", name="confidence_1_to_5"),
        CheckConstraint("NOT net_negative OR length(rationale) > 0",
                        name="net_negative_has_rationale"),
        CheckConstraint("no_conflict_attested", name="attested"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    stance: Mapped[str] = mapped_column(String(12))
    net_negative: Mapped[bool] = mapped_column(Boolean)
    rationale: Mapped[str] = mapped_column(Text, default="")
    concern_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk_scores: Mapped[list[dict[str, int]]] = mapped_column(JSON, default=list)
    # Sum and count of the likelihood x severity scores above, kept by `_totals` (0014), so
    # the reviewers' offsets are one GROUP BY instead of reading every review's JSON.
    score_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    score_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    suggested_safeguards: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidence: Mapped[int] = mapped_column(Integer)
    expertise: Mapped[str] = mapped_column(String(10))
    no_conflict_attested: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="review")

    @validates("risk_scores")
    def _totals(self, _key: str, scores: list[dict[str, int]]) -> list[dict[str, int]]:
        self.score_total = sum(s["likelihood"] * s["severity"] for s in scores)
        self.score_count = len(scores)
        return scores


class ReviewVersion(Base):
    """An earlier version of a review, kept when the reviewer edits it."""

    __tablename__ = "review_versions"
    __table_args__ = (UniqueConstraint("review_id", "version", name="uq_review_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ConflictDeclaration(Base):
    """A user's declared conflict of interest with a project; it bars them from its reviews."""

    __tablename__ = "conflicts"
    __table_args__ = (
        UniqueConstraint("user_id", "project_id", name="uq_conflict"),
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in CONFLICT_KINDS) + ")",
                        name="valid_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(Base):
    """An e-mail waiting to be sent by a worker (SMTP when configured, else written to the log).

    A message is due while it is neither sent nor given up and its next attempt has come; each
    failed attempt pushes `next_attempt_at` back, and after the last one `failed_at` is set."""

    __tablename__ = "outbox"
    __table_args__ = (
        # What the workers' claim query filters on; only undelivered rows, so it stays small.
        Index("ix_outbox_due", "next_attempt_at", "id",
              sqlite_where=text("sent_at IS NULL AND failed_at IS NULL"),
              postgresql_where=text("sent_at IS NULL AND failed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A notification's kind (services/notification_kinds.py), None for older rows; the HTML
    # part goes beside the plain text when there is one.
    kind: Mapped[str | None] = mapped_column(String(40))
    html_body: Mapped[str | None] = mapped_column(Text)


class WorkerLease(Base):
    """Who may deliver the outbox now, on SQLite: it has no SKIP LOCKED, so workers take turns
    by holding this row until `expires_at` (a crashed holder's lease simply runs out)."""

    __tablename__ = "worker_leases"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
