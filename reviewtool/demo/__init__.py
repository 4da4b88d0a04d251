"""Loads the demo data set (demo_data.py): users of every role, projects in every state that
exists, complete and incomplete risk models, review rounds open and closed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.demo.consultations import load_consultations
from reviewtool.demo.data import (
    DEMO_PASSWORD,
    GRANTMAKER,
    PILOT_PROJECTS,
    PROJECTS,
    REVIEWERS,
    SKIP_PILOT_RATIONALE,
    USERS,
)
from reviewtool.demo.decisions import load_decisions
from reviewtool.demo.portfolio import load_portfolio
from reviewtool.models import Project, Revision, User
from reviewtool.services.accounts import create_user, find_user
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.pilot_records import record_observation
from reviewtool.services.proposals import create_project
from reviewtool.services.reviews import assign_reviewer, submit_review
from reviewtool.services.risks import replace_risk_model
from reviewtool.services.transitions import fire
from reviewtool.workflow import Workflow


def _ensure_user(session: Session, email: str, name: str, roles: list[str], org: str) -> User:
    return find_user(session, email) or create_user(
        session, email=email, password=DEMO_PASSWORD, roles=roles, name=name, organisation=org)


def _review_round(session: Session, project: Project, users: dict[str, User],
                  reviews: dict[str, dict[str, Any]]) -> None:
    for email in REVIEWERS:
        assign_reviewer(session, users[GRANTMAKER], project, users[email].id)
    risk_ids = [r.id for r in project.current_revision.risks]
    for number, (email, review) in enumerate(reviews.items()):
        # Scores for the first risk spread from 1 to 25 across reviewers: a wide disagreement.
        score = 1 if number % 2 == 0 else 5
        scores = [{"risk_id": risk_ids[0], "likelihood": score, "severity": score}]
        submit_review(session, users[email], project, {**review, "risk_scores": scores})


def load_demo(session: Session, workflow: Workflow) -> str:
    """Create what is missing of the demo set; return a one-line summary."""
    users = {email: _ensure_user(session, email, name, roles, org)
             for email, name, roles, org in USERS}
    cats = load_catalogues(session)
    created = 0
    for email, fields, risk_model, triggers, reviews in PROJECTS:
        owner = users[email]
        exists = session.scalar(select(Project.id).join(Revision)
                                .where(Project.owner_id == owner.id,
                                       Revision.title == fields["title"]))
        if exists:
            continue
        project = create_project(session, owner, fields, cats)
        for trigger in triggers:
            actor = users[GRANTMAKER] if trigger == "request_safeguards" else owner
            if trigger == "request_review":
                replace_risk_model(session, owner, project, risk_model)
            if trigger == "request_safeguards":
                _review_round(session, project, users, reviews)
            comment = "Withdrawn: merged into a larger event." if trigger == "withdraw" else ""
            fire(session, workflow, project, trigger, actor=actor, comment=comment)
        if project.state == "risk_model" and risk_model is not None:
            replace_risk_model(session, owner, project, risk_model)
        if project.state == "review" and reviews:
            _review_round(session, project, users, reviews)
        created += 1
    created += _load_pilots(session, workflow, users, cats)
    created += load_decisions(session, workflow, users, cats)  # a go and a no-go
    created += load_portfolio(session, workflow, users, cats)  # decided and revised, to compare
    load_consultations(session, users[GRANTMAKER], users["pia@panel.example"], DEMO_PASSWORD, cats)
    return (f"Demo data ready: {len(users)} users (password '{DEMO_PASSWORD}'), "
            f"{created} projects added. Sign in as ada@safetycommons.example.")


def _load_pilots(session: Session, workflow: Workflow, users: dict[str, User],
                 cats: Catalogues) -> int:
    """Projects past review: a running pilot with observations, and one that skipped its pilot
    for a decision. Each is created once (by owner and title); returns how many were added."""
    created = 0
    for email, fields, risk_model, reviews, plan in PILOT_PROJECTS:
        owner, grantmaker = users[email], users[GRANTMAKER]
        if session.scalar(select(Project.id).join(Revision).where(
                Project.owner_id == owner.id, Revision.title == fields["title"])):
            continue
        project = create_project(session, owner, fields, cats)
        fire(session, workflow, project, "submit", actor=owner)
        replace_risk_model(session, owner, project, risk_model)
        fire(session, workflow, project, "request_review", actor=owner)
        _review_round(session, project, users, reviews)
        if plan is None:
            fire(session, workflow, project, "skip_pilot", actor=grantmaker,
                 comment=SKIP_PILOT_RATIONALE)
        else:
            _run_pilot(session, workflow, project, users, plan, cats)
        created += 1
    return created


def _run_pilot(session: Session, workflow: Workflow, project: Project, users: dict[str, User],
               plan: dict[str, Any], cats: Catalogues) -> None:
    """Write and freeze the plan (the grantmaker), then record the builder's observations."""
    today, builder = date.today(), users[plan["builder"]]
    save_plan(session, users[GRANTMAKER], project, {
        "builder_id": builder.id, "budget": plan["budget"], "criteria": plan["criteria"],
        "starts_on": (today - timedelta(days=plan["starts_days_ago"])).isoformat(),
        "ends_on": (today + timedelta(days=plan["ends_in_days"])).isoformat()}, cats)
    fire(session, workflow, project, "start_pilot", actor=users[GRANTMAKER],
         comment="Concern is low and the plan is complete: frozen as it stands.")
    for index, value, days_ago, note in plan["observations"]:
        record_observation(session, builder, project, {
            "criterion_id": project.pilot.criteria[index].id, "value": value, "note": note,
            "observed_on": (today - timedelta(days=days_ago)).isoformat()})
