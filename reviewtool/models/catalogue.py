"""Catalogues (project types, professions, risk categories, ...) as data an admin can extend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reviewtool.db import Base


class CatalogueItem(Base):
    """One entry of one catalogue. `extra` holds per-catalogue flags (e.g. risky, technical)."""

    __tablename__ = "catalogue_items"
    __table_args__ = (UniqueConstraint("catalogue", "key", name="uq_catalogue_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
