"""Workflow files carry a version and a name that may have hyphens (it is the file's name);
both shipped workflows are drawn as SVG with one box per state and a move per trigger."""

from __future__ import annotations

import pytest

from reviewtool.services.workflows import load_app_workflow
from reviewtool.workflow import WorkflowError, load_workflow, parse_workflow
from reviewtool.workflow.diagram import diagram, moves
from tests.unit.test_workflow_loader import GUARDS, VALID


def test_version_defaults_to_1_and_is_read():
    assert parse_workflow(VALID, source="x.yaml", known_guards=GUARDS).version == 1
    text = VALID.replace("name: small\n", "name: small-grants\nversion: 3\n")
    definition = parse_workflow(text, source="x.yaml", known_guards=GUARDS)
    assert (definition.name, definition.version) == ("small-grants", 3)


@pytest.mark.parametrize("bad", ["0", "true", "'2'", "1.5"])
def test_version_not_a_whole_number_from_1_is_refused_naming_its_line(bad):
    text = VALID.replace("name: small\n", f"name: small\nversion: {bad}\n")
    with pytest.raises(WorkflowError) as caught:
        parse_workflow(text, source="x.yaml", known_guards=GUARDS)
    assert caught.value.problems[0].startswith("x.yaml:2: 'version' in the top level must be "
                                               "a whole number from 1")


def test_workflow_name_with_capitals_or_spaces_is_refused():
    with pytest.raises(WorkflowError) as caught:
        parse_workflow(VALID.replace("name: small", "name: Small Grants"), source="x.yaml",
                       known_guards=GUARDS)
    assert "'name' in the top level must be a lower-case name" in caught.value.problems[0]


def test_file_whose_name_differs_from_its_own_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "workflows"
    folder.mkdir()
    (folder / "fast.yaml").write_text(VALID, encoding="utf-8")  # says "name: small"
    monkeypatch.setattr("reviewtool.workflow.loader.data_dir", lambda name: folder)
    with pytest.raises(WorkflowError) as caught:
        load_workflow("fast", known_guards=GUARDS, known_effects=())
    assert caught.value.problems == ["workflows/fast.yaml: the file is named 'fast' but its "
                                     "'name' is 'small'; make them the same"]


@pytest.mark.parametrize(("name", "states", "moves_drawn", "triggers"), [
    ("default", 9, 12, 11),       # no_go from 2 states; withdraw is one bracket
    ("small-grants", 7, 7, 6),    # no_go from 2 states; withdraw is one bracket
])
def test_diagram_has_a_box_per_state_and_a_move_per_trigger_source(name, states, moves_drawn,
                                                                   triggers):
    definition = load_app_workflow(name).definition
    svg = str(diagram(definition))
    assert svg.count('<g class="state"') == states
    assert svg.count('<g class="move"') == moves_drawn
    assert len(moves(definition)) == triggers
    assert f"{states} states and {triggers} triggers" in svg
