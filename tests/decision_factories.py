"""Decision test data made through the real services: the whole journey from a draft to the
decision step (two review rounds, safeguards, a pilot with observations), with hooks to put
chosen text into every user-written field the memo may show. Shared by the decision, memo and
CLI tests."""

from __future__ import annotations

import copy
import subprocess
from dataclasses import dataclass
from typing import Any

from reviewtool.models import Project, User
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.revisions import save_revision
from reviewtool.services.transitions import fire
from tests.factories import (
    COMPLETE,
    ProjectFactory,
    _session,
    assign,
    complete_risk_model,
    grantmaker,
    reviewer,
    submit,
)
from tests.pilot_factories import KILL, SUCCESS, builder, observe, plan_data

# Reviewers with names and addresses that appear nowhere else, so a memo can be searched for them.
REVIEWERS = [("Quentin Vale", "quentin.vale@carefulreviewers.example"),
             ("Ursula Brandt", "ursula.brandt@carefulreviewers.example"),
             ("Xavier Holm", "xavier.holm@carefulreviewers.example")]
# Round 1: 2 of 3 "could be net negative" (66.7 %); round 2: 1 of 3 (33.3 %, above the 30 % limit).
ROUND_1 = [{"net_negative": True, "stance": "pessimistic", "confidence": 4,
            "concern_categories": ["participant_harm"], "rationale": "Mentees may burn out."},
           {"net_negative": False, "stance": "optimistic", "confidence": 3},
           {"net_negative": True, "stance": "neutral", "confidence": 5,
            "concern_categories": ["capabilities", "participant_harm"],
            "rationale": "Mentees may join capabilities labs."}]
ROUND_2 = [{"net_negative": True, "stance": "neutral", "confidence": 3,
            "concern_categories": ["participant_harm"], "rationale": "Still some workload risk."},
           {"net_negative": False, "stance": "optimistic", "confidence": 4},
           {"net_negative": False, "stance": "optimistic", "confidence": 4}]
SAFEGUARDS = [{"type": "supervisory_team", "description": "A supervisory team vets each match.",
               "responsible": "Programme lead", "addresses": ["capabilities"],
               "residual_likelihood": 1, "residual_severity": 3},
              {"type": "pilot_testing", "description": "Two pilot pairs before the full cohort.",
               "responsible": "", "addresses": ["participant_harm"],
               "residual_likelihood": 2, "residual_severity": 2}]
OVERRIDE = "Workload is exactly what the pilot measures."
RATIONALE = "The pilot met its goal and nobody burned out: fund the full cohort."


@dataclass
class Journey:
    """A project at the decision step and the people who took it there."""

    project: Project
    grantmaker: User
    builder: User
    reviewers: list[User]


def _round(project: Project, users: list[User], reviews: list[dict[str, Any]],
           text: str) -> None:
    for user, fields in zip(users, reviews, strict=True):
        fields = dict(fields)
        if text:
            fields["rationale"] = f"{fields.get('rationale', '')} {text}".strip()
        submit(project, user, **fields)


def at_decision(workflow, *, text: str = "", owner: User | None = None,
                title: str = COMPLETE["title"], reviewers: list[User] | None = None) -> Journey:
    """draft → submit → risk model → review (3 reviews) → request_safeguards → revision with
    safeguards → resubmit → round 2 (3 reviews) → start_pilot (override) → observations →
    finish_pilot, all through the services. `text` is appended to the summary, the first risk,
    every review rationale, the first safeguard and every observation note. `reviewers` (default:
    three new users named in REVIEWERS) review both rounds."""
    session = _session()
    gm, builder_user = grantmaker(name="Gus Granter"), builder(name="Bea Bauer")
    proposal = {**copy.deepcopy(COMPLETE), "title": title,
                "summary": f"{COMPLETE['summary']}\n\n{text}".strip()}
    project = ProjectFactory(proposal=proposal, **({"owner": owner} if owner else {}))
    fire(session, workflow, project, "submit", actor=project.owner)
    complete_risk_model(project.current_revision)
    project.current_revision.risks[0].description += f" {text}" if text else ""
    fire(session, workflow, project, "request_review", actor=project.owner)
    users = reviewers or [reviewer(name=name, email=email) for name, email in REVIEWERS]
    for user in users:
        assign(project, user, by=gm)
    _round(project, users, ROUND_1, text)
    fire(session, workflow, project, "request_safeguards", actor=gm)
    safeguards = copy.deepcopy(SAFEGUARDS)
    safeguards[0]["description"] += f" {text}" if text else ""
    save_revision(session, project.owner, project, {"safeguards": safeguards},
                  load_catalogues(session))
    fire(session, workflow, project, "resubmit", actor=project.owner)
    _round(project, users, ROUND_2, text)
    save_plan(session, gm, project, plan_data(builder_user), load_catalogues(session))
    fire(session, workflow, project, "start_pilot", actor=gm,
         extra={"override_rationale": OVERRIDE})
    observe(project, builder_user, "success", 12, days_ago=2, note=text)
    observe(project, builder_user, "kill", 1, days_ago=1, note=text)
    fire(session, workflow, project, "finish_pilot", actor=builder_user)
    return Journey(project, gm, builder_user, users)


def decide_go(workflow, journey: Journey, **extra: Any) -> None:
    """Fire `go` with RATIONALE and `extra` (conditions, review_by) as the grantmaker."""
    fire(_session(), workflow, journey.project, "go", actor=journey.grantmaker,
         comment=RATIONALE, extra=extra or None)


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The PDF's text as pdftotext extracts it: by default in reading order with every run of
    white space made one space (a wrapped table cell reads as one phrase); with `layout` as
    laid out, so that a table row stays one line."""
    out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode()
    return out if layout else " ".join(out.split())


def pdf_row(pdf: bytes, needle: str) -> str:
    """The laid-out line holding `needle`, white space collapsed."""
    return next(" ".join(line.split()) for line in pdf_text(pdf, layout=True).splitlines()
                if needle in line)


def pdf_info(pdf: bytes) -> str:
    """pdfinfo's report of the PDF's metadata."""
    return subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


CRITERIA = [SUCCESS, KILL]
