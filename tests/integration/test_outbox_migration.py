"""Migration 0008 (outbox delivery) on SQLite and PostgreSQL: a message queued before it is
due afterwards, the downgrade takes the columns and the lease table away and keeps the rows,
and the models match the migrated schema."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from reviewtool.db import Base, make_engine
from reviewtool.migrate import alembic_config, upgrade
from tests.mail_helpers import fresh_database

DELIVERY_COLUMNS = ["attempts", "last_error", "next_attempt_at", "failed_at"]


@pytest.fixture
def engine(db_kind, tmp_path):
    """An engine on a fresh, empty database of `db_kind`."""
    with fresh_database(db_kind, tmp_path) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def outbox_columns(engine) -> list[str]:
    return [c["name"] for c in inspect(engine).get_columns("outbox")]


def test_upgrade_0008_makes_earlier_unsent_message_due_from_when_it_was_queued(engine):
    command.upgrade(alembic_config(engine), "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO outbox (to_email, subject, body, created_at) "
                          "VALUES ('ada@example.org', 'Old', 'Queued before workers.', "
                          ":at)"), {"at": datetime(2026, 11, 30, 8, 0, tzinfo=UTC)})
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT attempts, last_error, failed_at, sent_at, "
                                "next_attempt_at = created_at FROM outbox")).one()
    assert tuple(row) == (0, None, None, None, True)
    assert set(DELIVERY_COLUMNS) <= set(outbox_columns(engine))  # later migrations add more
    assert "ix_outbox_due" in {ix["name"] for ix in inspect(engine).get_indexes("outbox")}


def test_downgrade_0008_drops_columns_and_lease_table_keeps_messages(engine):
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO outbox (to_email, subject, body, created_at, "
                          "next_attempt_at, attempts) VALUES ('ada@example.org', 'S', 'B', "
                          ":at, :at, 3)"), {"at": datetime(2026, 12, 1, 8, 0, tzinfo=UTC)})
    command.downgrade(alembic_config(engine), "0007")
    assert set(outbox_columns(engine)) & set(DELIVERY_COLUMNS) == set()
    assert inspect(engine).has_table("worker_leases") is False
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_email, subject FROM outbox")).all() == [
            ("ada@example.org", "S")]
    upgrade(engine)  # and up again
    assert set(DELIVERY_COLUMNS) <= set(outbox_columns(engine))  # later migrations add more


def test_models_match_migrated_schema(engine):
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
