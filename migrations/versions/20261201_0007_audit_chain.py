"""audit chain: hashes on transition events, account events, no deletes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:00:00
"""

import hashlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Refuses every UPDATE and DELETE of an audit row on PostgreSQL, whoever asks (the app's own
# role included); a superuser can still drop the trigger, which leaves a trace in the catalog.
REFUSE = """
CREATE OR REPLACE FUNCTION reviewtool_refuse_audit_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events cannot be changed or deleted (table %)', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""
TABLES = ("transition_events", "account_events")


def _hash(previous, content):
    # The same canonical form as reviewtool.models.audit.event_hash, frozen here so that this
    # migration keeps meaning what it meant.
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous or ''}\n{canonical}".encode()).hexdigest()


def _chain_existing_transition_events() -> None:
    bind = op.get_bind()
    events = sa.table("transition_events", sa.column("id"), sa.column("project_id"),
                      sa.column("actor_id"), sa.column("at", sa.DateTime(timezone=True)),
                      sa.column("from_state"), sa.column("to_state"), sa.column("trigger"),
                      sa.column("comment"), sa.column("override_rationale"),
                      sa.column("prev_sha256"), sa.column("sha256"))
    previous = None
    for row in bind.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        at = row["at"]  # as the model reads it: aware, in UTC (SQLite drops the zone)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        content = {"project_id": row["project_id"], "actor_id": row["actor_id"],
                   "at": at.isoformat(), "from": row["from_state"], "to": row["to_state"],
                   "trigger": row["trigger"], "comment": row["comment"] or "",
                   "override_rationale": row["override_rationale"]}
        digest = _hash(previous, content)
        bind.execute(events.update().where(events.c.id == row["id"])
                     .values(prev_sha256=previous, sha256=digest))
        previous = digest


def upgrade() -> None:
    with op.batch_alter_table("transition_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch_op.drop_constraint("fk_transition_events_project_id_projects", type_="foreignkey")
        batch_op.create_foreign_key("fk_transition_events_project_id_projects", "projects",
                                    ["project_id"], ["id"], ondelete="RESTRICT")
        batch_op.create_index(batch_op.f("ix_transition_events_actor_id"), ["actor_id"])
        batch_op.create_index(batch_op.f("ix_transition_events_at"), ["at"])
    _chain_existing_transition_events()
    with op.batch_alter_table("transition_events", schema=None) as batch_op:
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)

    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_sha256", sa.String(length=64), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_account_events_user_id_users")),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name=op.f("fk_account_events_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_events")),
    )
    with op.batch_alter_table("account_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_events_at"), ["at"])
        batch_op.create_index(batch_op.f("ix_account_events_kind"), ["kind"])
        batch_op.create_index(batch_op.f("ix_account_events_user_id"), ["user_id"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(REFUSE)
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION reviewtool_refuse_audit_change()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS reviewtool_refuse_audit_change()")
    with op.batch_alter_table("account_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_events_user_id"))
        batch_op.drop_index(batch_op.f("ix_account_events_kind"))
        batch_op.drop_index(batch_op.f("ix_account_events_at"))
    op.drop_table("account_events")
    with op.batch_alter_table("transition_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transition_events_at"))
        batch_op.drop_index(batch_op.f("ix_transition_events_actor_id"))
        batch_op.drop_constraint("fk_transition_events_project_id_projects", type_="foreignkey")
        batch_op.create_foreign_key("fk_transition_events_project_id_projects", "projects",
                                    ["project_id"], ["id"], ondelete="CASCADE")
        batch_op.drop_column("sha256")
        batch_op.drop_column("prev_sha256")
