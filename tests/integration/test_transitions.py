"""Firing triggers (services/transitions.py): check, move, record, in the contract's order."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from reviewtool.errors import Conflict, Forbidden, Invalid
from reviewtool.models import Project, TransitionEvent
from reviewtool.services.transitions import allowed_triggers, fire
from tests.factories import EMPTY, ProjectFactory, UserFactory

MISSING_ALL = [
    "Title is missing.",
    "Summary is missing.",
    "Project type is missing.",
    "Target outcomes are missing: name at least one and how you would measure it.",
    "Roles needed are missing: name at least one profession or skill.",
]


def stored(session, project):
    """(state, version) of `project` as the database has it."""
    session.expire_all()
    row = session.get(Project, project.id)
    return row.state, row.version


def events(session, project):
    """The project's transition events as the database has them, oldest first."""
    session.expire_all()
    return session.scalars(select(TransitionEvent).where(TransitionEvent.project_id == project.id)
                           .order_by(TransitionEvent.id)).all()


def test_fire_submit_complete_draft_moves_to_risk_model(session, workflow):
    project = ProjectFactory()
    before = datetime.now(UTC)
    fire(session, workflow, project, "submit", actor=project.owner, expected_version=1,
         comment="  Ready for risk modelling.  ")
    after = datetime.now(UTC)
    assert stored(session, project) == ("risk_model", 2)
    [event] = events(session, project)
    assert (event.actor_id, event.from_state, event.to_state, event.trigger, event.comment,
            event.override_rationale) == (project.owner_id, "draft", "risk_model", "submit",
                                          "Ready for risk modelling.", None)
    assert event.at.tzinfo is not None
    assert event.at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= event.at <= after + timedelta(seconds=1)


def test_fire_returns_the_flushed_event(session, workflow):
    project = ProjectFactory()
    event = fire(session, workflow, project, "submit", actor=project.owner)
    assert (event.id is not None, event.project_id, event.trigger) == (True, project.id,
                                                                       "submit")
    assert project.state == "risk_model"
    assert project.version == 2


def test_fire_submit_incomplete_draft_raises_invalid_with_all_reasons(session, workflow):
    project = ProjectFactory(proposal=EMPTY)
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, "submit", actor=project.owner, expected_version=1)
    assert caught.value.messages == MISSING_ALL
    assert stored(session, project) == ("draft", 1)
    assert events(session, project) == []


def test_fire_withdraw_by_grantmaker_on_risk_model_raises_forbidden(session, workflow):
    project = ProjectFactory(state="risk_model")
    grantmaker = UserFactory(roles=("grantmaker",))
    with pytest.raises(Forbidden) as caught:
        fire(session, workflow, project, "withdraw", actor=grantmaker, expected_version=1)
    assert caught.value.messages == ["'Withdraw' can be done by: owner."]
    assert stored(session, project) == ("risk_model", 1)
    assert events(session, project) == []


def test_fire_submit_by_other_proposer_raises_forbidden(session, workflow):
    project = ProjectFactory()
    with pytest.raises(Forbidden):
        fire(session, workflow, project, "submit", actor=UserFactory(), expected_version=1)
    assert stored(session, project) == ("draft", 1)


def test_fire_forbidden_wins_over_conflict(session, workflow):
    project = ProjectFactory(state="withdrawn")
    with pytest.raises(Forbidden):
        fire(session, workflow, project, "submit", actor=UserFactory(), expected_version=7)


def test_fire_submit_from_risk_model_raises_conflict(session, workflow):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Conflict) as caught:
        fire(session, workflow, project, "submit", actor=project.owner, expected_version=1)
    assert caught.value.messages == [
        "'Submit proposal' is not possible while the project is in 'risk_model'."]
    assert stored(session, project) == ("risk_model", 1)
    assert events(session, project) == []


def test_fire_stale_expected_version_raises_conflict(session, workflow):
    project = ProjectFactory(version=2)
    with pytest.raises(Conflict) as caught:
        fire(session, workflow, project, "submit", actor=project.owner, expected_version=1)
    assert caught.value.details == {"current_version": 2}
    assert stored(session, project) == ("draft", 2)
    assert events(session, project) == []


def test_fire_conflict_wins_over_failing_guard(session, workflow):
    project = ProjectFactory(proposal=EMPTY, version=2)
    with pytest.raises(Conflict):
        fire(session, workflow, project, "submit", actor=project.owner, expected_version=1)


def test_fire_second_submit_with_same_version_raises_conflict(session, workflow):
    project = ProjectFactory()
    fire(session, workflow, project, "submit", actor=project.owner, expected_version=1)
    with pytest.raises(Conflict):
        fire(session, workflow, project, "submit", actor=project.owner, expected_version=1)
    assert stored(session, project) == ("risk_model", 2)
    assert len(events(session, project)) == 1


@pytest.mark.parametrize("trigger", ["launch", "SUBMIT", "submit ", "__class__"])
def test_fire_unknown_trigger_raises_invalid(session, workflow, trigger):
    project = ProjectFactory()
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, trigger, actor=project.owner, expected_version=1)
    assert caught.value.problems == [{
        "field": "trigger",
        "message": f"Unknown trigger {trigger!r}; known: "
                   f"{', '.join(workflow.definition.triggers)}."}]
    assert stored(session, project) == ("draft", 1)


