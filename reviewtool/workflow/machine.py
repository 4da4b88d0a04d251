"""The workflow graph: a validated definition plus one transitions.Machine built from it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from transitions import Machine

if TYPE_CHECKING:
    from reviewtool.workflow.definition import TriggerDef, WorkflowDef


class Workflow:
    """Answers graph questions (where does a trigger lead, what can fire now) for one workflow.

    The machine has no models: ORM rows are never attached to it (that would be shared mutable
    state across threads and would leak rows). The database's conditional UPDATE is the only
    thing that changes a project's state; this object only describes the graph.
    """

    def __init__(self, definition: WorkflowDef) -> None:
        self._definition = definition
        # Trigger order = YAML order, used to sort answers from the machine deterministically.
        self._order = {name: index for index, name in enumerate(definition.triggers)}
        self._machine = Machine(
            model=None,
            states=[state.name for state in definition.states],
            transitions=[
                {"trigger": t.name, "source": list(t.sources), "dest": t.dest}
                for t in definition.triggers.values()
            ],
            initial=definition.initial,
            auto_transitions=False,
            send_event=False,
        )

    @property
    def definition(self) -> WorkflowDef:
        """The validated definition this workflow was built from."""
        return self._definition

    @property
    def name(self) -> str:
        """The workflow's name (its file's `name:`)."""
        return self._definition.name

    @property
    def version(self) -> int:
        """The workflow's version (its file's `version:`, 1 when it has none)."""
        return self._definition.version

    @property
    def settings(self) -> Mapping[str, float | int]:
        """The workflow's thresholds (e.g. ``min_reviews``), read-only."""
        return self._definition.settings

    @property
    def machine(self) -> Machine:
        """The underlying model-less transitions.Machine (for graph queries only)."""
        return self._machine

    def is_terminal(self, state: str) -> bool:
        """Whether ``state`` is a terminal state (False for unknown names)."""
        return state in self._definition.terminal

    def state_labels(self) -> dict[str, str]:
        """The human label of every state, by name."""
        return {s.name: s.label for s in self._definition.states}

    def trigger_labels(self) -> dict[str, str]:
        """The human label of every trigger, by name (a trigger may share a state's name)."""
        return {t.name: t.label for t in self._definition.triggers.values()}

    def trigger(self, name: str) -> TriggerDef:
        """The definition of trigger ``name``; KeyError if unknown."""
        return self._definition.triggers[name]

    def destination(self, trigger: str, state: str) -> str | None:
        """Where ``trigger`` leads from ``state``, or None if it cannot fire there."""
        # The machine treats "" and "*" as "any source", so reject non-states first.
        if state not in self._machine.states:
            return None
        transitions = self._machine.get_transitions(trigger=trigger, source=state)
        return transitions[0].dest if transitions else None

    def triggers_from(self, state: str) -> list[str]:
        """The triggers that may fire from ``state``, in the YAML's order."""
        return sorted(self._machine.get_triggers(state), key=self._order.__getitem__)

    def stepper(self, state: str) -> list[dict[str, str]]:
        """Progress steps: non-terminal states in YAML order, plus ``state`` if it is terminal.

        Steps before the current one are "done" and after it "todo"; a terminal state is
        appended as the current last step so a withdrawn project shows where it ended.
        """
        current = self._definition.state(state)  # KeyError for an unknown state
        steps = [s for s in self._definition.states if not s.terminal]
        if current.terminal:
            steps.append(current)
        position = steps.index(current)
        return [
            {
                "name": step.name,
                "label": step.label,
                "status": "done" if i < position else "current" if i == position else "todo",
            }
            for i, step in enumerate(steps)
        ]

    def __repr__(self) -> str:
        return f"<Workflow {self._definition.name!r} from {self._definition.source}>"
