"""consultations: the panellist role, the panel, consultations, waves, invitations, answers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('proposer', 'reviewer', 'grantmaker', 'builder', 'admin')"
NEW_ROLES = "role IN ('proposer', 'reviewer', 'grantmaker', 'builder', 'admin', 'panellist')"


def _roles(check: str) -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table with the new one.
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_roles_valid_role"), type_="check")
        batch_op.create_check_constraint("valid_role", sa.text(check))


def upgrade() -> None:
    _roles(NEW_ROLES)
    op.create_table(
        "panel_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("work_group", sa.String(length=50), nullable=False),
        sa.Column("technical", sa.Boolean(), nullable=False),
        sa.Column("profession", sa.String(length=50), nullable=True),
        sa.Column("seniority", sa.String(length=20), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("seniority IN ('early_career', 'mid_career', 'senior')",
                           name=op.f("ck_panel_members_valid_seniority")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_panel_members_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_panel_members")),
    )
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("project_type", sa.String(length=50), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_consultations_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultations_project_type"), ["project_type"])
    op.create_table(
        "consultation_waves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')",
                           name=op.f("ck_consultation_waves_valid_status")),
        sa.CheckConstraint("(status = 'open') = (closed_at IS NULL)",
                           name=op.f("ck_consultation_waves_closed_has_time")),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE",
                                name=op.f("fk_consultation_waves_consultation_id_consultations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_waves")),
        sa.UniqueConstraint("consultation_id", "number", name="uq_wave_number"),
    )
    with op.batch_alter_table("consultation_waves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_waves_consultation_id"),
                              ["consultation_id"])
        batch_op.create_index("uq_one_open_wave", ["consultation_id"], unique=True,
                              sqlite_where=sa.text("status = 'open'"),
                              postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        "wave_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["wave_id"], ["consultation_waves.id"], ondelete="CASCADE",
                                name=op.f("fk_wave_invitations_wave_id_consultation_waves")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_wave_invitations_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave_invitations")),
        sa.UniqueConstraint("wave_id", "user_id", name="uq_invitation"),
    )
    with op.batch_alter_table("wave_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wave_invitations_wave_id"), ["wave_id"])
        batch_op.create_index(batch_op.f("ix_wave_invitations_user_id"), ["user_id"])
    op.create_table(
        "wave_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("panellist_id", sa.Integer(), nullable=True),
        sa.Column("stance", sa.String(length=12), nullable=False),
        sa.Column("net_negative", sa.Boolean(), nullable=False),
        sa.Column("concern_categories", sa.JSON(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("suggested_safeguards", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("work_group", sa.String(length=50), nullable=False),
        sa.Column("technical", sa.Boolean(), nullable=False),
        sa.Column("profession", sa.String(length=50), nullable=True),
        sa.Column("seniority", sa.String(length=20), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.CheckConstraint("stance IN ('optimistic', 'neutral', 'pessimistic')",
                           name=op.f("ck_wave_answers_valid_stance")),
        sa.CheckConstraint("confidence BETWEEN 1 AND 5",
                           name=op.f("ck_wave_answers_confidence_1_to_5")),
        sa.CheckConstraint("NOT net_negative OR length(rationale) > 0",
                           name=op.f("ck_wave_answers_net_negative_has_rationale")),
        sa.ForeignKeyConstraint(["wave_id"], ["consultation_waves.id"], ondelete="CASCADE",
                                name=op.f("fk_wave_answers_wave_id_consultation_waves")),
        sa.ForeignKeyConstraint(["panellist_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_wave_answers_panellist_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave_answers")),
        sa.UniqueConstraint("wave_id", "panellist_id", name="uq_answer_panellist"),
    )
    with op.batch_alter_table("wave_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wave_answers_wave_id"), ["wave_id"])


def downgrade() -> None:
    op.drop_table("wave_answers")
    op.drop_table("wave_invitations")
    op.drop_table("consultation_waves")
    op.drop_table("consultations")
    op.drop_table("panel_members")
    op.execute("DELETE FROM user_roles WHERE role = 'panellist'")
    _roles(OLD_ROLES)
