"""figure stamps: a counter moved on by every write to what the pipeline-wide figures are
made of (reviews, assignments, rounds, revisions, projects), so each process can keep those
figures (the reviewers' score totals, each project type's closed rounds) until it moves

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 15:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    stamps = op.create_table(
        "figure_stamps",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("stamp", sa.BigInteger(), nullable=False))
    # A random first token too: two fresh databases served by one process (tests do this)
    # must not share a token, or one could take the other's kept figures.
    op.bulk_insert(stamps, [{"name": "figures", "stamp": secrets.randbits(62)}])


def downgrade() -> None:
    op.drop_table("figure_stamps")
