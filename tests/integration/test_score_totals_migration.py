"""Migration 0014 (review score totals) fills the totals of reviews written before it, from
their risk_scores JSON, and its downgrade takes the columns away.

SQLite only, with foreign keys off for the reviews inserted without their assignments: the
backfill is one portable SELECT and UPDATE, and the columns' shape on PostgreSQL is checked by
the models-match-schema test of test_outbox_migration.py."""

from __future__ import annotations

import json
import sqlite3

import pytest
from alembic import command
from sqlalchemy import inspect, text

from reviewtool.db import make_engine
from reviewtool.migrate import alembic_config, upgrade

INSERT = ("INSERT INTO reviews (id, assignment_id, revision_id, stance, net_negative, "
          "rationale, concern_categories, risk_scores, suggested_safeguards, confidence, "
          "expertise, no_conflict_attested, version, submitted_at, updated_at) VALUES "
          "(:id, :id, 1, 'neutral', 0, '', '[]', :scores, '[]', 3, 'general', 1, 1, "
          "'2026-12-01 08:00:00', '2026-12-01 08:00:00')")


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/before.sqlite3")
    yield engine
    engine.dispose()


def _insert(engine, reviews: dict[int, list]) -> None:
    """Reviews without their assignments: a plain sqlite3 connection keeps foreign keys off."""
    with sqlite3.connect(engine.url.database) as conn:
        for review_id, scores in reviews.items():
            conn.execute(INSERT.replace(":id", str(review_id)).replace(":scores", "?"),
                         (json.dumps(scores),))


def _totals(engine) -> list[tuple[int, int, int]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            text("SELECT id, score_total, score_count FROM reviews ORDER BY id"))]


def test_upgrade_0014_fills_totals_of_earlier_reviews_from_their_scores(engine):
    command.upgrade(alembic_config(engine), "0013")
    scores = {1: [{"risk_id": 1, "likelihood": 5, "severity": 4},
                  {"risk_id": 2, "likelihood": 2, "severity": 3}],
              2: [], 3: [{"risk_id": 1, "likelihood": 1, "severity": 1}]}
    _insert(engine, scores)
    upgrade(engine)
    assert _totals(engine) == [(1, 26, 2), (2, 0, 0), (3, 1, 1)]  # 5 x 4 + 2 x 3 = 26


def test_downgrade_0014_drops_the_totals_and_upgrade_adds_them_again(engine):
    upgrade(engine)
    command.downgrade(alembic_config(engine), "0013")
    assert {"score_total", "score_count"} & _columns(engine) == set()
    upgrade(engine)
    assert {"score_total", "score_count"} <= _columns(engine)


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("reviews")}
