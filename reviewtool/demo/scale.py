"""`reviewtool demo --projects N [--seed S]`: N generated projects over every state and project
type, besides the hand-written demo (demo/__init__.py), for measuring the app as it fills.

Rows are made by demo/scale_rows.py and added a batch at a time (one flush, one commit per
batch: the ORM's bulk INSERTs), not through the services one request at a time, so 10,000
projects load in minutes. They keep the invariants of data made through the app: one current
revision per project, submitted revisions frozen with their SHA-256 (services/revisions.freeze),
closed rounds with their figures frozen (figures.round_figures), frozen pilot plans
(services/pilot_plans.freeze), transition events chained by the audit hook, a decision with a
stored memo for every decided project. Memos: the first MEMO_RENDERED decided projects get
their own, rendered by the real service; the others reuse those bytes (rendering 5,000 PDFs
would take an hour), and the summary says so."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.db import refresh_statistics
from reviewtool.demo.data import DEMO_PASSWORD, GRANTMAKER
from reviewtool.demo.scale_rows import People, make_project
from reviewtool.models import Decision, Memo, Project, User, UserRole
from reviewtool.services.accounts import find_user
from reviewtool.services.catalogues import latest_risk_catalogue, load_catalogues
from reviewtool.services.memos import store_memo
from reviewtool.services.passwords import hash_password
from reviewtool.services.pilot_plans import freeze as freeze_plan
from reviewtool.services.revisions import freeze

BATCH = 250  # projects per flush and commit: large enough for bulk INSERTs, small in memory
MEMO_RENDERED = 3
BUILDER = "bea@safetycommons.example"


def _people(session: Session, n: int, seed: int) -> People:
    """The generated proposers (one per 20 projects), reviewers and builders, created once per
    seed with the demo password (hashed once: hashing thousands would take minutes)."""
    password = hash_password(DEMO_PASSWORD)

    def group(kind: str, role: str, count: int) -> list[User]:
        emails = [f"{kind}{k + 1}@scale{seed}.example" for k in range(count)]
        found = {u.email: u for u in session.scalars(select(User).where(User.email.in_(emails)))}
        for k, email in enumerate(emails):
            if email not in found:
                found[email] = User(email=email, name=f"{kind.title()} {k + 1} (seed {seed})",
                                    organisation=f"Scale org {k % 17 + 1}",
                                    password_hash=password,
                                    session_token=secrets.token_hex(32), is_active=True,
                                    role_rows=[UserRole(role=role)])
                session.add(found[email])
        return [found[e] for e in emails]

    proposers = group("proposer", "proposer", max(1, min(500, n // 20)))
    reviewers = group("reviewer", "reviewer", 30)
    builders = [*group("builder", "builder", 5), find_user(session, BUILDER)]
    session.flush()
    return People(proposers, reviewers, find_user(session, GRANTMAKER),
                  [b for b in builders if b is not None])


def generate_projects(session: Session, n: int, seed: int, settings: Mapping[str, Any], *,
                      progress: Callable[[int], None] | None = None,
                      people: People | None = None) -> str:
    """Add `n` generated projects (by default among generated people and the hand-written
    demo's grantmaker and builder; a test passes its own); commit each batch. Returns a
    one-line summary."""
    people = people or _people(session, n, seed)
    cats = load_catalogues(session)
    keys = {name: [key for key, _ in cats.choices(name)]
            for name in ("work_groups", "activities", "outcomes", "safeguard_types",
                         "risk_categories")}
    types = list(cats.choices("project_types"))
    version = latest_risk_catalogue(session)
    version_id = version.id if version else None
    decided: list[int] = []
    models: list[tuple[bytes, str, str]] = []  # (pdf, html, sha256) of the rendered memos
    session.commit()
    for first in range(0, n, BATCH):
        made = [make_project(i, seed, people, keys, types, version_id)
                for i in range(first, min(n, first + BATCH))]
        session.add_all(m.project for m in made)
        session.flush()  # ids for the rows that name projects and revisions
        for m in made:
            for revision, at in m.frozen:
                freeze(revision)
                revision.submitted_at = at
            if m.pilot is not None:
                freeze_plan(m.pilot)
                m.pilot.frozen_at = datetime.combine(m.pilot.starts_on, time(9), tzinfo=UTC)
            session.add_all(m.rows())
        session.flush()
        decided.extend(m.project.id for m in made if m.decided)
        _memos(session, [m.project for m in made if m.decided], settings, models)
        session.commit()
        session.expunge_all()  # keep memory flat over 10,000 projects
        if progress:
            progress(len(made))
    refresh_statistics(session)
    session.commit()
    rendered = min(MEMO_RENDERED, len(decided))
    return (f"Generated {n} projects (seed {seed}) over every state and project type; "
            f"{len(decided)} decided, each with a stored memo ({rendered} rendered, the "
            f"others reuse their bytes).")


def _memos(session: Session, projects: list[Project], settings: Mapping[str, Any],
           models: list[tuple[bytes, str, str]]) -> None:
    """A stored memo for each decided project: rendered by the real service for the first
    MEMO_RENDERED of the run, a copy of one of those (kept in `models`) for the rest."""
    decisions = {d.project_id: d for d in session.scalars(select(Decision).where(
        Decision.project_id.in_([p.id for p in projects])))}
    for k, project in enumerate(projects):
        if len(models) < MEMO_RENDERED:
            memo = store_memo(session, project, settings)
            models.append((memo.pdf, memo.html, memo.sha256))
            continue
        pdf, html, sha = models[k % len(models)]
        session.add(Memo(decision_id=decisions[project.id].id, project_id=project.id, pdf=pdf,
                         html=html, sha256=sha))
