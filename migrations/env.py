"""Alembic environment: runs against the engine reviewtool hands over (or DATABASE_URL)."""

import os

from alembic import context
from sqlalchemy import create_engine

import reviewtool.models  # noqa: F401 - registers every table on the metadata
from reviewtool.db import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    engine = create_engine(os.environ["DATABASE_URL"])

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
