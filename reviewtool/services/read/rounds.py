"""Review rounds as each viewer may see them: one module decides what is shown to whom.

Grantmakers and admins see everything with names; an assigned reviewer sees their own
assignment and, once they have submitted in a round, the others' reviews under round-local
letters; the proposer sees figures and anonymised reviews, never a reviewer's name, e-mail or
id; a user who declared a conflict sees nothing at all (not even counts). The memo, the pages
and the API all take their anonymised reviews from `review_entry`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reviewtool.models import Assignment, Project, Review, ReviewRound, User
from reviewtool.models.round_reads import project_rounds
from reviewtool.permissions import can, is_owner, require
from reviewtool.services.read.normalised import NOTE, normalised_rows, reviewer_offsets
from reviewtool.services.rounds import round_figures


def iso(value: Any) -> str | None:
    """A datetime as ISO 8601 in UTC ('Z'), or None."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def review_entry(review: Review, letter: str, *, full: bool = False) -> dict[str, Any]:
    """One review, anonymised: the reviewer is a round-local letter, never a name.

    `full` adds what could help identify a reviewer (expertise, dates, version), which stays
    with grantmakers and reviewers."""
    shown = {"letter": letter, "reviewer": f"Reviewer {letter}", "stance": review.stance,
             "net_negative": review.net_negative, "rationale": review.rationale,
             "concern_categories": list(review.concern_categories),
             "suggested_safeguards": list(review.suggested_safeguards),
             "risk_scores": list(review.risk_scores), "confidence": review.confidence}
    if full:
        shown.update({"expertise": review.expertise, "version": review.version,
                      "submitted_at": iso(review.submitted_at),
                      "updated_at": iso(review.updated_at)})
    return shown


def _assignment(assignment: Assignment, *, named: bool) -> dict[str, Any]:
    row = {"letter": assignment.letter, "reviewer": f"Reviewer {assignment.letter}",
           "due_on": assignment.due_on.isoformat() if assignment.due_on else None,
           "status": "withdrawn" if assignment.withdrawn_at else
                     ("submitted" if assignment.review else "pending")}
    if named:
        user = assignment.reviewer
        row["user"] = {"id": user.id, "name": user.name, "email": user.email}
    return row


def _live(review_round: ReviewRound) -> list[Assignment]:
    """Assignments of reviewers who did not withdraw, by letter."""
    return sorted((a for a in review_round.assignments if a.withdrawn_at is None),
                  key=lambda a: (len(a.letter), a.letter))


def _round_head(session: Session, project: Project, review_round: ReviewRound) -> dict[str, Any]:
    return {"number": review_round.number, "status": review_round.status,
            "revision": next(r.number for r in project.revisions
                             if r.id == review_round.revision_id),
            "opened_at": iso(review_round.opened_at), "closed_at": iso(review_round.closed_at),
            **round_figures(session, review_round, project)}


def public_rounds(session: Session, project: Project) -> list[dict[str, Any]]:
    """Every round as the proposer (and the memo) sees it: figures and anonymised reviews."""
    return [{**_round_head(session, project, r),
             "reviews": [review_entry(a.review, a.letter) for a in _live(r) if a.review]}
            for r in project_rounds(session, project.id)]


def rounds_view(session: Session, project: Project, viewer: User) -> list[dict[str, Any]]:
    """Every round of the project, oldest first, as `viewer` may see it."""
    require(viewer, "see_reviews", project)
    if is_owner(viewer, project):
        return public_rounds(session, project)
    named = can(viewer, "see_reviewers", project)
    # Reviewers' offsets (harsh or lenient) over the whole panel: for those who see names.
    rounds = project_rounds(session, project.id)
    offsets = reviewer_offsets(session, {a.reviewer_id for r in rounds
                                         for a in r.assignments}) if named else {}
    result = []
    for review_round in rounds:
        entry = _round_head(session, project, review_round)
        live = _live(review_round)
        if named:
            entry["assignments"] = [_assignment(a, named=True) for a in review_round.assignments]
            entry["reviews"] = [review_entry(a.review, a.letter, full=True)
                                for a in live if a.review]
            entry["normalised"] = {"note": NOTE,
                                   "risks": normalised_rows(review_round, offsets)}
        else:
            # A reviewer: others' views (and the figures made of them) only once their own
            # review of that round is in, so that they review independently.
            mine = next((a for a in review_round.assignments if a.reviewer_id == viewer.id),
                        None)
            entry["assignments"] = [_assignment(mine, named=False)] if mine else []
            entry["my_letter"] = mine.letter if mine else None
            if mine is None or mine.review is None:
                figures = round_figures(session, review_round, project)
                entry.update({key: None for key in figures if key != "n_reviews"})
                entry["figures_hidden"] = True
            entry["reviews"] = [review_entry(a.review, a.letter, full=True) for a in live
                                if a.review and (a is mine or (mine and mine.review))]
        result.append(entry)
    return result


def reviewer_movement(session: Session, project: Project) -> list[dict[str, Any]]:
    """For those who may see reviewers: how each one's view moved from round to round."""
    people: dict[int, dict[str, Any]] = {}
    for review_round in project_rounds(session, project.id):
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
