"""Load workflow definitions from YAML into validated, frozen dataclasses."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from reviewtool.resources import data_dir
from reviewtool.workflow.definition import (
    KNOWN_ROLES,
    StateDef,
    TriggerDef,
    WorkflowDef,
    WorkflowError,
)
from reviewtool.workflow.machine import Workflow
from reviewtool.workflow.yaml_lines import LineDict, LineList, LineLoader

ANY_NON_TERMINAL = "any_non_terminal"
COMMENT_MODES = ("optional", "required")
_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
# A workflow's own name is also its file's name (workflows/small-grants.yaml), so it may have
# hyphens; states and triggers may not (they are Python identifiers to transitions).
_WORKFLOW_NAME_RE = re.compile(r"[a-z][a-z0-9_-]*\Z")
_KEYS = {"the top level": ("name", "version", "settings", "states", "triggers"),
         "state": ("name", "label", "initial", "terminal"),
         "trigger": ("label", "from", "to", "roles", "guards", "effects", "comment")}


_KINDS = {
    "name": (lambda v: isinstance(v, str) and _NAME_RE.match(v), "a lower_case name"),
    "workflow_name": (lambda v: isinstance(v, str) and _WORKFLOW_NAME_RE.match(v),
                      "a lower-case name (letters, digits, '_' and '-')"),
    "text": (lambda v: isinstance(v, str) and v.strip(), "a non-empty string"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "mapping": (lambda v: isinstance(v, LineDict), "a mapping"),
    "list": (lambda v: isinstance(v, LineList) and v, "a non-empty list"),
    "seq": (lambda v: isinstance(v, LineList), "a list"),
    "version": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
                "a whole number from 1"),
}


class _Parser:
    """Validates one document, collecting every (line, message) problem before raising."""

    def __init__(self, source: str, known_guards: Iterable[str],
                 known_effects: Iterable[str] = ()) -> None:
        self.source, self.known_guards = source, sorted(known_guards)
        self.known_effects = sorted(known_effects)
        self.problems: list[tuple[int, str]] = []
        self.states: list[StateDef] = []
        self.triggers: list[TriggerDef] = []

    def report(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def error(self) -> WorkflowError:
        ordered = sorted(self.problems, key=lambda problem: problem[0])  # file order
        return WorkflowError(f"{self.source}:{line}: {message}" for line, message in ordered)

    def read(self, text: str) -> LineDict:
        loader = None
        try:
            loader = LineLoader(text)
            data = loader.get_single_data()
        except yaml.MarkedYAMLError as exc:
            mark, start = exc.problem_mark or exc.context_mark, exc.context_mark
            # The context ("while parsing a flow mapping") often starts where the mistake is.
            hint = f" ({exc.context} on line {start.line + 1})" if exc.context and start else ""
            what = f"{exc.problem}{hint}" if exc.problem else exc.context
            self.report(mark.line + 1 if mark else 1, f"invalid YAML: {what}")
            raise self.error() from None
        except yaml.YAMLError as exc:  # a ReaderError (control character) has no mark
            line = text.count("\n", 0, getattr(exc, "position", 0)) + 1
            self.report(line, f"invalid YAML: {str(exc).splitlines()[0]}")
            raise self.error() from None
        finally:
            if loader is not None:
                loader.dispose()
        for line, key in loader.duplicates:
            self.report(line, f"duplicate key '{key}'")
        if not isinstance(data, LineDict):
            self.report(getattr(data, "line", 1), "the top level must be a mapping")
            raise self.error()
        return data

    def get(self, mapping: LineDict, key: str, kind: str, where: str, default: Any = None,
            *, required: bool = True) -> Any:
        """mapping[key] if it is of ``kind``; else report it and return ``default``."""
        if key not in mapping:
            if required:
                self.report(mapping.line, f"missing key '{key}' in {where}")
            return default
        check, expected = _KINDS[kind]
        if not check(mapping[key]):
            self.report(mapping.lines[key],
                        f"'{key}' in {where} must be {expected}, not {mapping[key]!r}")
            return default
        return mapping[key]

    def check_keys(self, mapping: LineDict, kind: str, where: str) -> None:
        allowed = _KEYS[kind]
        for key in [key for key in mapping if key not in allowed]:  # typos such as 'gaurds'
            self.report(mapping.lines[key],
                        f"unknown key '{key}' in {where} (allowed: {', '.join(sorted(allowed))})")

    def names(self, items: LineList, where: str, known: Iterable[str], what: str
              ) -> tuple[str, ...]:
        known, found = sorted(known), []
        for item, line in zip(items, items.lines, strict=True):
            if item not in known:
                self.report(line, f"unknown {what} {item!r} in {where} "
                                  f"(known: {', '.join(known) or 'none'})")
            elif item in found:
                self.report(line, f"{what} '{item}' is listed twice in {where}")
            else:
                found.append(item)
        return tuple(found)

    def settings(self, data: LineDict) -> dict[str, float | int]:
        settings = self.get(data, "settings", "mapping", "the top level", {}, required=False)
        for key, value in settings.items():
            # Thresholds that guards compare against: a bool or a string is a typo, not a number.
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not (number and math.isfinite(value) and isinstance(key, str)):
                self.report(settings.lines[key], f"setting {key!r} must be a number, not {value!r}")
        return settings

    def state(self, item: Any, line: int, number: int) -> None:
        if not isinstance(item, LineDict):
            return self.report(line, f"state #{number} must be a mapping")
        name = self.get(item, "name", "name", f"state #{number}")
        where = f"state '{name}'" if name else f"state #{number}"
        self.check_keys(item, "state", where)
        state = StateDef(name, self.get(item, "label", "text", where, ""),
                         self.get(item, "initial", "bool", where, False, required=False),
                         self.get(item, "terminal", "bool", where, False, required=False), line)
        if state.initial and state.terminal:
            self.report(line, f"{where} cannot be both initial and terminal")
        if name in {s.name for s in self.states}:
            self.report(line, f"duplicate state name '{name}'")
        elif name:
            self.states.append(state)

    def trigger(self, name: Any, body: Any, line: int) -> None:
        where = f"trigger '{name}'"
        if not isinstance(name, str) or not _NAME_RE.match(name):
            return self.report(line, f"trigger name {name!r} must be a lower_case name")
        if not isinstance(body, LineDict):
            return self.report(line, f"{where} must be a mapping")
        body.line = line  # a missing key is best reported at the trigger's name
        self.check_keys(body, "trigger", where)
        names = [s.name for s in self.states]
        terminal = {s.name for s in self.states if s.terminal}
        from_line, raw = body.lines.get("from", line), body.get("from")
        if raw == ANY_NON_TERMINAL:
            sources = tuple(n for n in names if n not in terminal)
        else:  # a single state needs no brackets
            items = (LineList([raw], [from_line]) if isinstance(raw, str)
                     else self.get(body, "from", "list", where, LineList()))
            sources = self.names(items, where, names, "state")
        for source in sorted(terminal.intersection(sources)):
            self.report(from_line, f"terminal state '{source}' has an outgoing trigger '{name}'")
        dest = self.get(body, "to", "name", where, "")
        if dest:
            self.names(LineList([dest], [body.lines["to"]]), where, names, "state")
        comment = self.get(body, "comment", "text", where, "optional", required=False)
        if comment not in COMMENT_MODES:
            self.report(body.lines["comment"], f"'comment' in {where} must be optional or required")
        roles = self.get(body, "roles", "list", where, LineList())
        guards = self.get(body, "guards", "seq", where, LineList(), required=False)
        effects = self.get(body, "effects", "seq", where, LineList(), required=False)
        self.triggers.append(TriggerDef(
            name, self.get(body, "label", "text", where, ""), sources, dest,
            self.names(roles, where, KNOWN_ROLES, "role"),
            self.names(guards, where, self.known_guards, "guard"),
            self.names(effects, where, self.known_effects, "effect"), comment, line))

    def check_graph(self, data: LineDict) -> None:
        """Exactly one initial state; every state reachable; every non-terminal one leavable."""
        initials = [s for s in self.states if s.initial]
        if not initials and self.states:
            self.report(data.lines["states"], "no initial state: mark exactly one with "
                                                "'initial: true'")
        for extra in initials[1:]:
            self.report(extra.line, f"state '{extra.name}' is a second initial state "
                                    f"(the first is '{initials[0].name}')")
        reached, frontier = set(), [s.name for s in initials[:1]]
        while frontier:
            reached.update(frontier)
            frontier = [t.dest for t in self.triggers if reached.intersection(t.sources)
                        and t.dest and t.dest not in reached]
        leavable = {source for trigger in self.triggers for source in trigger.sources}
        for state in self.states:
            if initials and state.name not in reached:
                self.report(state.line, f"state '{state.name}' cannot be reached from the "
                                        f"initial state '{initials[0].name}'")
            if not state.terminal and state.name not in leavable:
                self.report(state.line, f"non-terminal state '{state.name}' cannot be left "
                                        "(no trigger goes from it)")


def parse_workflow(text: str, *, source: str, known_guards: Iterable[str],
                   known_effects: Iterable[str] = ()) -> WorkflowDef:
    """Parse and validate workflow YAML; raise one WorkflowError listing every problem."""
    parser = _Parser(source, known_guards, known_effects)
    data = parser.read(text)
    parser.check_keys(data, "the top level", "the top level")
    name = parser.get(data, "name", "workflow_name", "the top level", "")
    # Stored on each project it starts, so a changed file can be told from the one it began.
    version = parser.get(data, "version", "version", "the top level", 1, required=False)
    settings = parser.settings(data)
    states = parser.get(data, "states", "list", "the top level", LineList())
    for number, (item, line) in enumerate(zip(states, states.lines, strict=True), start=1):
        parser.state(item, line, number)
    triggers = parser.get(data, "triggers", "mapping", "the top level", LineDict())
    for trigger_name, body in triggers.items():
        parser.trigger(trigger_name, body, triggers.lines[trigger_name])
    parser.check_graph(data)
    if parser.problems:
        raise parser.error()
    return WorkflowDef(name, source, tuple(parser.states),
                       {t.name: t for t in parser.triggers}, settings, version)


def load_workflow(name_or_path: str, *, known_guards: Iterable[str],
                  known_effects: Iterable[str]) -> Workflow:
    """Load a workflow by bare name (``default``) or file path; parsed once per file version.

    The guard and effect names a file may use come from the caller (the services layer owns
    their code), so this module needs nothing above the domain."""
    if "/" not in name_or_path and not name_or_path.endswith((".yaml", ".yml")):
        directory = data_dir("workflows")  # inside the package in a wheel, else beside it
        path, source = directory / f"{name_or_path}.yaml", f"workflows/{name_or_path}.yaml"
    else:
        path, source = Path(name_or_path), name_or_path
    path = path.resolve()
    if not path.is_file():
        raise WorkflowError(f"workflow {name_or_path!r} not found: looked for {path}")
    workflow = _load_file(str(path), path.stat().st_mtime_ns, source, frozenset(known_guards),
                          frozenset(known_effects))
    if source.startswith("workflows/") and workflow.name != name_or_path.split(".")[0]:
        # Projects find their workflow again by the name they stored: it must be the file's.
        raise WorkflowError(f"{source}: the file is named {name_or_path!r} but its 'name' is "
                            f"{workflow.name!r}; make them the same")
    return workflow


@functools.lru_cache(maxsize=32)
def _load_file(path: str, mtime_ns: int, source: str, known_guards: frozenset[str],
               known_effects: frozenset[str]) -> Workflow:
    """Parse a file once per version: the mtime in the cache key makes an edit re-read it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkflowError(f"{source}: cannot read workflow: {exc}") from exc
    return Workflow(parse_workflow(text, source=source, known_guards=known_guards,
                                   known_effects=known_effects))
