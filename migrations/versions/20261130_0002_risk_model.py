"""risk model

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 04:47:04.206902
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "risk_catalogue_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_catalogue_versions")),
        sa.UniqueConstraint("number", name=op.f("uq_risk_catalogue_versions_number")),
    )
    op.create_table(
        "risk_exclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_risk_exclusions_revision_id_revisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_exclusions")),
        sa.UniqueConstraint("revision_id", "category", name="uq_exclusion_category"),
    )
    with op.batch_alter_table("risk_exclusions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_exclusions_revision_id"), ["revision_id"], unique=False
        )

    op.create_table(
        "risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("reversibility", sa.String(length=20), nullable=False),
        sa.Column("pilot_reveals", sa.String(length=10), nullable=False),
        sa.Column("knowledge", sa.String(length=10), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.Column("residual_likelihood", sa.Integer(), nullable=False),
        sa.Column("residual_severity", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "knowledge IN ('low', 'medium', 'high')", name=op.f("ck_risks_valid_knowledge")
        ),
        sa.CheckConstraint(
            "pilot_reveals IN ('yes', 'partly', 'no')", name=op.f("ck_risks_valid_pilot_reveals")
        ),
        sa.CheckConstraint(
            "reversibility IN ('reversible', 'hard_to_reverse', 'irreversible')",
            name=op.f("ck_risks_valid_reversibility"),
        ),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_risks_likelihood_1_to_5")),
        sa.CheckConstraint(
            "residual_likelihood <= likelihood AND residual_severity <= severity",
            name=op.f("ck_risks_residual_not_above_inherent"),
        ),
        sa.CheckConstraint(
            "residual_likelihood BETWEEN 1 AND 5", name=op.f("ck_risks_residual_likelihood_1_to_5")
        ),
        sa.CheckConstraint(
            "residual_severity BETWEEN 1 AND 5", name=op.f("ck_risks_residual_severity_1_to_5")
        ),
        sa.CheckConstraint("severity BETWEEN 1 AND 5", name=op.f("ck_risks_severity_1_to_5")),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_risks_revision_id_revisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
    )
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risks_revision_id"), ["revision_id"], unique=False)

    # A plain ADD COLUMN (not batch mode): SQLite supports it with REFERENCES, and rebuilding
    # the table would risk the partial unique index on the current revision.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE revisions ADD COLUMN risk_catalogue_version_id INTEGER "
            "REFERENCES risk_catalogue_versions (id)"
        )
    else:
        op.add_column(
            "revisions", sa.Column("risk_catalogue_version_id", sa.Integer(), nullable=True)
        )
        op.create_foreign_key(
            "fk_revisions_risk_catalogue_version_id_risk_catalogue_versions",
            "revisions",
            "risk_catalogue_versions",
            ["risk_catalogue_version_id"],
            ["id"],
        )


def downgrade() -> None:

    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_revisions_risk_catalogue_version_id_risk_catalogue_versions"),
            type_="foreignkey",
        )
        batch_op.drop_column("risk_catalogue_version_id")

    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risks_revision_id"))

    op.drop_table("risks")
    with op.batch_alter_table("risk_exclusions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_exclusions_revision_id"))

    op.drop_table("risk_exclusions")
    op.drop_table("risk_catalogue_versions")
