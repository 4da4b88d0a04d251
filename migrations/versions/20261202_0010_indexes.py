"""indexes for the lists' filters and sorts (issue 13: flat at 10,000 projects)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 06:00:00
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# (name, table, columns): every project list sorts by (updated_at, id), filtered by state or
# not; the reviewer's dashboard sorts their assignments by due date; the project page reads
# the newest decision and each revision's reviews.
INDEXES = (
    ("ix_projects_updated_at_id", "projects", ["updated_at", "id"]),
    ("ix_projects_state_updated_at", "projects", ["state", "updated_at"]),
    ("ix_assignments_reviewer_due_on", "assignments", ["reviewer_id", "due_on"]),
    ("ix_reviews_revision_id", "reviews", ["revision_id"]),
    ("ix_decisions_project_decided_at", "decisions", ["project_id", "decided_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
