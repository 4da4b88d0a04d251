"""A realistic demo data set: users of every role, projects across the states that exist."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Project, Revision, User
from reviewtool.services.accounts import create_user, find_user
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import create_project
from reviewtool.services.risks import replace_risk_model
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

def _risk(category: str, description: str, l_s: tuple[int, int], residual: tuple[int, int],
          mitigation: str = "", reversibility: str = "reversible", pilot: str = "yes",
          knowledge: str = "medium") -> dict[str, Any]:
    return {"category": category, "description": description, "likelihood": l_s[0],
            "severity": l_s[1], "residual_likelihood": residual[0],
            "residual_severity": residual[1], "mitigation": mitigation,
            "reversibility": reversibility, "pilot_reveals": pilot, "knowledge": knowledge}


COURSE_RISKS: dict[str, Any] = {
    "risks": [
        _risk("reputational_harm", "A poorly run cohort is seen as amateurish by local labs.",
              (2, 3), (1, 3), "Facilitators trained by an established programme."),
        _risk("capabilities", "Graduates move into capabilities work at local AI start-ups.",
              (3, 4), (2, 4), "Selection interviews on motivation; alumni follow-up.",
              reversibility="hard_to_reverse", pilot="partly", knowledge="low"),
        _risk("participant_harm", "Capstone workload burns out participants with day jobs.",
              (2, 2), (1, 2), "Capstone is optional and capped at 20 hours."),
        _risk("low_fidelity", "Simplified course material distorts key arguments.",
              (3, 3), (2, 3), "Curriculum reviewed by a senior researcher.", pilot="partly"),
    ],
    "not_applicable": [
        {"category": "displacement", "reason": "No comparable course runs in West Africa."},
        {"category": "info_hazard", "reason": "Only published, introductory material is used."},
        {"category": "coordination_harm", "reason": "Run together with the regional network."},
    ],
}

# Incomplete on purpose: three categories missing, and reputational harm marked not
# applicable although the project needs marketing, a risky profession.
OUTREACH_RISKS: dict[str, Any] = {
    "risks": [
        _risk("low_fidelity", "Slogans oversimplify AI risk into doom messaging.", (4, 4),
              (4, 4), reversibility="irreversible", pilot="partly", knowledge="low"),
        _risk("capabilities", "Recruits students into general ML rather than safety.", (2, 3),
              (2, 3)),
    ],
    "not_applicable": [
        {"category": "reputational_harm", "reason": "It is only posters."},
        {"category": "info_hazard", "reason": "Public information only."},
    ],
}

# (owner email, fields, risk model or None, triggers to fire in order)
PROJECTS = [
    ("ada@demo.reviewtool.org", COURSE, COURSE_RISKS, ["submit", "request_review"]),
    ("ben@demo.reviewtool.org", OUTREACH, OUTREACH_RISKS, ["submit"]),
    ("ada@demo.reviewtool.org", MENTORING_DRAFT, None, []),
    ("tess@demo.reviewtool.org", RETREAT, None, ["submit", "withdraw"]),
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
    for email, fields, risk_model, triggers in PROJECTS:
        owner = users[email]
        exists = session.scalar(select(Project.id).join(Revision)
                                .where(Project.owner_id == owner.id,
                                       Revision.title == fields["title"]))
        if exists:
            continue
        project = create_project(session, owner, fields, cats)
        for trigger in triggers:
            if trigger == "request_review":
                replace_risk_model(session, owner, project, risk_model)
            fire(session, workflow, project, trigger, actor=owner,
                 comment="Withdrawn: merged into a larger event." if trigger == "withdraw"
                 else "")
        if risk_model is not None and project.state == "risk_model":
            replace_risk_model(session, owner, project, risk_model)
        created += 1
    return (f"Demo data ready: {len(users)} users (password '{DEMO_PASSWORD}'), "
            f"{created} projects added. Sign in as ada@demo.reviewtool.org.")
