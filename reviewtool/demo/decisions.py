"""Demo projects past the decision (demo.py calls load_decisions): one decided `go` after a
pilot, with conditions and a re-review date, and one stopped with `no_go` from review. Each
carries the memo stored when it was decided. Created once each (by owner and title)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.demo.data import (
    GRANTMAKER,
    HACKATHON,
    HACKATHON_REVIEWS,
    HACKATHON_RISKS,
    REVIEWERS,
    STUDY_GROUP,
    STUDY_GROUP_REVIEWS,
    STUDY_GROUP_RISKS,
)
from reviewtool.models import Project, Revision, User
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.pilot_records import record_observation
from reviewtool.services.proposals import create_project
from reviewtool.services.reviews import assign_reviewer, submit_review
from reviewtool.services.risks import replace_risk_model
from reviewtool.services.transitions import fire
from reviewtool.workflow import Workflow

READING_GROUP: dict[str, Any] = {
    **STUDY_GROUP, "title": "Alignment reading group for Nairobi engineers",
    "summary": "An eight-week evening reading group on **alignment research agendas** for "
               "working software engineers, ending with a short written review per member.",
    "location": "Nairobi", "budget": "USD 3,200"}
READING_PILOT: dict[str, Any] = {
    "builder": "bea@safetycommons.example", "budget": "USD 800 for the first four weeks",
    "criteria": [
        {"kind": "success", "outcome": "contributors", "metric": "Members attending week 4",
         "comparator": ">=", "target": 8, "unit": "people",
         "measurement": "Sign-in sheet of the fourth session"},
        {"kind": "kill", "outcome": "participant_harm",
         "metric": "Members reporting an unmanageable workload", "comparator": ">=",
         "target": 3, "unit": "people", "measurement": "Anonymous survey after week 3"}],
    # (criterion index, value, days ago, note)
    "observations": [(0, 11, 5, "Eleven of fourteen came to the fourth session."),
                     (1, 1, 4, "One member asked for lighter reading in week 2.")]}
GO_RATIONALE = ("The pilot kept eleven of fourteen members to week four with no workload "
                "alarm; the group is cheap and its one real risk is watched by the survey.")
GO_CONDITIONS = [("Repeat the anonymous workload survey at week six.", 60),
                 ("Send the list of members' written reviews to the fund.", 120)]
STREAM: dict[str, Any] = {
    **HACKATHON, "title": "Jailbreak bounty livestream",
    "summary": "A public livestream in which viewers compete to jailbreak open-weight "
               "models, with prizes for the most striking outputs."}
NO_GO_RATIONALE = ("Broadcasting working jailbreaks live cannot be undone and no safeguard "
                   "in the proposal stops it; the learning goals are met by the red-teaming "
                   "weekend instead.")


def _exists(session: Session, owner: User, title: str) -> bool:
    return session.scalar(select(Project.id).join(Revision).where(
        Project.owner_id == owner.id, Revision.title == title)) is not None


def _reviewed(session: Session, workflow: Workflow, owner: User, users: dict[str, User],
              fields: dict[str, Any], risk_model: dict[str, Any],
              reviews: dict[str, dict[str, Any]], cats: Catalogues) -> Project:
    project = create_project(session, owner, fields, cats)
    fire(session, workflow, project, "submit", actor=owner)
    replace_risk_model(session, owner, project, risk_model)
    fire(session, workflow, project, "request_review", actor=owner)
    for email in REVIEWERS:
        assign_reviewer(session, users[GRANTMAKER], project, users[email].id)
    for email, review in reviews.items():
        submit_review(session, users[email], project, {**review, "risk_scores": []})
    return project


def load_decisions(session: Session, workflow: Workflow, users: dict[str, User],
                   cats: Catalogues) -> int:
    """Add the decided demo projects that are missing; return how many were added."""
    created, today, gm = 0, date.today(), users[GRANTMAKER]
    ada, ben = users["ada@safetycommons.example"], users["ben@campusalignment.example"]
    if not _exists(session, ada, READING_GROUP["title"]):
        project = _reviewed(session, workflow, ada, users, READING_GROUP, STUDY_GROUP_RISKS,
                            STUDY_GROUP_REVIEWS, cats)
        builder = users[READING_PILOT["builder"]]
        save_plan(session, gm, project, {
            "builder_id": builder.id, "budget": READING_PILOT["budget"],
            "criteria": READING_PILOT["criteria"],
            "starts_on": (today - timedelta(days=30)).isoformat(),
            "ends_on": (today - timedelta(days=2)).isoformat()}, cats)
        fire(session, workflow, project, "start_pilot", actor=gm,
             comment="Concern is low and the plan is complete.")
        for index, value, days_ago, note in READING_PILOT["observations"]:
            record_observation(session, builder, project, {
                "criterion_id": project.pilot.criteria[index].id, "value": value,
                "note": note, "observed_on": (today - timedelta(days=days_ago)).isoformat()})
        fire(session, workflow, project, "finish_pilot", actor=builder)
        fire(session, workflow, project, "go", actor=gm, comment=GO_RATIONALE, extra={
            "conditions": [{"text": text, "due_on": (today + timedelta(days=days)).isoformat()}
                           for text, days in GO_CONDITIONS],
            "review_by": (today + timedelta(days=365)).isoformat()})
        created += 1
    if not _exists(session, ben, STREAM["title"]):
        project = _reviewed(session, workflow, ben, users, STREAM, HACKATHON_RISKS,
                            HACKATHON_REVIEWS, cats)
        fire(session, workflow, project, "no_go", actor=gm, comment=NO_GO_RATIONALE)
        created += 1
    return created
