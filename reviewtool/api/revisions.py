"""Revisions, diffs between them, and the trajectory of the figures across rounds."""

from __future__ import annotations

import json

from flask import request

from reviewtool import db
from reviewtool.api import bp, commit, current_user, json_body
from reviewtool.errors import Invalid, NotFound
from reviewtool.models import Project, Revision
from reviewtool.permissions import OVERSIGHT_ROLES, is_owner, load_project
from reviewtool.services import reviews
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.diffs import revision_diff
from reviewtool.services.revisions import content, save_revision
from reviewtool.services.round_view import reviewer_movement, rounds_view


def _revision_json(revision: Revision) -> dict:
    """A revision: its frozen snapshot once submitted, else its live draft content."""
    body = json.loads(revision.snapshot) if revision.snapshot else content(revision)
    body.pop("number", None)
    return {"number": revision.number, "is_current": revision.is_current,
            "submitted_at": revision.submitted_at.isoformat().replace("+00:00", "Z")
            if revision.submitted_at else None,
            "snapshot_sha256": revision.snapshot_sha256, **body}


def _revision(project: Project, number: int) -> Revision:
    found = next((r for r in project.revisions if r.number == number), None)
    if found is None:
        raise NotFound(f"Project {project.id} has no revision {number}.")
    return found


@bp.get("/projects/<int:project_id>/revisions")
def list_revisions(project_id: int):
    """Every revision of the project, oldest first (submitted ones as frozen snapshots)."""
    project = load_project(db.session(), current_user(), project_id)
    return [_revision_json(r) for r in project.revisions]


@bp.get("/projects/<int:project_id>/revisions/<int:number>")
def get_revision(project_id: int, number: int):
    """One revision."""
    project = load_project(db.session(), current_user(), project_id)
    return _revision_json(_revision(project, number))


@bp.post("/projects/<int:project_id>/revisions")
def post_revision(project_id: int):
    """Write the new revision (owner, in state revision): fields to change and `safeguards`."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    revision = save_revision(session, current_user(), project, json_body(),
                             load_catalogues(session))
    commit()
    return _revision_json(revision), 201


@bp.get("/projects/<int:project_id>/diff")
def diff(project_id: int):
    """Word-level differences between revisions `from` and `to` (default: the last two)."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    numbers = [r.number for r in project.revisions]
    try:
        new = int(request.args.get("to", numbers[-1]))
        old = int(request.args.get("from", max(numbers[0], new - 1)))
    except ValueError:
        raise Invalid("from and to should be revision numbers.") from None
    return revision_diff(_revision(project, old), _revision(project, new),
                         load_catalogues(session))


@bp.get("/projects/<int:project_id>/trajectory")
def trajectory(project_id: int):
    """Figures per round; for grantmakers also how each reviewer's view moved."""
    session = db.session()
    user = current_user()
    project = load_project(session, user, project_id)
    keys = ("number", "status", "n_reviews", "concern_pct", "weighted_concern_pct",
            "optimism_pct", "categories")
    body = {"rounds": [{k: r[k] for k in keys} for r in rounds_view(session, project, user)]}
    if user.has_role(*OVERSIGHT_ROLES) and not is_owner(user, project):
        body["reviewers"] = reviewer_movement(session, project)
    return body


@bp.delete("/projects/<int:project_id>/reviewers/<int:user_id>")
def unassign(project_id: int, user_id: int):
    """Take a reviewer off the open round (grantmakers), unless they already reviewed."""
    session = db.session()
    project = load_project(session, current_user(), project_id)
    reviews.unassign_reviewer(session, current_user(), project, user_id)
    commit()
    return "", 204
