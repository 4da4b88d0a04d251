"""The project workflow: a YAML definition, validated, wrapped around a transitions.Machine."""

from reviewtool.workflow.definition import (
    KNOWN_ROLES,
    StateDef,
    TriggerDef,
    WorkflowDef,
    WorkflowError,
)
from reviewtool.workflow.loader import load_workflow, parse_workflow
from reviewtool.workflow.machine import Workflow

__all__ = [
    "KNOWN_ROLES",
    "StateDef",
    "TriggerDef",
    "Workflow",
    "WorkflowDef",
    "WorkflowError",
    "load_workflow",
    "parse_workflow",
]
