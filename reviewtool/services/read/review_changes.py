"""For a reviewer in a later round: what changed since the revision they last reviewed, and
their own previous review, shown beside the review form."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reviewtool.models import Project, User
from reviewtool.models.round_reads import project_rounds
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.diffs import changed_words, revision_diff
from reviewtool.services.read.labels import category_labels, risk_texts
from reviewtool.services.reviews import review_snapshot


def changes_since_last_review(session: Session, reviewer: User, project: Project,
                              cats: Catalogues) -> dict[str, Any] | None:
    """For a reviewer in a later round: the diff since the revision they last reviewed, and
    their own previous review; None when they have not reviewed this project before."""
    rounds = project_rounds(session, project.id)
    current = next((r for r in rounds if r.status == "open"), None)
    if current is None:
        return None
    earlier = [(r, a) for r in rounds if r.number < current.number for a in r.assignments
               if a.reviewer_id == reviewer.id and a.review is not None]
    if not earlier:
        return None
    last_round, assignment = earlier[-1]
    by_id = {r.id: r for r in project.revisions}
    diff = revision_diff(by_id[last_round.revision_id], by_id[current.revision_id], cats)
    return {"round": last_round.number, "diff": diff, "words": changed_words(diff),
            "previous_review": review_snapshot(assignment.review)}


def changes_context(session: Session, user: User, project: Project) -> dict | None:
    """What templates/revisions/_changes_since.html shows a reviewer in a later round: each
    changed section's inserted and removed words, and their own previous review; None when
    they have not reviewed this project before."""
    cats = load_catalogues(session)
    changes = changes_since_last_review(session, user, project, cats)
    if changes is None:
        return None
    sections = [{**s, **changed_words({"sections": [s]})}
                for s in changes["diff"]["sections"] if s["changed"]]
    return {**changes, "sections": sections,
            "labels": category_labels(session, cats, project),
            "risk_text": risk_texts(session, project)}
