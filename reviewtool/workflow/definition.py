"""The validated, frozen shape of a workflow: states, triggers and the errors that reject one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# "owner" is the project's proposer and "pilot_builder" the builder of its pilot (relations to one
# project); the rest are user roles. Plain "proposer" is absent on purpose: it would let any
# proposer fire a trigger on anyone's project.
KNOWN_ROLES = frozenset({"owner", "grantmaker", "admin", "reviewer", "builder", "pilot_builder"})


class WorkflowError(Exception):
    """A workflow is missing or invalid; ``problems`` holds one "source:line: message" each."""

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class StateDef:
    """One state, in the order the stepper shows it."""

    name: str
    label: str
    initial: bool = False
    terminal: bool = False
    line: int = field(default=0, compare=False)  # provenance, not meaning


@dataclass(frozen=True)
class TriggerDef:
    """One trigger: from which states to which, who may fire it, which guards must hold and
    which effects run once the state has moved."""

    name: str
    label: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()  # run by the transition service after the state moves
    comment: str = "optional"  # "required": firing needs a rationale in the comment
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class WorkflowDef:
    """A whole validated workflow file."""

    name: str
    source: str
    states: tuple[StateDef, ...]
    triggers: Mapping[str, TriggerDef] = field(hash=False)
    settings: Mapping[str, float | int] = field(hash=False)
    version: int = 1  # the file's `version:`; a project records the one it started under

    def __post_init__(self) -> None:
        # Read-only views: one cached definition is shared by every request in the process.
        object.__setattr__(self, "states", tuple(self.states))
        object.__setattr__(self, "triggers", MappingProxyType(dict(self.triggers)))
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    @property
    def initial(self) -> str:
        """The name of the initial state."""
        return next(s.name for s in self.states if s.initial)

    @property
    def terminal(self) -> frozenset[str]:
        """The names of the terminal states."""
        return frozenset(s.name for s in self.states if s.terminal)

    def state(self, name: str) -> StateDef:
        """The state called ``name``; KeyError if there is none."""
        for state in self.states:
            if state.name == name:
                return state
        raise KeyError(name)
