"""Loading and validating workflow YAML: every problem is reported with its file and line."""

import os
from pathlib import Path

import pytest

from reviewtool.resources import data_dir
from reviewtool.services.workflows import load_app_workflow
from reviewtool.workflow import (
    KNOWN_ROLES,
    StateDef,
    TriggerDef,
    Workflow,
    WorkflowDef,
    WorkflowError,
    parse_workflow,
)

GUARDS = {"proposal_complete"}
EFFECTS = {"open_round", "notify_reviewers"}

# Line numbers matter in these tests: line N of VALID is VALID.splitlines()[N - 1].
VALID = """\
name: small
settings:
  min_reviews: 3
states:
  - {name: draft, label: Draft, initial: true}
  - {name: risk_model, label: Risk model}
  - {name: withdrawn, label: Withdrawn, terminal: true}
triggers:
  submit:
    label: Submit proposal
    from: [draft]
    to: risk_model
    roles: [owner]
    guards: [proposal_complete]
  withdraw:
    label: Withdraw
    from: any_non_terminal
    to: withdrawn
    roles: [owner]
    comment: required
"""


def problems(text: str) -> list[str]:
    """The problems parse_workflow reports for ``text`` (which must be invalid)."""
    with pytest.raises(WorkflowError) as caught:
        parse_workflow(text, source="workflows/x.yaml", known_guards=GUARDS)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def edit(old: str, new: str) -> str:
    """VALID with one exact fragment replaced."""
    assert VALID.count(old) == 1
    return VALID.replace(old, new)


def test_parse_valid_text_builds_frozen_definition():
    definition = parse_workflow(VALID, source="workflows/x.yaml", known_guards=GUARDS)
    assert definition.name == "small"
    assert definition.source == "workflows/x.yaml"
    assert definition.states == (
        StateDef("draft", "Draft", initial=True),
        StateDef("risk_model", "Risk model"),
        StateDef("withdrawn", "Withdrawn", terminal=True),
    )
    assert [s.line for s in definition.states] == [5, 6, 7]
    assert definition.triggers["submit"] == TriggerDef(
        "submit", "Submit proposal", ("draft",), "risk_model", ("owner",),
        ("proposal_complete",), comment="optional",
    )
    assert definition.triggers["submit"].line == 9
    assert definition.triggers["withdraw"].comment == "required"
    assert dict(definition.settings) == {"min_reviews": 3}
    assert definition.initial == "draft"
    assert definition.terminal == frozenset({"withdrawn"})
    assert definition.state("risk_model").label == "Risk model"
    with pytest.raises(TypeError):
        definition.settings["min_reviews"] = 1  # shared and cached: must stay read-only


def test_parse_any_non_terminal_expands_to_every_non_terminal_state():
    definition = parse_workflow(VALID, source="x.yaml", known_guards=GUARDS)
    assert definition.triggers["withdraw"].sources == ("draft", "risk_model")


def test_shipped_default_yaml_satisfies_the_contract():
    # Through load_workflow, so the file is checked against the real guard and effect registries.
    definition = load_app_workflow("default").definition
    submit, withdraw = definition.triggers["submit"], definition.triggers["withdraw"]
    assert definition.initial == "draft"
    assert (submit.sources, submit.dest, submit.roles) == (("draft",), "risk_model", ("owner",))
    assert submit.guards == ("proposal_complete",)
    non_terminal = tuple(s.name for s in definition.states if not s.terminal)
    assert (withdraw.sources, withdraw.dest, withdraw.roles) == (
        non_terminal, "withdrawn", ("owner",))
    assert "withdrawn" in definition.terminal
    # The shipped file grows with later stages: only these thresholds are the contract here.
    assert {"min_reviews": 3, "max_concern_pct": 30}.items() <= dict(definition.settings).items()


def test_shipped_default_yaml_loads_with_the_real_guard_registry():
    workflow = load_app_workflow("default")
    assert isinstance(workflow, Workflow)
    assert workflow.definition.name == "default"
    assert workflow.definition.source == "workflows/default.yaml"


def test_unknown_guard_is_reported_with_its_line():
    text = edit("guards: [proposal_complete]", "guards: [proposal_complet]")
    assert problems(text) == [
        "workflows/x.yaml:14: unknown guard 'proposal_complet' in trigger 'submit' "
        "(known: proposal_complete)"
    ]


