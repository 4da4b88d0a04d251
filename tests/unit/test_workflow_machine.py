"""The Workflow graph: destinations, available triggers and the page's stepper."""

import pytest

from reviewtool.services.workflows import load_app_workflow
from reviewtool.workflow import Workflow, parse_workflow

# A fixed graph, independent of the shipped default.yaml (which grows with later stages).
# "withdraw" is listed before "submit" to show answers follow the YAML's trigger order.
TEXT = """\
name: graph
settings: {min_reviews: 3, max_concern_pct: 30}
states:
  - {name: draft, label: Draft, initial: true}
  - {name: risk_model, label: Risk model}
  - {name: review, label: Review}
  - {name: go, label: Go, terminal: true}
  - {name: withdrawn, label: Withdrawn, terminal: true}
triggers:
  withdraw: {label: Withdraw, from: any_non_terminal, to: withdrawn, roles: [owner]}
  submit: {label: Submit, from: [draft], to: risk_model, roles: [owner]}
  request_review: {label: Request review, from: [risk_model], to: review, roles: [owner]}
  go: {label: Go, from: [review], to: go, roles: [grantmaker], comment: required}
"""


@pytest.fixture(scope="module")
def workflow() -> Workflow:
    return Workflow(parse_workflow(TEXT, source="graph.yaml", known_guards=set()))


def test_destination_from_a_source_state_is_the_trigger_target(workflow: Workflow):
    assert workflow.destination("submit", "draft") == "risk_model"
    assert workflow.destination("withdraw", "review") == "withdrawn"


def test_destination_is_none_when_trigger_unavailable_or_unknown(workflow: Workflow):
    assert workflow.destination("submit", "risk_model") is None
    assert workflow.destination("withdraw", "withdrawn") is None
    assert workflow.destination("no_such_trigger", "draft") is None
    assert workflow.destination("submit", "no_such_state") is None
    # transitions treats "" and "*" as "any source"; they must not leak through.
    assert workflow.destination("submit", "") is None
    assert workflow.destination("submit", "*") is None


def test_triggers_from_follow_yaml_order(workflow: Workflow):
    assert workflow.triggers_from("draft") == ["withdraw", "submit"]
    assert workflow.triggers_from("review") == ["withdraw", "go"]
    assert workflow.triggers_from("go") == []
    assert workflow.triggers_from("no_such_state") == []


def test_machine_has_no_auto_transitions(workflow: Workflow):
    assert workflow.machine.get_triggers("draft") == ["withdraw", "submit"]
    assert not any(name.startswith("to_") for name in workflow.machine.events)
    assert workflow.machine.models == []


def test_trigger_returns_definition_or_raises_key_error(workflow: Workflow):
    assert workflow.trigger("go").roles == ("grantmaker",)
    assert workflow.trigger("go").comment == "required"
    with pytest.raises(KeyError):
        workflow.trigger("no_such_trigger")


def test_stepper_marks_done_current_and_todo(workflow: Workflow):
    assert workflow.stepper("risk_model") == [
        {"name": "draft", "label": "Draft", "status": "done"},
        {"name": "risk_model", "label": "Risk model", "status": "current"},
        {"name": "review", "label": "Review", "status": "todo"},
    ]


def test_stepper_appends_terminal_state_as_current(workflow: Workflow):
    assert workflow.stepper("withdrawn") == [
        {"name": "draft", "label": "Draft", "status": "done"},
        {"name": "risk_model", "label": "Risk model", "status": "done"},
        {"name": "review", "label": "Review", "status": "done"},
        {"name": "withdrawn", "label": "Withdrawn", "status": "current"},
    ]


def test_stepper_unknown_state_raises_key_error(workflow: Workflow):
    with pytest.raises(KeyError):
        workflow.stepper("no_such_state")


def test_is_terminal_and_settings(workflow: Workflow):
    assert [workflow.is_terminal(s) for s in ("draft", "go", "withdrawn", "nope")] == [
        False, True, True, False]
    assert dict(workflow.settings) == {"min_reviews": 3, "max_concern_pct": 30}
    assert workflow.definition.name == "graph"


def test_load_workflow_returns_the_same_object_twice():
    assert load_app_workflow("default") is load_app_workflow("default")
