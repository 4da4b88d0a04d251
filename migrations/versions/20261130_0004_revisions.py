"""revisions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 04:58:58.190224
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "safeguards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("concerns", sa.JSON(), nullable=False),
        sa.Column("residual_likelihood", sa.Integer(), nullable=False),
        sa.Column("residual_severity", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "residual_likelihood BETWEEN 1 AND 5",
            name=op.f("ck_safeguards_residual_likelihood_1_5"),
        ),
        sa.CheckConstraint(
            "residual_severity BETWEEN 1 AND 5", name=op.f("ck_safeguards_residual_severity_1_5")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_safeguards_revision_id_revisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguards")),
    )
    with op.batch_alter_table("safeguards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguards_revision_id"), ["revision_id"], unique=False
        )

    # Plain ADD COLUMN: no table rebuild on SQLite, so the partial unique index stays as is.
    op.add_column("revisions", sa.Column("snapshot", sa.Text(), nullable=True))
    op.add_column("revisions", sa.Column("snapshot_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_column("snapshot_sha256")
        batch_op.drop_column("snapshot")

    with op.batch_alter_table("safeguards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguards_revision_id"))

    op.drop_table("safeguards")