def test_unknown_role_is_reported_with_its_line():
    # Block style, so the bad role has a line of its own.
    text = edit("roles: [owner]\n    guards", "roles:\n      - owner\n      - ownr\n    guards")
    assert problems(text) == [
        "workflows/x.yaml:15: unknown role 'ownr' in trigger 'submit' (known: "
        + ", ".join(sorted(KNOWN_ROLES)) + ")"
    ]


def test_unreachable_state_is_reported():
    text = edit("  - {name: withdrawn", "  - {name: limbo, label: Limbo}\n  - {name: withdrawn")
    assert problems(text) == [
        "workflows/x.yaml:7: state 'limbo' cannot be reached from the initial state 'draft'"
    ]


def test_non_terminal_state_without_way_out_is_reported():
    text = edit("from: any_non_terminal", "from: [draft]")
    assert problems(text) == [
        "workflows/x.yaml:6: non-terminal state 'risk_model' cannot be left "
        "(no trigger goes from it)"
    ]


def test_terminal_state_with_outgoing_trigger_is_reported():
    text = VALID + "  reopen:\n    label: Reopen\n    from: withdrawn\n    to: draft\n" \
                   "    roles: [admin]\n"
    assert problems(text) == [
        "workflows/x.yaml:23: terminal state 'withdrawn' has an outgoing trigger 'reopen'"
    ]


def test_unknown_key_typo_is_reported():
    text = edit("guards: [proposal_complete]", "gaurds: [proposal_complete]")
    assert problems(text) == [
        "workflows/x.yaml:14: unknown key 'gaurds' in trigger 'submit' "
        "(allowed: comment, effects, from, guards, label, roles, to)"
    ]


def parse_with_effects(text: str) -> WorkflowDef:
    return parse_workflow(text, source="workflows/x.yaml", known_guards=GUARDS,
                          known_effects=EFFECTS)


def effect_problems(text: str) -> list[str]:
    """Like problems(), but with the EFFECTS registry known."""
    with pytest.raises(WorkflowError) as caught:
        parse_with_effects(text)
    return caught.value.problems


def with_effects(effects: str) -> str:
    """VALID with an ``effects:`` entry (``effects`` is the YAML after the key) on line 15."""
    return edit("guards: [proposal_complete]\n",
                f"guards: [proposal_complete]\n    effects:{effects}\n")


def test_effects_are_parsed_in_order():
    submit = parse_with_effects(with_effects(" [open_round, notify_reviewers]")).triggers["submit"]
    assert submit.effects == ("open_round", "notify_reviewers")
    assert submit.guards == ("proposal_complete",)
    assert submit.comment == "optional"


def test_trigger_without_effects_has_none():
    definition = parse_with_effects(VALID)
    assert definition.triggers["submit"].effects == ()
    assert definition.triggers["withdraw"].effects == ()


def test_unknown_effect_is_reported_with_its_line():
    # Block style, so the bad effect has a line of its own.
    text = with_effects("\n      - open_round\n      - open_rond")
    assert text.splitlines()[17 - 1] == "      - open_rond"
    assert effect_problems(text) == [
        "workflows/x.yaml:17: unknown effect 'open_rond' in trigger 'submit' "
        "(known: notify_reviewers, open_round)"
    ]


def test_effects_default_to_no_known_names():
    assert problems(with_effects(" [open_round]")) == [
        "workflows/x.yaml:15: unknown effect 'open_round' in trigger 'submit' (known: none)"
    ]


def test_duplicate_effect_is_reported():
    assert effect_problems(with_effects(" [open_round, open_round]")) == [
        "workflows/x.yaml:15: effect 'open_round' is listed twice in trigger 'submit'"
    ]


def test_effects_must_be_a_list():
    assert effect_problems(with_effects(" open_round")) == [
        "workflows/x.yaml:15: 'effects' in trigger 'submit' must be a list, not 'open_round'"
    ]


def test_yaml_syntax_error_is_reported_with_its_line():
    text = edit("{name: risk_model, label: Risk model}", "{name: risk_model, label: Risk model")
    assert problems(text) == [
        "workflows/x.yaml:7: invalid YAML: expected ',' or '}', but got '{' "
        "(while parsing a flow mapping on line 6)"
    ]


def test_top_level_list_is_rejected():
    assert problems("- draft\n") == ["workflows/x.yaml:1: the top level must be a mapping"]


