"""Demo projects for the portfolio (demo/__init__.py calls load_portfolio): enough decided
projects of two types (events; community groups) to compare, and projects revised through
two and three review rounds, one of them recycled after a decision. Hand-written, made
through the real services, created once each (by owner and title).

Each entry: owner, fields, the risks it models (the other default categories are marked not
applicable), and its path: a list of steps, each a review round (reviews by reviewer e-mail,
with the scores the reviewers give the first risk) or an action."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.demo.data import GRANTMAKER, REVIEWERS, _review, _risk
from reviewtool.demo.decisions import _exists
from reviewtool.models import Project, User
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.pilot_records import record_observation
from reviewtool.services.proposals import create_project
from reviewtool.services.reviews import assign_reviewer, submit_review
from reviewtool.services.revisions import save_revision
from reviewtool.services.risks import replace_risk_model
from reviewtool.services.rounds import current_round
from reviewtool.services.transitions import fire
from reviewtool.workflow import Workflow

ADA, BEN = "ada@safetycommons.example", "ben@campusalignment.example"
RHEA, SAM, OMAR = REVIEWERS
TESS = "tess@tessreviews.example"  # a fourth reviewer on some rounds
MITIGATION = "The safeguards of the proposal (see its revisions)."
CATEGORIES = ("reputational_harm", "capabilities", "displacement", "low_fidelity",
              "participant_harm", "info_hazard", "coordination_harm")


def _fields(title: str, project_type: str, summary: str, groups: list[str],
            outcome: str, need: tuple[str, str, bool, str]) -> dict[str, Any]:
    kind, key, technical, commitment = need
    return {"title": title, "summary": summary, "project_type": project_type,
            "work_groups": groups, "activity": "start",
            "outcomes": [{"outcome": outcome, "measure": "Counted at the end of the year."}],
            "roles_needed": [{"kind": kind, "key": key, "technical": technical,
                              "commitment": commitment, "hours_per_month":
                                  160 if commitment == "full_time" else 12}],
            "location": "United Kingdom", "budget": "GBP 5,000", "timeline": "2027"}


def _model(*risks: dict[str, Any]) -> dict[str, Any]:
    covered = {r["category"] for r in risks}
    return {"risks": list(risks), "not_applicable": [
        {"category": c, "reason": "Not a plausible harm of this project."}
        for c in CATEGORIES if c not in covered]}


def _safeguard(kind: str, text: str, *addresses: str) -> dict[str, Any]:
    return {"type": kind, "description": text, "responsible": "The proposer",
            "addresses": list(addresses), "residual_likelihood": 1, "residual_severity": 2}


def _round(reviews: dict[str, dict[str, Any]], scores: tuple[int, ...]) -> tuple:
    return ("round", reviews, scores)


FAIR = _fields("Alignment careers fair in Berlin", "events", "A one-day fair where safety "
               "organisations meet students and engineers looking for their first role.",
               ["movement_building"], "contributors", ("skill", "networking", True,
                                                       "fractional"))
DEBATE = _fields("AI-risk debate night at the student union", "events", "A public debate "
                 "between two invited speakers on whether AI is an extinction risk.",
                 ["movement_building", "strategy"], "coordination",
                 ("skill", "presenting", True, "fractional"))
SOCIETY = _fields("AI safety society at Leeds University", "community_group", "A student "
                  "society with weekly talks and a termly reading group.", ["movement_building"],
                  "contributors", ("profession", "community_management", True, "fractional"))
CIRCLE = _fields("Online safety study circle", "community_group", "A fortnightly online "
                 "circle working through alignment papers, open to anyone.", ["technical"],
                 "contributions", ("skill", "facilitation", False, "fractional"))
VIDEOS = _fields("Explainer video series on AI risk", "communications", "Six short videos "
                 "for a general audience, each checked by a researcher before release.",
                 ["movement_building", "governance"], "coordination",
                 ("profession", "marketing_communications", False, "full_time"))

CIRCLE_PILOT = {
    "budget": "GBP 300", "criteria": [
        {"kind": "success", "outcome": "contributions", "metric": "Members presenting a paper",
         "comparator": ">=", "target": 4, "unit": "people", "measurement": "Session notes"},
        {"kind": "kill", "outcome": "coordination_harm", "metric": "Members leaving a "
         "neighbouring reading group for the circle", "comparator": ">=", "target": 2,
         "unit": "people", "measurement": "Asked of the neighbouring group's organiser"}],
    "observations": [(0, 2, "Two members presented."), (1, 3, "Three left the city group.")]}

# owner, fields, risk model, steps
PORTFOLIO_PROJECTS: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple]]] = [
    (ADA, FAIR, _model(
        _risk("reputational_harm", "Exhibitors oversell safety jobs to students.", (3, 3),
              (2, 3), MITIGATION),
        _risk("displacement", "The fair draws people from an established careers event.",
              (2, 3), (1, 3), MITIGATION)), [
        _round({RHEA: _review("pessimistic", True, "Overselling would hurt the field's name.",
                              ["reputational_harm"], 4),
                SAM: _review("neutral", True, "It competes with the existing fair.",
                             ["displacement"], 3),
                OMAR: _review("optimistic", False, "", [], 4)}, (4, 2, 1)),
        ("revise", [_safeguard("supervisory_team", "A board of two researchers reviews every "
                               "exhibitor's material.", "reputational_harm"),
                    _safeguard("partnership", "Run jointly with the established careers event.",
                               "displacement")]),
        _round({RHEA: _review("neutral", False, "The board answers my worry.", [], 4),
                SAM: _review("optimistic", False, "", [], 3),
                OMAR: _review("optimistic", False, "", [], 4)}, (2, 2, 1)),
        ("decide", "skip_pilot", "A fair cannot be piloted at small scale."),
        ("decide", "go", "Concern fell from two reviewers to none once a board checks the "
                         "exhibitors.")]),
    (BEN, DEBATE, _model(
        _risk("low_fidelity", "The debate format turns the arguments into slogans.", (4, 3),
              (3, 3), MITIGATION),
        _risk("reputational_harm", "A heated debate is clipped and shared out of context.",
              (3, 4), (3, 3), MITIGATION)), [
        _round({RHEA: _review("pessimistic", True, "Debates reward rhetoric, not accuracy.",
                              ["low_fidelity", "reputational_harm"], 5),
                SAM: _review("neutral", True, "Clips of this travel badly.", ["low_fidelity"], 3),
                OMAR: _review("neutral", False, "", [], 3),
                TESS: _review("pessimistic", True, "The speakers are not chosen yet.",
                              ["reputational_harm"], 4)}, (1, 5, 3, 4)),
        ("decide", "no_go", "Three of four reviewers see it as net negative and the format "
                            "itself is the risk.")]),
    (ADA, SOCIETY, _model(
        _risk("participant_harm", "Committee students overcommit in exam terms.", (3, 2),
              (2, 2), MITIGATION)), [
        _round({RHEA: _review("neutral", True, "The committee will burn out.",
                              ["participant_harm"], 3),
                SAM: _review("optimistic", False, "", [], 4),
                OMAR: _review("optimistic", False, "", [], 3)}, (3, 1, 2)),
        ("revise", [_safeguard("capped_participants", "At most one event a week and a "
                               "committee of six.", "participant_harm")]),
        _round({RHEA: _review("optimistic", False, "The cap is enough.", [], 4),
                SAM: _review("optimistic", False, "", [], 4),
                OMAR: _review("optimistic", False, "", [], 3),
                TESS: _review("optimistic", False, "", [], 3)}, (2, 2, 2, 1)),
        ("decide", "skip_pilot", "A society's first term is its pilot."),
        ("decide", "go", "No reviewer sees harm after the cap.")]),
    (BEN, CIRCLE, _model(
        _risk("coordination_harm", "The circle splits the city's existing reading group.",
              (3, 2), (2, 2), MITIGATION)), [
        _round({RHEA: _review("optimistic", False, "", [], 3),
                SAM: _review("neutral", True, "It duplicates the city group.",
                             ["coordination_harm"], 4),
                OMAR: _review("neutral", False, "", [], 3)}, (2, 4, 3)),
        ("pilot", CIRCLE_PILOT),
        ("decide", "no_go", "The pilot drew three members away from the city group: the kill "
                            "criterion was breached.")]),
    (BEN, VIDEOS, _model(
        _risk("low_fidelity", "Short videos flatten the arguments.", (4, 3), (2, 3),
              MITIGATION),
        _risk("reputational_harm", "A careless video is mocked widely.", (3, 4), (2, 3),
              MITIGATION)), [
        _round({RHEA: _review("pessimistic", True, "Six minutes cannot carry the argument.",
                              ["low_fidelity", "reputational_harm"], 4),
                SAM: _review("neutral", True, "Tone risk.", ["low_fidelity"], 3),
                OMAR: _review("optimistic", False, "", [], 3)}, (5, 2, 3)),
        ("revise", [_safeguard("comms_review", "Every script is checked by a researcher and a "
                               "communications lead.", "low_fidelity", "reputational_harm")]),
        _round({RHEA: _review("neutral", True, "Better, but the first script still "
                              "oversimplifies.", ["low_fidelity"], 3),
                SAM: _review("neutral", False, "", [], 3),
                OMAR: _review("optimistic", False, "", [], 4)}, (4, 3, 3)),
        ("decide", "skip_pilot", "Reputational harm from one video would not show in a trial."),
        ("decide", "recycle", "One more revision: a senior sign-off for each script."),
        ("revise", [_safeguard("comms_review", "Every script is checked by a researcher and a "
                               "communications lead.", "low_fidelity", "reputational_harm"),
                    _safeguard("senior_signoff", "A senior researcher signs off each video.",
                               "low_fidelity")]),
        _round({RHEA: _review("optimistic", False, "The sign-off settles it.", [], 4),
                SAM: _review("neutral", False, "", [], 3),
                OMAR: _review("optimistic", False, "", [], 4)}, (3, 3, 2)),
        ("decide", "skip_pilot", "The sign-off is the safeguard a trial would test."),
        ("decide", "go", "Concern fell from two reviewers in round 1 to none in round 3.")]),
]


def _review_round(session: Session, workflow: Workflow, project: Project,
                  users: dict[str, User], reviews: dict[str, dict[str, Any]],
                  scores: tuple[int, ...]) -> None:
    gm = users[GRANTMAKER]
    if project.state == "revision":  # the round opens with last round's reviewers
        fire(session, workflow, project, "resubmit", actor=project.owner)
    risk_id = project.current_revision.risks[0].id
    carried = {a.reviewer_id for a in current_round(session, project).assignments}
    for email in reviews:
        if users[email].id not in carried:
            assign_reviewer(session, gm, project, users[email].id, notify=False)
    for (email, review), score in zip(reviews.items(), scores, strict=True):
        submit_review(session, users[email], project, {**review, "risk_scores": [
            {"risk_id": risk_id, "likelihood": score, "severity": score}]})


def _pilot(session: Session, workflow: Workflow, project: Project, users: dict[str, User],
           plan: dict[str, Any], cats: Catalogues) -> None:
    today, gm, builder = date.today(), users[GRANTMAKER], users["bea@safetycommons.example"]
    save_plan(session, gm, project, {
        "builder_id": builder.id, "budget": plan["budget"], "criteria": plan["criteria"],
        "starts_on": (today - timedelta(days=14)).isoformat(),
        "ends_on": (today + timedelta(days=42)).isoformat()}, cats)
    fire(session, workflow, project, "start_pilot", actor=gm, extra={
        "override_rationale": "One reviewer of three; the pilot's kill criterion tests it."})
    for index, value, note in plan["observations"]:
        record_observation(session, builder, project, {
            "criterion_id": project.pilot.criteria[index].id, "value": value, "note": note,
            "observed_on": (today - timedelta(days=1)).isoformat()})
    fire(session, workflow, project, "finish_pilot", actor=builder)  # stopped early


def load_portfolio(session: Session, workflow: Workflow, users: dict[str, User],
                   cats: Catalogues) -> int:
    """Add the portfolio's demo projects that are missing; return how many were added."""
    created = 0
    for email, fields, model, steps in PORTFOLIO_PROJECTS:
        owner = users[email]
        if _exists(session, owner, fields["title"]):
            continue
        project = create_project(session, owner, fields, cats)
        fire(session, workflow, project, "submit", actor=owner)
        replace_risk_model(session, owner, project, model)
        fire(session, workflow, project, "request_review", actor=owner)
        for step in steps:
            if step[0] == "round":
                _review_round(session, workflow, project, users, step[1], step[2])
            elif step[0] == "revise":
                if project.state == "review":
                    fire(session, workflow, project, "request_safeguards",
                         actor=users[GRANTMAKER])
                save_revision(session, owner, project, {"safeguards": step[1]}, cats)
            elif step[0] == "pilot":
                _pilot(session, workflow, project, users, step[1], cats)
            else:
                fire(session, workflow, project, step[1], actor=users[GRANTMAKER],
                     comment=step[2])
        created += 1
    return created
