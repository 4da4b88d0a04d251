"""What each person wants to be told, and the notifications waiting for their daily digest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from reviewtool.db import Base
from reviewtool.models.types import UTCDateTime, utcnow

DELIVERY_MODES = ("immediately", "digest", "off")


class NotificationPreference(Base):
    """One person's choice for one kind of notification; no row means "immediately"."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        CheckConstraint("mode IN ('immediately', 'digest', 'off')", name="valid_mode"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    mode: Mapped[str] = mapped_column(String(12))


class DigestItem(Base):
    """A notification held for its recipient's daily digest; the worker gathers a person's
    pending items into one message and marks them with that message's id."""

    __tablename__ = "digest_items"
    __table_args__ = (
        Index("ix_digest_items_pending", "user_id", "id",
              sqlite_where=text("outbox_id IS NULL"), postgresql_where=text("outbox_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))


class SentReminder(Base):
    """A reminder (or digest) that has been queued, by its key ("review_due_soon:assignment:7"):
    the primary key makes a second worker that found the same due date insert nothing, so each
    reminder goes out once however many workers look (the database is the referee)."""

    __tablename__ = "sent_reminders"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
