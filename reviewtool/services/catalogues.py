"""Reading the catalogues, and inserting the shipped defaults that are missing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.catalogue_defaults import DEFAULTS
from reviewtool.enums import CATALOGUES
from reviewtool.errors import Conflict, Invalid
from reviewtool.models import CatalogueItem, RiskCatalogueVersion, User
from reviewtool.permissions import require
from reviewtool.unit_memo import remember


@dataclass(frozen=True)
class Entry:
    """One active catalogue entry, as plain values."""

    key: str
    label: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogues:
    """Every active catalogue, loaded in one query."""

    lists: dict[str, list[Entry]]

    def keys(self, name: str) -> list[str]:
        """The keys of catalogue `name`, in display order."""
        return [e.key for e in self.lists.get(name, [])]

    def label(self, name: str, key: str | None) -> str:
        """The label of `key` in catalogue `name` (the key itself when unknown)."""
        for entry in self.lists.get(name, []):
            if entry.key == key:
                return entry.label
        return key or ""

    def choices(self, name: str) -> list[tuple[str, str]]:
        """(key, label) pairs for a form's select field."""
        return [(e.key, e.label) for e in self.lists.get(name, [])]

    def risky(self, name: str) -> set[str]:
        """Keys flagged risky in catalogue `name` (professions, skills)."""
        return {e.key for e in self.lists.get(name, []) if e.extra.get("risky")}

    def as_json(self) -> dict[str, list[dict[str, Any]]]:
        """The API shape: each catalogue as a list of {key, label, ...extra}."""
        return {name: [{"key": e.key, "label": e.label, **e.extra} for e in entries]
                for name, entries in self.lists.items()}


def load_catalogues(session: Session) -> Catalogues:
    """Every active entry of every catalogue, in one query (once per unit of work)."""
    return remember(session, ("catalogues",), lambda: _read_catalogues(session))


def _read_catalogues(session: Session) -> Catalogues:
    rows = session.scalars(
        select(CatalogueItem).where(CatalogueItem.active)
        .order_by(CatalogueItem.catalogue, CatalogueItem.position, CatalogueItem.id)
    )
    lists: dict[str, list[Entry]] = {name: [] for name in CATALOGUES}
    for row in rows:
        lists.setdefault(row.catalogue, []).append(Entry(row.key, row.label, dict(row.extra)))
    return Catalogues(lists)


def seed_defaults(session: Session) -> int:
    """Insert the shipped entries that are missing; return how many were added."""
    existing = {tuple(row) for row in session.execute(select(CatalogueItem.catalogue,
                                                                 CatalogueItem.key))}
    added = 0
    for name, entries in DEFAULTS.items():
        for position, (key, label, extra) in enumerate(entries):
            if (name, key) in existing:
                continue
            session.add(CatalogueItem(catalogue=name, key=key, label=label, position=position,
                                      description=extra.get("description", ""), extra=extra))
            added += 1
    session.flush()
    snapshot_risk_catalogue(session)
    return added


def latest_risk_catalogue(session: Session) -> RiskCatalogueVersion | None:
    """The newest frozen version of the risk categories (read once per unit of work)."""
    return remember(session, ("risk_catalogue",), lambda: session.scalar(
        select(RiskCatalogueVersion).order_by(RiskCatalogueVersion.number.desc()).limit(1)))


def snapshot_risk_catalogue(session: Session) -> RiskCatalogueVersion:
    """Freeze the active risk categories as a new version, unless the newest one matches."""
    entries = load_catalogues(session).lists["risk_categories"]
    categories = [{"key": e.key, "label": e.label,
                   "description": e.extra.get("description", ""),
                   "guidance": e.extra.get("guidance", ""),
                   "risky_roles_require": bool(e.extra.get("risky_roles_require"))}
                  for e in entries]
    latest = latest_risk_catalogue(session)
    if latest is not None and latest.categories == categories:
        return latest
    version = RiskCatalogueVersion(number=(latest.number + 1) if latest else 1,
                                   categories=categories)
    session.add(version)
    session.flush()
    return version


KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,59}\Z")


def add_entry(session: Session, actor: User, catalogue: str, key: str, label: str, *,
              description: str = "", extra: dict[str, Any] | None = None) -> CatalogueItem:
    """Add an entry to a catalogue (admins). A new risk category freezes a new catalogue
    version, so models written against the old one keep it."""
    require(actor, "edit_catalogues")
    problems = []
    if catalogue not in CATALOGUES:
        problems.append({"field": "catalogue", "message": f"Unknown catalogue {catalogue!r}; "
                         f"use one of {', '.join(CATALOGUES)}."})
    if not isinstance(key, str) or not KEY_RE.match(key):
        problems.append({"field": "key", "message": "key should be lower_case letters, digits "
                         "and underscores, starting with a letter (at most 60)."})
    if not isinstance(label, str) or not label.strip() or len(label) > 200:
        problems.append({"field": "label", "message": "label is required (at most 200 "
                         "characters)."})
    if not isinstance(description, str) or len(description) > 2000:
        problems.append({"field": "description", "message": "description should be text of "
                         "at most 2000 characters."})
    if problems:
        raise Invalid(problems=problems)
    exists = session.scalar(select(CatalogueItem.id).where(CatalogueItem.catalogue == catalogue,
                                                           CatalogueItem.key == key))
    if exists is not None:
        raise Conflict(f"{catalogue} already has an entry {key!r}.")
    position = len(load_catalogues(session).lists.get(catalogue, []))
    item = CatalogueItem(catalogue=catalogue, key=key, label=label.strip(), position=position,
                         description=description.strip(),
                         extra={**(extra or {}), "description": description.strip()})
    session.add(item)
    session.flush()
    if catalogue == "risk_categories":
        snapshot_risk_catalogue(session)
    return item
