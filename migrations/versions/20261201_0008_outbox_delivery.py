"""outbox delivery by workers: attempts, back-off, give-up, and the SQLite worker lease

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PENDING = "sent_at IS NULL AND failed_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default=sa.text("0"),
                                      nullable=False))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
    # Messages queued before workers existed were never sent: they are due from when they were
    # queued, so the first worker delivers them oldest first.
    op.execute("UPDATE outbox SET next_attempt_at = created_at")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("next_attempt_at", existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.create_index("ix_outbox_due", ["next_attempt_at", "id"], unique=False,
                              sqlite_where=sa.text(PENDING), postgresql_where=sa.text(PENDING))

    op.create_table(
        "worker_leases",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_worker_leases")),
    )


def downgrade() -> None:
    op.drop_table("worker_leases")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due", sqlite_where=sa.text(PENDING),
                            postgresql_where=sa.text(PENDING))
        batch_op.drop_column("failed_at")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")
