"""forecasts: invitations to forecast a pilot, locked forecasts and their scores, a go decision's outcome forecast

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 04:34:38.251538
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_forecasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("happened", sa.Boolean(), nullable=True),
        sa.Column("brier", sa.Float(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "probability BETWEEN 1 AND 99", name=op.f("ck_decision_forecasts_probability_1_99")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_forecasts_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_decision_forecasts_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_decision_forecasts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_forecasts")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_decision_forecasts_decision_id")),
    )
    with op.batch_alter_table("decision_forecasts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_forecasts_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "forecast_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "role IN ('reviewer', 'grantmaker')", name=op.f("ck_forecast_invitations_valid_role")
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_forecast_invitations_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_forecast_invitations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_invitations")),
        sa.UniqueConstraint("pilot_id", "user_id", name=op.f("uq_forecast_invitations_pilot_id")),
    )
    with op.batch_alter_table("forecast_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forecast_invitations_pilot_id"), ["pilot_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_forecast_invitations_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "forecasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("happened", sa.Boolean(), nullable=True),
        sa.Column("brier", sa.Float(), nullable=True),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "probability BETWEEN 1 AND 99", name=op.f("ck_forecasts_probability_1_99")
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criteria.id"],
            name=op.f("fk_forecasts_criterion_id_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_forecasts_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_forecasts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecasts")),
        sa.UniqueConstraint("criterion_id", "user_id", name=op.f("uq_forecasts_criterion_id")),
    )
    with op.batch_alter_table("forecasts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forecasts_pilot_id"), ["pilot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_forecasts_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("forecasts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forecasts_user_id"))
        batch_op.drop_index(batch_op.f("ix_forecasts_pilot_id"))

    op.drop_table("forecasts")
    with op.batch_alter_table("forecast_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forecast_invitations_user_id"))
        batch_op.drop_index(batch_op.f("ix_forecast_invitations_pilot_id"))

    op.drop_table("forecast_invitations")
    with op.batch_alter_table("decision_forecasts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_forecasts_user_id"))

    op.drop_table("decision_forecasts")
