"""Revisions, diffs between them, and the trajectory of the figures across rounds."""

from __future__ import annotations

from flask import request

from reviewtool import db
from reviewtool.api.pipeline import bp, json_body
from reviewtool.errors import Invalid
from reviewtool.http.pipeline import actor, project_route
from reviewtool.models import Project
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.diffs import revision_diff
from reviewtool.services.read.revisions import find_revision, revision_json
from reviewtool.services.read.trajectory import trajectory_view
from reviewtool.services.revisions import save_revision


@bp.get("/projects/<int:project_id>/revisions")
@project_route()
def list_revisions(project: Project):
    """Every revision of the project, oldest first (submitted ones as frozen snapshots)."""
    return [revision_json(r) for r in project.revisions]


@bp.get("/projects/<int:project_id>/revisions/<int:number>")
@project_route()
def get_revision(project: Project, number: int):
    """One revision."""
    return revision_json(find_revision(project, number))


@bp.post("/projects/<int:project_id>/revisions")
@project_route()
def post_revision(project: Project):
    """Write the new revision (owner, in state revision): fields to change and `safeguards`."""
    session = db.session()
    revision = save_revision(session, actor(), project, json_body(), load_catalogues(session))
    return revision_json(revision), 201


@bp.get("/projects/<int:project_id>/diff")
@project_route()
def diff(project: Project):
    """Word-level differences between revisions `from` and `to` (default: the last two)."""
    numbers = [r.number for r in project.revisions]
    try:
        new = int(request.args.get("to", numbers[-1]))
        old = int(request.args.get("from", max(numbers[0], new - 1)))
    except ValueError:
        raise Invalid("from and to should be revision numbers.") from None
    return revision_diff(find_revision(project, old), find_revision(project, new),
                         load_catalogues(db.session()))


@bp.get("/projects/<int:project_id>/trajectory")
@project_route()
def trajectory(project: Project):
    """Figures per round; for grantmakers also how each reviewer's view moved."""
    view = trajectory_view(db.session(), project, actor())
    keys = ("number", "status", "n_reviews", "concern_pct", "weighted_concern_pct",
            "optimism_pct", "categories")
    body = {"rounds": [{k: r[k] for k in keys} for r in view.rounds]}
    if view.reviewers is not None:
        body["reviewers"] = view.reviewers
    return body
