"""The workflow as this application runs it: the YAML definition bound to the guard and effect
code of the services layer, so the loader can reject a misspelt name at start-up.

A project records the workflow it started under (name and version) and keeps it: the
configured workflow (REVIEWTOOL_WORKFLOW) only decides what new projects start under."""

from __future__ import annotations

import logging

from reviewtool.models import Project
from reviewtool.services.effects import EFFECTS
from reviewtool.services.guards import GUARDS
from reviewtool.workflow import Workflow, WorkflowError, load_workflow

log = logging.getLogger("reviewtool.workflows")


def load_app_workflow(name_or_path: str) -> Workflow:
    """Load a workflow file, checking its guard and effect names against the ones we have."""
    return load_workflow(name_or_path, known_guards=GUARDS, known_effects=EFFECTS)


def workflow_for(project: Project, configured: Workflow) -> Workflow:
    """The workflow `project` runs under: the configured one when it started under it, else
    its own by name (`workflows/<name>.yaml`), or an archived `workflows/<name>.v<N>.yaml`
    when the file has moved on to another version since the project started."""
    name, version = project.workflow_name or "default", project.workflow_version or 1
    if configured.name == name and configured.version == version:
        return configured
    own = configured if configured.name == name else load_app_workflow(name)
    if own.version == version:
        return own
    try:
        return load_app_workflow(f"{name}.v{version}")
    except WorkflowError:
        # No archived copy: the current file of the same name is the best guess, and the
        # states the project is in still exist in it or the page would say so.
        log.warning("project %s began under %s version %s, which is not kept; using "
                    "version %s", project.id, name, version, own.version)
        return own
