"""an index of transition_events by (trigger, project_id)

A grantmaker sees a withdrawn project only if it was submitted once (a submit event). On every
list and page PostgreSQL answers that by hashing every submit event; without an index it read
the whole table of events to find them (12 ms at 10,000 projects, on each request), with this
one it reads the index alone (about 1 ms).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 18:30:00
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_transition_events_trigger_project", "transition_events",
                    ["trigger", "project_id"])


def downgrade() -> None:
    op.drop_index("ix_transition_events_trigger_project", table_name="transition_events")
