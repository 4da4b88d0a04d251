"""review score totals: each review's sum and count of likelihood x severity scores

Kept by the Review model whenever risk_scores is set, so that the reviewers' offsets (the
normalised risk scores) are one GROUP BY over integers, not a read of every review's JSON;
two covering indexes let that GROUP BY read indexes only. And an index of the current
revisions by project type, for the type context (a project against the median of its type).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("score_total", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("score_count", sa.Integer(), nullable=False,
                                   server_default="0"))
    reviews = sa.table("reviews", sa.column("id", sa.Integer), sa.column("risk_scores", sa.JSON),
                       sa.column("score_total", sa.Integer),
                       sa.column("score_count", sa.Integer))
    conn = op.get_bind()
    last = 0
    while True:  # in batches, so a large table is not held in memory at once
        rows = conn.execute(sa.select(reviews.c.id, reviews.c.risk_scores)
                            .where(reviews.c.id > last).order_by(reviews.c.id)
                            .limit(BATCH)).all()
        if not rows:
            break
        for review_id, scores in rows:
            if scores:
                conn.execute(reviews.update().where(reviews.c.id == review_id).values(
                    score_total=sum(s["likelihood"] * s["severity"] for s in scores),
                    score_count=len(scores)))
        last = rows[-1][0]
    op.create_index("ix_reviews_assignment_scores", "reviews",
                    ["assignment_id", "score_total", "score_count"])
    op.create_index("ix_assignments_live_reviewer", "assignments",
                    ["withdrawn_at", "reviewer_id", "id"])
    op.create_index("ix_revisions_type_current", "revisions",
                    ["project_type", "is_current", "project_id"])


def downgrade() -> None:
    op.drop_index("ix_revisions_type_current", "revisions")
    op.drop_index("ix_assignments_live_reviewer", "assignments")
    op.drop_index("ix_reviews_assignment_scores", "reviews")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("score_count")
        batch.drop_column("score_total")
