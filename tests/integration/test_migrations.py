"""`reviewtool.migrate.upgrade` on a fresh SQLite file: idempotent, and the pragmas are set."""

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text

from reviewtool.catalogue_defaults import DEFAULTS
from reviewtool.db import SQLITE_BUSY_TIMEOUT_MS, make_engine
from reviewtool.migrate import alembic_config, upgrade
from reviewtool.models import CatalogueItem

TABLES = {"alembic_version", "api_tokens", "catalogue_items", "projects", "revisions",
          "transition_events", "user_roles", "users"}


@pytest.fixture
def engine(tmp_path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path}/fresh.sqlite3")
    yield engine
    engine.dispose()


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_upgrade_fresh_sqlite_creates_tables_and_seeds_every_default(engine):
    added = upgrade(engine)
    assert added == sum(len(entries) for entries in DEFAULTS.values())
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(CatalogueItem)) == added
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head()


def test_upgrade_twice_adds_nothing_and_stays_at_head(engine):
    first = upgrade(engine)
    second = upgrade(engine)
    assert (first > 0, second) == (True, 0)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(head(),)]
        assert conn.scalar(select(func.count()).select_from(CatalogueItem)) == first


def test_upgrade_after_admin_edit_keeps_edit_and_restores_deleted_default(engine):
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE catalogue_items SET label = 'Renamed' "
                          "WHERE catalogue = 'project_types' AND key = 'events'"))
        conn.execute(text("DELETE FROM catalogue_items "
                          "WHERE catalogue = 'skills' AND key = 'writing'"))
    assert upgrade(engine) == 1
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT label FROM catalogue_items "
                                "WHERE catalogue = 'project_types' AND key = 'events'")) == (
            "Renamed")


@pytest.mark.parametrize(("pragma", "expected"), [
    ("foreign_keys", 1),
    ("journal_mode", "wal"),
    ("busy_timeout", SQLITE_BUSY_TIMEOUT_MS),
])
def test_sqlite_connection_has_pragma(engine, pragma, expected):
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected


def test_sqlite_pragmas_hold_on_every_pooled_connection(engine):
    # Raw DBAPI connections: no BEGIN IMMEDIATE, so three can be open at once.
    connections = [engine.raw_connection() for _ in range(3)]
    try:
        assert [c.execute("PRAGMA foreign_keys").fetchone()[0] for c in connections] == [
            1, 1, 1]
    finally:
        for conn in connections:
            conn.close()
