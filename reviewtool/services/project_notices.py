"""The notifications a project's life sends: who is told what, with the link to where they act.

Proposers are told about rounds in figures only: no reviewer's name, letter or address is
ever passed in here for them (tests/integration/test_notification_kinds.py reads every kind
as every recipient)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reviewtool.models import Assignment, Project, ReviewRound
from reviewtool.services.notifications import Note, notify

# A move into one of these states tells the proposer (and, for a pilot, its builders).
STATE_NOTICES = {"revision": "safeguards_requested", "pilot": "pilot_started",
                 "go": "decision_made", "no_go": "decision_made"}
DECISION_WORDS = {"go": "go", "no_go": "no-go"}


def _title(project: Project) -> str:
    return project.current_revision.title


def reviewer_assigned(session: Session, project: Project, assignment: Assignment,
                      review_round: ReviewRound) -> None:
    """Ask the reviewer for their review (again, after a resubmission)."""
    title = _title(project)
    again = (" again, to see whether its safeguards answer your concerns"
             if review_round.number > 1 else "")
    notify(session, [assignment.reviewer], Note(
        "review_assigned", f"Please review: {title}",
        [f"You are asked to review '{title}'{again} (round {review_round.number}) by "
         f"{assignment.due_on.isoformat()}.",
         "If you have a conflict of interest, declare it on the project page and you will be "
         "withdrawn."],
        f"/projects/{project.id}/review", "Write your review", project.id))


def round_closed(session: Session, project: Project, review_round: ReviewRound) -> None:
    """Tell the proposer the round's figures (anonymised: counts and shares only)."""
    title, figures = _title(project), review_round.figures
    concern = figures["concern_pct"]
    notify(session, [project.owner], Note(
        "round_closed", f"Review round {review_round.number} closed: {title}",
        [f"Round {review_round.number} of the review of '{title}' has closed with "
         f"{figures['n_reviews']} reviews; concern "
         f"{'n/a' if concern is None else f'{concern}%'}.",
         "The figures and the reviewers' anonymised rationales are on the project page."],
        f"/projects/{project.id}", "See the figures", project.id))


def after_move(session: Session, project: Project, to_state: str, comment: str) -> None:
    """Tell the people a move concerns (called by services.transitions.fire after effects)."""
    kind = STATE_NOTICES.get(to_state)
    if kind is None:
        return
    title = _title(project)
    notes: dict[str, tuple[list[Any], Note]] = {
        "safeguards_requested": ([project.owner], Note(
            kind, f"Safeguards requested: {title}",
            [f"The grantmaker asks you to revise '{title}' with safeguards against the "
             "concerns the reviewers raised.", "Each concern flagged in the last round needs "
             "a safeguard before you resubmit."],
            f"/projects/{project.id}/safeguards", "Add safeguards", project.id)),
        "decision_made": ([project.owner], Note(
            kind, f"Decision on {title}: {DECISION_WORDS.get(to_state, to_state)}",
            [f"The grantmaker decided {DECISION_WORDS.get(to_state, to_state)} on '{title}'.",
             f"Their rationale: {comment}" if comment else "The memo gives the rationale."],
            f"/projects/{project.id}", "Read the decision", project.id)),
    }
    if kind == "pilot_started":
        pilot = project.pilot
        builders = list(pilot.builders) if pilot is not None else []
        dates = (f" It runs from {pilot.starts_on.isoformat()} to {pilot.ends_on.isoformat()}."
                 if pilot is not None else "")
        notes[kind] = ([project.owner, *builders], Note(
            kind, f"Pilot started: {title}",
            [f"The pilot of '{title}' has started; its plan is frozen.{dates}",
             "Observations and incidents are recorded on the pilot page."],
            f"/projects/{project.id}/pilot", "Open the pilot", project.id))
    users, note = notes[kind]
    notify(session, {u.id: u for u in users}.values(), note)
