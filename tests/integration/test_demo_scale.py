"""`reviewtool demo --projects N`'s generated data keeps the invariants of data made through
the app, covers every state and project type, and is the same for the same seed."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from reviewtool import figures
from reviewtool.demo.scale import generate_projects
from reviewtool.demo.scale_rows import STATE_ORDER, People
from reviewtool.models import Assignment, Decision, Memo, Project, ReviewRound, Revision
from reviewtool.services.audit import verify
from reviewtool.services.revisions import content
from reviewtool.services.rounds import facts, live_reviews
from tests.factories import UserFactory, grantmaker, reviewer
from tests.pilot_factories import builder

N = 24  # two of each of the twelve state slots; 24 > 11 project types


def _people() -> People:
    return People(proposers=[UserFactory(), UserFactory()],
                  reviewers=[reviewer() for _ in range(6)], grantmaker=grantmaker(),
                  builders=[builder()])


def _shape(session) -> list[tuple]:
    rows = session.execute(select(Project.state, Revision.project_type, Revision.title,
                                  Project.version).join(Revision).where(Revision.is_current)
                           .order_by(Project.id))
    return [tuple(r) for r in rows]


def test_demo_scale_covers_every_state_and_type_with_intact_invariants(session, workflow):
    summary = generate_projects(session, N, 3, workflow.settings, people=_people())
    assert summary.startswith(f"Generated {N} projects (seed 3)")
    states = Counter(session.scalars(select(Project.state)))
    assert states == Counter(STATE_ORDER * 2)  # draft 2, review 4, go 4, no_go 4, ...
    assert len(set(session.scalars(select(Revision.project_type)))) == 11
    assert verify(session).broken is None
    # One current revision per project; every submitted one frozen with its SHA-256.
    assert session.scalar(select(func.count()).select_from(Revision)
                          .where(Revision.is_current)) == N
    for revision in session.scalars(select(Revision).where(Revision.snapshot.is_not(None))):
        assert revision.snapshot == json.dumps(content(revision), sort_keys=True,
                                               separators=(",", ":"), ensure_ascii=False)
        assert revision.snapshot_sha256 == hashlib.sha256(revision.snapshot.encode()).hexdigest()
    # 1-3 rounds per reviewed project, 3-5 reviewers a round, closed figures as computed.
    for review_round in session.scalars(select(ReviewRound)):
        assert 3 <= len(review_round.assignments) <= 5
        assert 1 <= review_round.number <= 3
        if review_round.status == "closed":
            keys = [c["category"] for c in review_round.figures["categories"]]
            recomputed = figures.round_figures([facts(r) for r in live_reviews(review_round)],
                                               keys)
            assert review_round.figures == recomputed
            assert review_round.figures["n_reviews"] == len(review_round.assignments)
    assert session.scalar(select(func.count()).select_from(ReviewRound)
                          .where(ReviewRound.status == "open")) == states["review"]
    # Every go and no-go has a decision and a stored memo whose hash is its PDF's.
    decided = states["go"] + states["no_go"]
    assert session.scalar(select(func.count()).select_from(Decision)) == decided
    memos = list(session.scalars(select(Memo)))
    assert len(memos) == decided
    assert all(m.sha256 == hashlib.sha256(m.pdf).hexdigest() for m in memos)
    assert session.scalar(select(func.count(Assignment.id))) > 3 * 16


def test_demo_scale_same_seed_gives_the_same_projects(session, workflow):
    people = _people()
    generate_projects(session, 12, 5, workflow.settings, people=people)
    first = _shape(session)
    generate_projects(session, 12, 5, workflow.settings, people=people)
    assert _shape(session)[12:] == first


def test_demo_scale_leaves_sqlite_statistics_for_the_planner(session, workflow, db_kind):
    if db_kind != "sqlite":
        pytest.skip("sqlite_stat1 is SQLite's; PostgreSQL's ANALYZE fills pg_statistic")
    generate_projects(session, 6, 3, workflow.settings, people=_people())
    analysed = set(session.scalars(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'reviews'")))
    assert {"ix_reviews_assignment_scores", "ix_reviews_revision_id"} <= analysed
