"""Pilot test data made through the real services: a project in review with a plan, a running
pilot, observations. Shared by the integration, API and page tests of pilot trials."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from reviewtool.models import Project, User
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.pilot_records import record_observation
from reviewtool.services.transitions import fire
from tests.factories import UserFactory, _session, grantmaker, reviewed

# Round 1 of the "Done when": 2 of 3 reviews say "could be net negative" (66.7 %).
ROUND_66 = [
    {"net_negative": True, "stance": "pessimistic", "concern_categories": ["participant_harm"],
     "rationale": "Participants with day jobs may burn out."},
    {"net_negative": False, "stance": "optimistic"},
    {"net_negative": True, "stance": "neutral", "concern_categories": ["participant_harm"],
     "rationale": "The workload is not bounded."},
]
# A round at 25 %: 1 of 4 reviews says "could be net negative".
ROUND_25 = [
    {"net_negative": True, "stance": "neutral", "concern_categories": ["participant_harm"],
     "rationale": "Still worried about workload."},
    {"net_negative": False, "stance": "optimistic"},
    {"net_negative": False, "stance": "optimistic"},
    {"net_negative": False, "stance": "neutral"},
]
OVERRIDE = "The main worry is workload, which this pilot measures directly."
CONCERN_66 = ("Concern in round 1 is 66.7%, above the limit of 30%: give an override rationale "
              "to start the pilot anyway.")

SUCCESS = {"kind": "success", "outcome": "contributors", "metric": "Participants who finish",
           "comparator": ">=", "target": 10, "unit": "people",
           "measurement": "Attendance sheets of the last session"}
KILL = {"kind": "kill", "outcome": "participant_harm",
        "metric": "Participants reporting burnout", "comparator": ">=", "target": 3,
        "unit": "people", "measurement": "Anonymous mid-pilot survey"}


def builder(**fields: Any) -> User:
    """A user holding the builder role."""
    fields.setdefault("roles", ("builder",))
    return UserFactory(**fields)


def plan_data(builder_user: User, **fields: Any) -> dict[str, Any]:
    """A complete plan body: one success and one kill criterion, dates around today."""
    today = date.today()
    data = {"builder_id": builder_user.id,
            "starts_on": (today - timedelta(days=30)).isoformat(),
            "ends_on": (today + timedelta(days=50)).isoformat(), "budget": "USD 3,000",
            "criteria": [copy.deepcopy(SUCCESS), copy.deepcopy(KILL)]}
    data.update(fields)
    return data


def planned(workflow, reviews: list[dict[str, Any]] | None = None, *,
            gm: User | None = None, builder_user: User | None = None,
            **plan_fields: Any) -> tuple[Project, User, User]:
    """A project in review whose round holds `reviews` (default: at 25 %) and a saved,
    complete pilot plan; returns (project, grantmaker, builder)."""
    session = _session()
    gm = gm or grantmaker()
    builder_user = builder_user or builder()
    project, _ = reviewed(workflow, ROUND_25 if reviews is None else reviews, by=gm)
    save_plan(session, gm, project, plan_data(builder_user, **plan_fields),
              load_catalogues(session))
    return project, gm, builder_user


def running(workflow, **kwargs: Any) -> tuple[Project, User, User]:
    """A project whose pilot started (round at 25 %, no override needed)."""
    project, gm, builder_user = planned(workflow, **kwargs)
    fire(_session(), workflow, project, "start_pilot", actor=gm)
    return project, gm, builder_user


def criterion(project: Project, kind: str):
    """The project's first criterion of `kind`."""
    return next(c for c in project.pilot.criteria if c.kind == kind)


def observe(project: Project, user: User, kind: str, value: float, days_ago: int = 0,
            note: str = ""):
    """Record `value` for the first `kind` criterion through the service."""
    observed_on = (date.today() - timedelta(days=days_ago)).isoformat()
    return record_observation(_session(), user, project, {
        "criterion_id": criterion(project, kind).id, "value": value,
        "observed_on": observed_on, "note": note})
