"""The workflow as this application runs it: the YAML definition bound to the guard and effect
code of the services layer, so the loader can reject a misspelt name at start-up."""

from __future__ import annotations

from reviewtool.services.effects import EFFECTS
from reviewtool.services.guards import GUARDS
from reviewtool.workflow import Workflow, load_workflow


def load_app_workflow(name_or_path: str) -> Workflow:
    """Load a workflow file, checking its guard and effect names against the ones we have."""
    return load_workflow(name_or_path, known_guards=GUARDS, known_effects=EFFECTS)
