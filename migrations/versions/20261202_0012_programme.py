"""programme: each project's workflow name and version; notification kinds and HTML parts
on the outbox; reminders sent (each key once); notification preferences, digest items; the
last sign-in of each user

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

PENDING_DIGEST = "outbox_id IS NULL"


def upgrade() -> None:
    # Every project so far began under the default workflow's first version.
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workflow_name", sa.String(length=60),
                                      server_default="default", nullable=False))
        batch_op.add_column(sa.Column("workflow_version", sa.Integer(),
                                      server_default=sa.text("1"), nullable=False))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_signed_in_at", sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("html_body", sa.Text(), nullable=True))

    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.CheckConstraint("mode IN ('immediately', 'digest', 'off')",
                           name=op.f("ck_notification_preferences_valid_mode")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_notification_preferences_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "sent_reminders",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sent_reminders")),
    )
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_digest_items_user_id_users")),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], ondelete="SET NULL",
                                name=op.f("fk_digest_items_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_items")),
    )
    with op.batch_alter_table("digest_items", schema=None) as batch_op:
        batch_op.create_index("ix_digest_items_pending", ["user_id", "id"],
                              sqlite_where=sa.text(PENDING_DIGEST),
                              postgresql_where=sa.text(PENDING_DIGEST))


def downgrade() -> None:
    with op.batch_alter_table("digest_items", schema=None) as batch_op:
        batch_op.drop_index("ix_digest_items_pending", sqlite_where=sa.text(PENDING_DIGEST),
                            postgresql_where=sa.text(PENDING_DIGEST))
    op.drop_table("digest_items")
    op.drop_table("sent_reminders")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("html_body")
        batch_op.drop_column("kind")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("last_signed_in_at")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("workflow_version")
        batch_op.drop_column("workflow_name")
