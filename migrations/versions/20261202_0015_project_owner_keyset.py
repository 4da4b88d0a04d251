"""keyset pagination of the project list: an index of (owner_id, updated_at, id)

The project list reads one page by seeking in (updated_at, id) order (ix_projects_updated_at_id,
migration 0010, already serves the whole list); "my projects" filters by owner too, so the
single-column owner index of the initial schema becomes a composite one whose leading column
still serves every lookup by owner.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 15:00:00
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_projects_owner_updated_at_id", "projects",
                    ["owner_id", "updated_at", "id"])
    op.drop_index("ix_projects_owner_id", table_name="projects")


def downgrade() -> None:
    op.create_index("ix_projects_owner_id", "projects", ["owner_id"])
    op.drop_index("ix_projects_owner_updated_at_id", table_name="projects")
