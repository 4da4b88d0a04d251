"""Alembic, driven from code: `reviewtool db upgrade` and the test fixtures call this."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from reviewtool.resources import data_dir
from reviewtool.services.catalogues import seed_defaults


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config for our migrations folder, bound to `engine` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(data_dir("migrations")))
    cfg.set_main_option("file_template",
                        "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> int:
    """Migrate to head and insert missing default catalogue entries; return how many."""
    command.upgrade(alembic_config(engine), "head")
    with Session(engine) as session:
        added = seed_defaults(session)
        session.commit()
    return added