@pytest.mark.parametrize("trigger", [None, "", 5, ["submit"], {"name": "submit"}])
def test_fire_trigger_not_a_name_raises_invalid(session, workflow, trigger):
    project = ProjectFactory()
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, trigger, actor=project.owner)
    assert caught.value.problems == [{"field": "trigger", "message": "Name the trigger to fire."}]


@pytest.mark.parametrize("version", ["1", True, 1.5, [1]])
def test_fire_version_not_integer_raises_invalid(session, workflow, version):
    project = ProjectFactory()
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, "submit", actor=project.owner, expected_version=version)
    assert caught.value.problems == [{"field": "version",
                                      "message": "version must be an integer."}]


@pytest.mark.parametrize("comment", [5, ["x"], "x" * 10_001])
def test_fire_bad_comment_raises_invalid(session, workflow, comment):
    project = ProjectFactory()
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, "submit", actor=project.owner, comment=comment)
    assert [p["field"] for p in caught.value.problems] == ["comment"]
    assert stored(session, project) == ("draft", 1)


def test_fire_none_comment_is_recorded_empty(session, workflow):
    project = ProjectFactory()
    fire(session, workflow, project, "submit", actor=project.owner, comment=None)
    assert [e.comment for e in events(session, project)] == [""]


@pytest.mark.parametrize("state", ["draft", "risk_model"])
def test_fire_withdraw_by_owner_moves_to_withdrawn(session, workflow, state):
    project = ProjectFactory(state=state, proposal=EMPTY)
    fire(session, workflow, project, "withdraw", actor=project.owner, expected_version=1,
         comment="Found another funder.")
    assert stored(session, project) == ("withdrawn", 2)
    assert [(e.from_state, e.to_state, e.trigger, e.comment) for e in events(session, project)] \
        == [(state, "withdrawn", "withdraw", "Found another funder.")]


def test_fire_submit_then_withdraw_records_both_events_in_order(session, workflow):
    project = ProjectFactory()
    fire(session, workflow, project, "submit", actor=project.owner, expected_version=1)
    fire(session, workflow, project, "withdraw", actor=project.owner, expected_version=2)
    assert stored(session, project) == ("withdrawn", 3)
    assert [(e.from_state, e.to_state) for e in events(session, project)] == [
        ("draft", "risk_model"), ("risk_model", "withdrawn")]


ALL_ROLES = ("proposer", "reviewer", "grantmaker", "builder", "admin")


def test_fire_any_trigger_from_withdrawn_raises_conflict(session, workflow):
    # The owner fires the owner's triggers and someone holding every other role the rest, so
    # no trigger is refused for the role (403 comes first); owning a project rules out every
    # grantmaker action on it, so the owner cannot be that someone.
    project = ProjectFactory(state="withdrawn", owner=UserFactory(roles=ALL_ROLES))
    everyone_else = UserFactory(roles=ALL_ROLES)
    triggers = list(workflow.definition.triggers)
    assert {"submit", "withdraw"} <= set(triggers)
    for trigger in triggers:
        actor = project.owner if "owner" in workflow.trigger(trigger).roles else everyone_else
        with pytest.raises(Conflict):
            fire(session, workflow, project, trigger, actor=actor, expected_version=1,
                 comment="Trying anyway.")
    assert stored(session, project) == ("withdrawn", 1)
    assert session.scalar(select(func.count()).select_from(TransitionEvent)) == 0


@pytest.mark.parametrize(("state", "owner_triggers"), [
    ("draft", ["submit", "withdraw"]),
    ("risk_model", ["request_review", "withdraw"]),
    ("withdrawn", []),
])
def test_allowed_triggers_owner_gets_owner_triggers_of_state(session, workflow, state,
                                                             owner_triggers):
    project = ProjectFactory(state=state)
    assert allowed_triggers(workflow, project.owner, project) == owner_triggers


@pytest.mark.parametrize("roles", [("grantmaker",), ("admin",), ("proposer",),
                                   ("reviewer", "builder")])
@pytest.mark.parametrize("state", ["draft", "risk_model", "withdrawn"])
def test_allowed_triggers_non_owner_gets_none(session, workflow, state, roles):
    project = ProjectFactory(state=state)
    assert allowed_triggers(workflow, UserFactory(roles=roles), project) == []


def test_fire_bad_comment_by_other_user_raises_forbidden(session, workflow):
    # CONTRACT.md: 403 answers before 422.
    project = ProjectFactory()
    with pytest.raises(Forbidden):
        fire(session, workflow, project, "submit", actor=UserFactory(), comment=5)


def test_fire_bad_comment_on_stale_version_raises_conflict(session, workflow):
    # CONTRACT.md: 409 answers before 422.
    project = ProjectFactory(version=2)
    with pytest.raises(Conflict):
        fire(session, workflow, project, "submit", actor=project.owner, expected_version=1,
             comment="x" * 10_001)
