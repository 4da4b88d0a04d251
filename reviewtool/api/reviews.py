"""Reviewers, reviews, rounds and conflicts of interest."""

from __future__ import annotations

from datetime import date

from reviewtool import db
from reviewtool.api.pipeline import bp, json_body, str_arg
from reviewtool.errors import Invalid
from reviewtool.http.pipeline import actor, project_route
from reviewtool.models import Project
from reviewtool.services import reviews
from reviewtool.services.read.rounds import rounds_view
from reviewtool.services.rounds import require_open_round


def _due_on(data: dict) -> date | None:
    raw = data.get("due_on")
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise Invalid(problems=[{"field": "due_on", "message": "due_on should be a date like "
                             "2027-01-31."}])


@bp.get("/projects/<int:project_id>/reviewers")
@project_route("steward")
def list_reviewers(project: Project):
    """Reviewer candidates for the open round (grantmakers): load and any conflict, by q."""
    return reviews.reviewer_candidates(db.session(), project, str_arg("q"))


@bp.post("/projects/<int:project_id>/reviewers")
@project_route("steward")
def assign(project: Project):
    """Assign a reviewer to the open round: {"user_id", "due_on"?}; 409 on a conflict."""
    session = db.session()
    require_open_round(session, project)  # 409 before any 422 about the body (CONTRACT.md)
    data = json_body()
    assignment = reviews.assign_reviewer(session, actor(), project, data.get("user_id"),
                                         due_on=_due_on(data))
    return {"round": assignment.round.number, "user_id": assignment.reviewer_id,
            "letter": assignment.letter, "due_on": assignment.due_on.isoformat()}, 201


@bp.delete("/projects/<int:project_id>/reviewers/<int:user_id>")
@project_route("steward")
def unassign(project: Project, user_id: int):
    """Take a reviewer off the open round (grantmakers), unless they already reviewed."""
    reviews.unassign_reviewer(db.session(), actor(), project, user_id)
    return "", 204


@bp.post("/projects/<int:project_id>/reviews")
@project_route()
def submit_review(project: Project):
    """Submit (201) or edit (200) the caller's review in the open round."""
    review = reviews.submit_review(db.session(), actor(), project, json_body())
    return {"round": review.assignment.round.number, "version": review.version,
            **reviews.review_snapshot(review)}, 201 if review.version == 1 else 200


@bp.get("/projects/<int:project_id>/rounds")
@project_route()
def rounds(project: Project):
    """Each round with its figures; what else shows depends on who asks."""
    return rounds_view(db.session(), project, actor())


@bp.post("/projects/<int:project_id>/conflicts")
@project_route()
def declare_conflict(project: Project):
    """Declare a conflict of interest with the project: {"kind", "note"?}; withdraws you."""
    data = json_body()
    declaration = reviews.declare_conflict(db.session(), actor(), project, data.get("kind"),
                                           data.get("note", ""))
    return {"kind": declaration.kind, "note": declaration.note}, 201
