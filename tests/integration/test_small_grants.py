"""The second workflow, small-grants: one round of two reviewers, no pilot, one grantmaker's
decision; and a project keeps the workflow it started under whatever is configured later."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reviewtool.errors import Conflict, Invalid
from reviewtool.models import Decision, Memo, Pilot, ReviewRound
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import create_project
from reviewtool.services.transitions import allowed_triggers, fire
from reviewtool.services.workflows import load_app_workflow, workflow_for
from tests.decision_factories import at_decision, decide_go
from tests.factories import (
    COMPLETE,
    UserFactory,
    assign,
    complete_risk_model,
    grantmaker,
    reviewer,
    submit,
)

RATIONALE = "Two calm reviews and a small budget: fund it."


@pytest.fixture
def small():
    return load_app_workflow("small-grants")


def started_small(session, small):
    owner = UserFactory()
    project = create_project(session, owner, dict(COMPLETE), load_catalogues(session),
                             workflow=small)
    return project


def test_small_grants_file_loads_with_its_name_version_and_two_reviews(small):
    assert (small.name, small.version, small.settings["min_reviews"]) == ("small-grants", 1, 2)
    assert "pilot" not in small.state_labels() and "revision" not in small.state_labels()


def test_small_grants_project_runs_to_go_without_pilot_under_default_configuration(
        session, workflow, small):
    # `workflow` is the configured default: the project's own workflow decides every move.
    project = started_small(session, small)
    assert (project.workflow_name, project.workflow_version) == ("small-grants", 1)
    owner, gm = project.owner, grantmaker()
    fire(session, workflow, project, "submit", actor=owner)
    complete_risk_model(project.current_revision)
    fire(session, workflow, project, "request_review", actor=owner)
    first, second = reviewer(), reviewer()
    assign(project, first, by=gm)
    submit(project, first, stance="optimistic")
    assert allowed_triggers(workflow, gm, project) == ["close_review", "no_go"]
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "close_review", actor=gm)
    assert "2" in refused.value.problems[0]["message"]  # one review of the two it needs
    assign(project, second, by=gm)
    submit(project, second, stance="neutral")
    fire(session, workflow, project, "close_review", actor=gm)
    assert project.state == "decision"
    fire(session, workflow, project, "go", actor=gm, comment=RATIONALE)
    assert project.state == "go"
    rounds = session.scalars(select(ReviewRound).where(ReviewRound.project_id == project.id))
    assert [(r.number, r.status, r.figures["n_reviews"]) for r in rounds] == [(1, "closed", 2)]
    assert session.scalar(select(func.count()).select_from(Pilot)
                          .where(Pilot.project_id == project.id)) == 0
    assert session.scalar(select(Decision.kind).where(Decision.project_id == project.id)) \
        == "go"
    assert session.scalar(select(func.count()).select_from(Memo)
                          .where(Memo.project_id == project.id)) == 1


def test_small_grants_project_has_no_pilot_trigger(session, workflow, small):
    project = started_small(session, small)
    fire(session, workflow, project, "submit", actor=project.owner)
    complete_risk_model(project.current_revision)
    fire(session, workflow, project, "request_review", actor=project.owner)
    with pytest.raises(Invalid) as refused:  # the trigger does not exist in its workflow
        fire(session, workflow, project, "start_pilot", actor=grantmaker())
    assert "Unknown trigger 'start_pilot'" in refused.value.problems[0]["message"]


def test_default_project_finishes_under_default_with_small_grants_configured(session, workflow,
                                                                            small):
    journey = at_decision(workflow)  # two rounds and a pilot: the default workflow's path
    assert journey.project.workflow_name == "default"
    decide_go(small, journey)  # the caller holds small-grants; the project keeps its own
    assert journey.project.state == "go"
    assert workflow_for(journey.project, small) is workflow


def test_default_project_refuses_small_grants_trigger(session, workflow, small):
    journey = at_decision(workflow)
    with pytest.raises(Invalid) as refused:
        fire(session, small, journey.project, "close_review", actor=journey.grantmaker)
    assert "Unknown trigger 'close_review'" in refused.value.problems[0]["message"]


def test_small_grants_project_cannot_go_from_review(session, workflow, small):
    project = started_small(session, small)
    fire(session, workflow, project, "submit", actor=project.owner)
    complete_risk_model(project.current_revision)
    fire(session, workflow, project, "request_review", actor=project.owner)
    with pytest.raises(Conflict):
        fire(session, workflow, project, "go", actor=grantmaker(), comment=RATIONALE)