def test_settings_bool_is_rejected():
    text = edit("min_reviews: 3", "min_reviews: true")
    assert problems(text) == [
        "workflows/x.yaml:3: setting 'min_reviews' must be a number, not True"
    ]


def test_multiple_problems_are_all_reported_in_line_order():
    text = edit("roles: [owner]\n    guards: [proposal_complete]",
                "roles: [ownr]\n    guards: [proposal_complet]")
    text = text.replace("min_reviews: 3", "min_reviews: three").replace(
        "{name: draft, label: Draft, initial: true}", "{name: draft, initial: true}")
    assert problems(text) == [
        "workflows/x.yaml:3: setting 'min_reviews' must be a number, not 'three'",
        "workflows/x.yaml:5: missing key 'label' in state 'draft'",
        "workflows/x.yaml:13: unknown role 'ownr' in trigger 'submit' (known: "
        + ", ".join(sorted(KNOWN_ROLES)) + ")",
        "workflows/x.yaml:14: unknown guard 'proposal_complet' in trigger 'submit' "
        "(known: proposal_complete)",
    ]


def test_duplicate_state_and_trigger_names_are_reported():
    text = edit("  - {name: withdrawn", "  - {name: draft, label: Again}\n  - {name: withdrawn")
    text += "  submit:\n    label: Again\n    from: [draft]\n    to: withdrawn\n"
    text += "    roles: [owner]\n"
    # The second 'submit' silently replacing the first is what made risk_model unreachable.
    assert problems(text) == [
        "workflows/x.yaml:6: state 'risk_model' cannot be reached from the initial state "
        "'draft'",
        "workflows/x.yaml:7: duplicate state name 'draft'",
        "workflows/x.yaml:22: duplicate key 'submit'",
    ]


def test_initial_state_count_must_be_one():
    none = edit("{name: draft, label: Draft, initial: true}", "{name: draft, label: Draft}")
    assert problems(none) == [
        "workflows/x.yaml:4: no initial state: mark exactly one with 'initial: true'"
    ]
    two = edit("{name: risk_model, label: Risk model}",
               "{name: risk_model, label: Risk model, initial: true}")
    assert problems(two) == [
        "workflows/x.yaml:6: state 'risk_model' is a second initial state (the first is 'draft')"
    ]


def test_missing_and_mistyped_trigger_keys_are_reported_at_the_trigger():
    text = edit("    label: Submit proposal\n", "").replace("to: risk_model", "to: [risk_model]")
    assert problems(text) == [
        "workflows/x.yaml:6: state 'risk_model' cannot be reached from the initial state "
        "'draft'",
        "workflows/x.yaml:9: missing key 'label' in trigger 'submit'",
        "workflows/x.yaml:11: 'to' in trigger 'submit' must be a lower_case name, "
        "not ['risk_model']",
    ]


def test_load_workflow_missing_name_names_the_path_it_tried():
    expected = (data_dir("workflows") / "nope.yaml").resolve()
    with pytest.raises(WorkflowError) as caught:
        load_app_workflow("nope")
    assert str(caught.value) == f"workflow 'nope' not found: looked for {expected}"


def test_load_workflow_uses_the_guard_registry(tmp_path: Path):
    path = tmp_path / "custom.yaml"
    path.write_text(edit("guards: [proposal_complete]", "guards: [no_such_guard]"))
    with pytest.raises(WorkflowError) as caught:
        load_app_workflow(str(path))
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}:14: unknown guard 'no_such_guard' in trigger 'submit' "
                              "(known: ")
    assert "proposal_complete" in problem


def test_load_workflow_uses_the_effect_registry(tmp_path: Path):
    path = tmp_path / "custom.yaml"
    path.write_text(with_effects(" [open_round]"))
    assert load_app_workflow(str(path)).trigger("submit").effects == ("open_round",)
    path = tmp_path / "typo.yaml"
    path.write_text(with_effects(" [open_rond]"))
    with pytest.raises(WorkflowError) as caught:
        load_app_workflow(str(path))
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}:15: unknown effect 'open_rond' in trigger 'submit' "
                              "(known: ")
    assert "open_round" in problem


def test_load_workflow_rereads_an_edited_file(tmp_path: Path):
    path = tmp_path / "custom.yaml"
    path.write_text(VALID)
    first = load_app_workflow(str(path))
    assert load_app_workflow(str(path)) is first
    path.write_text(VALID.replace("name: small", "name: edited"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_app_workflow(str(path)).definition.name == "edited"
