"""Reviewers, reviews, rounds and conflicts of interest."""

from __future__ import annotations

from datetime import date

from reviewtool import db
from reviewtool.api import bp, commit, current_user, json_body, str_arg
from reviewtool.enums import Role
from reviewtool.errors import Invalid
from reviewtool.permissions import load_project, require_role, require_steward
from reviewtool.services import reviews
from reviewtool.services.round_view import rounds_view
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
def list_reviewers(project_id: int):
    """Reviewer candidates for the open round (grantmakers): load and any conflict, by q."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    require_steward(current_user(), project)
    return reviews.reviewer_candidates(session, project, str_arg("q"))


@bp.post("/projects/<int:project_id>/reviewers")
def assign(project_id: int):
    """Assign a reviewer to the open round: {"user_id", "due_on"?}; 409 on a conflict."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    # 403, then 409, before any 422 about the body (CONTRACT.md's order of refusals).
    require_role(current_user(), Role.GRANTMAKER)
    require_open_round(session, project)
    data = json_body()
    assignment = reviews.assign_reviewer(session, current_user(), project, data.get("user_id"),
                                         due_on=_due_on(data))
    commit()
    return {"round": assignment.round.number, "user_id": assignment.reviewer_id,
            "letter": assignment.letter, "due_on": assignment.due_on.isoformat()}, 201


@bp.post("/projects/<int:project_id>/reviews")
def submit_review(project_id: int):
    """Submit (201) or edit (200) the caller's review in the open round."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    review = reviews.submit_review(session, current_user(), project, json_body())
    commit()
    return {"round": review.assignment.round.number, "version": review.version,
            **reviews.review_snapshot(review)}, 201 if review.version == 1 else 200


@bp.get("/projects/<int:project_id>/rounds")
def rounds(project_id: int):
    """Each round with its figures; what else shows depends on who asks."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    return rounds_view(session, project, current_user())


@bp.post("/projects/<int:project_id>/conflicts")
def declare_conflict(project_id: int):
    """Declare a conflict of interest with the project: {"kind", "note"?}; withdraws you."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    data = json_body()
    declaration = reviews.declare_conflict(session, current_user(), project, data.get("kind"),
                                           data.get("note", ""))
    commit()
    return {"kind": declaration.kind, "note": declaration.note}, 201
