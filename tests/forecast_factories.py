"""Forecast test data made through the real services: pilots started with given reviewers,
forecasts locked, pilots run to their finish."""

from __future__ import annotations

from reviewtool.services import forecasts
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.transitions import fire
from tests.factories import _session, assign, project_in_review, submit
from tests.pilot_factories import criterion, observe, plan_data


def running_with(workflow, reviewers, gm, build):
    """A project whose round was reviewed by `reviewers` (nobody concerned), pilot started."""
    session = _session()
    project = project_in_review(workflow)
    for user in reviewers:
        assign(project, user, by=gm)
        submit(project, user, stance="optimistic", net_negative=False)
    save_plan(session, gm, project, plan_data(build), load_catalogues(session))
    fire(session, workflow, project, "start_pilot", actor=gm)
    return project


def forecast(user, project, success: int, kill: int):
    """Lock `user`'s forecasts: `success` % for the success criterion, `kill` % for the kill."""
    return forecasts.submit(_session(), user, project, {"forecasts": [
        {"criterion_id": criterion(project, "success").id, "probability": success},
        {"criterion_id": criterion(project, "kill").id, "probability": kill}]})


def finish(workflow, project, build, gm, success: float, kill: float):
    """Observe both criteria (success >= 10 people, kill >= 3 people) and finish the pilot."""
    observe(project, build, "success", success)
    observe(project, build, "kill", kill)
    fire(_session(), workflow, project, "finish_pilot", actor=gm)
