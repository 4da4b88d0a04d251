"""Review rounds as each viewer may see them: one function decides what is shown to whom.

Grantmakers and admins see everything with names; an assigned reviewer sees their own
assignment and, once they have submitted in a round, the others' reviews under round-local
letters; the proposer sees figures and anonymised reviews, never a reviewer's name, e-mail or
id; a user who declared a conflict sees nothing at all (not even counts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reviewtool.errors import Forbidden
from reviewtool.models import Assignment, Project, Review, User
from reviewtool.permissions import OVERSIGHT_ROLES, has_conflict, is_owner
from reviewtool.services.reviews import project_rounds
from reviewtool.services.rounds import round_figures


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _review(review: Review, letter: str, *, full: bool) -> dict[str, Any]:
    shown = {"reviewer": f"Reviewer {letter}", "stance": review.stance,
             "net_negative": review.net_negative, "rationale": review.rationale,
             "concern_categories": list(review.concern_categories),
             "suggested_safeguards": list(review.suggested_safeguards),
             "risk_scores": list(review.risk_scores), "confidence": review.confidence}
    if full:  # details that could help identify a reviewer stay with grantmakers and reviewers
        shown.update({"expertise": review.expertise, "version": review.version,
                      "submitted_at": _iso(review.submitted_at),
                      "updated_at": _iso(review.updated_at)})
    return shown


def _assignment(assignment: Assignment, *, named: bool) -> dict[str, Any]:
    row = {"reviewer": f"Reviewer {assignment.letter}",
           "due_on": assignment.due_on.isoformat() if assignment.due_on else None,
           "status": "withdrawn" if assignment.withdrawn_at else
                     ("submitted" if assignment.review else "pending")}
    if named:
        user = assignment.reviewer
        row["user"] = {"id": user.id, "name": user.name, "email": user.email}
    return row


def rounds_view(session: Session, project: Project, viewer: User) -> list[dict[str, Any]]:
    """Every round of the project, oldest first, as `viewer` may see it."""
    if has_conflict(viewer, project):
        raise Forbidden("You declared a conflict of interest with this project, so its reviews "
                        "are hidden from you.")
    oversight = viewer.has_role(*OVERSIGHT_ROLES) and not is_owner(viewer, project)
    result = []
    for review_round in project_rounds(session, project):
        mine = next((a for a in review_round.assignments if a.reviewer_id == viewer.id), None)
        figures = round_figures(session, review_round, project)
        entry: dict[str, Any] = {
            "number": review_round.number, "status": review_round.status,
            "revision": next(r.number for r in project.revisions
                             if r.id == review_round.revision_id),
            "opened_at": _iso(review_round.opened_at), "closed_at": _iso(review_round.closed_at),
            **figures}
        live = [a for a in review_round.assignments if a.withdrawn_at is None]
        if oversight:
            entry["assignments"] = [_assignment(a, named=True) for a in review_round.assignments]
            entry["reviews"] = [_review(a.review, a.letter, full=True) for a in live if a.review]
        elif not is_owner(viewer, project):
            # A reviewer: others' views (and the figures made of them) only once their own
            # review of that round is in, so that they review independently.
            entry["assignments"] = [_assignment(mine, named=False)] if mine else []
            entry["my_letter"] = mine.letter if mine else None
            if mine is None or mine.review is None:
                entry.update({key: None for key in figures if key != "n_reviews"})
                entry["figures_hidden"] = True
            entry["reviews"] = [_review(a.review, a.letter, full=True) for a in live
                                if a.review and (a is mine or (mine and mine.review))]
        else:
            entry["reviews"] = [_review(a.review, a.letter, full=False) for a in live
                                if a.review]
        result.append(entry)
    return result


def reviewer_movement(session: Session, project: Project) -> list[dict[str, Any]]:
    """For grantmakers: how each reviewer's view moved from round to round, with names."""
    people: dict[int, dict[str, Any]] = {}
    for review_round in project_rounds(session, project):
        for a in review_round.assignments:
            person = people.setdefault(a.reviewer_id, {
                "user": {"id": a.reviewer.id, "name": a.reviewer.name}, "rounds": []})
            review = a.review if a.withdrawn_at is None else None
            person["rounds"].append({
                "round": review_round.number, "letter": a.letter,
                "stance": review.stance if review else None,
                "net_negative": review.net_negative if review else None,
                "confidence": review.confidence if review else None})
    return list(people.values())


def changes_since_last_review(session: Session, reviewer: User, project: Project,
                              cats: Any) -> dict[str, Any] | None:
    """For a reviewer in a later round: the diff since the revision they last reviewed, and
    their own previous review; None when they have not reviewed this project before."""
    from reviewtool.services.diffs import changed_words, revision_diff
    from reviewtool.services.reviews import review_snapshot

    rounds = project_rounds(session, project)
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
