"""A realistic demo data set: users of every role, projects across the states that exist."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Project, Revision, User
from reviewtool.services.accounts import create_user, find_user
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import create_project
from reviewtool.services.transitions import fire
from reviewtool.workflow import Workflow

DEMO_PASSWORD = "demo-password"

USERS = [
    ("ada@demo.reviewtool.org", "Ada Proposer", ["proposer"], "Safety Commons"),
    ("ben@demo.reviewtool.org", "Ben Proposer", ["proposer"], "Alignment Campus Group"),
    ("rhea@demo.reviewtool.org", "Rhea Reviewer", ["reviewer"], "Institute for Careful AI"),
    ("sam@demo.reviewtool.org", "Sam Reviewer", ["reviewer"], "Oxford Governance Lab"),
    ("tess@demo.reviewtool.org", "Tess Reviewer", ["reviewer", "proposer"], "Independent"),
    ("gus@demo.reviewtool.org", "Gus Grantmaker", ["grantmaker"], "Long Fund"),
    ("bea@demo.reviewtool.org", "Bea Builder", ["builder"], "Safety Commons"),
    ("ann@demo.reviewtool.org", "Ann Admin", ["admin"], "reviewtool"),
]

COURSE: dict[str, Any] = {
    "title": "AI-safety fundamentals course for engineers in Lagos",
    "summary": "An eight-week, cohort-based course introducing **experienced software "
               "engineers** to technical AI-safety research.\n\n- 4 cohorts of 12\n"
               "- facilitated by two alumni of an established programme\n"
               "- ends with a capstone project reviewed by a senior researcher",
    "project_type": "training_course", "work_groups": ["technical", "movement_building"],
    "activity": "start",
    "outcomes": [{"outcome": "contributors", "measure": "Participants who apply to a safety "
                  "role or fellowship within 6 months (target: 8 of 48)."},
                 {"outcome": "coordination", "measure": "Alumni who join the regional "
                  "safety Slack and attend a follow-up meeting."}],
    "roles_needed": [{"kind": "profession", "key": "education", "technical": True,
                      "commitment": "fractional", "hours_per_month": 20},
                     {"kind": "skill", "key": "curriculum_design", "technical": True,
                      "commitment": "fractional", "hours_per_month": 10}],
    "location": "Lagos and online", "budget": "USD 18,000", "timeline": "January to April 2027",
}

OUTREACH: dict[str, Any] = {
    "title": "Campus outreach campaign on AI risk",
    "summary": "A social-media and poster campaign at five universities, pointing students "
               "to reading groups.",
    "project_type": "communications", "work_groups": ["movement_building"], "activity": "scale",
    "outcomes": [{"outcome": "contributors", "measure": "Sign-ups to reading groups."}],
    "roles_needed": [{"kind": "profession", "key": "marketing_communications",
                      "technical": False, "commitment": "fractional", "hours_per_month": 40}],
    "location": "Five UK universities", "budget": "GBP 9,000", "timeline": "Spring term",
}

MENTORING_DRAFT: dict[str, Any] = {
    "title": "Mentoring scheme for policy researchers",
    "summary": "Pairing early-career policy researchers with senior mentors.",
    "project_type": "fellowship_mentoring", "work_groups": ["governance"],
}

RETREAT: dict[str, Any] = {**MENTORING_DRAFT, "title": "Founders' retreat (withdrawn)",
                           "project_type": "events", "activity": "start",
                           "outcomes": [{"outcome": "coordination", "measure": "Follow-ups."}],
                           "roles_needed": [{"kind": "skill", "key": "facilitation",
                                             "technical": False, "commitment": "fractional",
                                             "hours_per_month": 12}]}

# (owner email, fields, triggers to fire in order)
PROJECTS = [
    ("ada@demo.reviewtool.org", COURSE, ["submit"]),
    ("ben@demo.reviewtool.org", OUTREACH, ["submit"]),
    ("ada@demo.reviewtool.org", MENTORING_DRAFT, []),
    ("tess@demo.reviewtool.org", RETREAT, ["submit", "withdraw"]),
]


def _ensure_user(session: Session, email: str, name: str, roles: list[str], org: str) -> User:
    return find_user(session, email) or create_user(
        session, email=email, password=DEMO_PASSWORD, roles=roles, name=name, organisation=org)


def load_demo(session: Session, workflow: Workflow) -> str:
    """Create what is missing of the demo set; return a one-line summary."""
    users = {email: _ensure_user(session, email, name, roles, org)
             for email, name, roles, org in USERS}
    cats = load_catalogues(session)
    created = 0
    for email, fields, triggers in PROJECTS:
        owner = users[email]
        exists = session.scalar(select(Project.id).join(Revision)
                                .where(Project.owner_id == owner.id,
                                       Revision.title == fields["title"]))
        if exists:
            continue
        project = create_project(session, owner, fields, cats)
        for trigger in triggers:
            fire(session, workflow, project, trigger, actor=owner,
                 comment="Withdrawn: merged into a larger event." if trigger == "withdraw"
                 else "")
        created += 1
    return (f"Demo data ready: {len(users)} users (password '{DEMO_PASSWORD}'), "
            f"{created} projects added. Sign in as ada@demo.reviewtool.org.")
