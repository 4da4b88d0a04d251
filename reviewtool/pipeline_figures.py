"""The portfolio's pipeline figures: pilots and decisions by project type, days spent in each
state, and the people the projects need. Pure functions over plain values (see also
portfolio_figures.py, whose rounding and small-group rule they share).

- **Pilots by type** (pilots whose plan was frozen, i.e. that started): success criteria met
  of all success criteria, kill criteria breached of all kill criteria (verdicts as
  figures.verdict gives them: the latest observation decides), and pilots *stopped*: the
  project left the pilot state before the plan's end date, whatever the trigger.
- **Decisions by type**: every go, no-go and recycle decision taken (a project recycled and
  then decided go counts once in each column), with how many projects took them.
- **Days in each state**: from the transition events, a stay in a state runs from the event
  that entered it (for draft: the project's creation) to the event that left it, in days
  (86,400 s); the state a project is in now is not a finished stay and does not count. The
  median of the stays of each state, to one decimal.
- **Roles needed**: each role a project's current revision needs, by kind (profession or
  skill) and key: how many projects need it in the pipeline (submitted, not yet decided:
  risk model, review, revision, pilot, decision) and decided go, and across both how many
  needs are technical or not, full-time or fractional. `projects` = pipeline + go. `modes`
  counts the projects needing at least one technical (non-technical, full-time, fractional)
  role, in the pipeline and decided go."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reviewtool.figures import pilot_tally
from reviewtool.portfolio_figures import SMALL_GROUP, Labels, middle, ordered

PIPELINE_STATES = ("risk_model", "review", "revision", "pilot", "decision")
DECISION_KINDS = ("go", "no_go", "recycle")
DAY = 86_400


@dataclass(frozen=True)
class PilotFacts:
    """One started pilot: its project's type, its criteria's (kind, verdict), and whether it
    stopped before its planned end."""

    project_id: int
    project_type: str | None
    verdicts: tuple[tuple[str, str], ...]
    stopped: bool


def pilots_by_type(pilots: Sequence[PilotFacts], types: Labels) -> list[dict[str, Any]]:
    """Criteria met, kill criteria breached and pilots stopped, per project type."""
    rows = []
    for key, label in ordered(types, (p.project_type for p in pilots)):
        group = [p for p in pilots if p.project_type == key]
        tally = pilot_tally(v for p in group for v in p.verdicts)
        rows.append({"key": key, "label": label, "pilots": len(group),
                     "success_met": tally["success_met"], "success_total": tally["success_total"],
                     "kill_breached": tally["kill_breached"], "kill_total": tally["kill_total"],
                     "stopped": sum(p.stopped for p in group),
                     "too_few": len(group) < SMALL_GROUP})
    return rows


def decisions_by_type(decisions: Sequence[tuple[int, str | None, str]],
                      types: Labels) -> list[dict[str, Any]]:
    """From (project id, project type, decision kind): go, no-go and recycle per type."""
    rows = []
    for key, label in ordered(types, (t for _, t, _ in decisions)):
        group = [(pid, kind) for pid, t, kind in decisions if t == key]
        projects = len({pid for pid, _ in group})
        rows.append({"key": key, "label": label, "projects": projects,
                     **{kind: sum(k == kind for _, k in group) for kind in DECISION_KINDS},
                     "too_few": projects < SMALL_GROUP})
    return rows


def stays(created_at: datetime, events: Iterable[tuple[datetime, str, str]]) -> list[tuple]:
    """A project's finished stays as (state, days), from its creation time and its events
    (at, from, to) oldest first."""
    result, entered = [], created_at
    for at, from_state, _to in events:
        result.append((from_state, (at - entered).total_seconds() / DAY))
        entered = at
    return result


def days_in_state(all_stays: Iterable[tuple[str, float]],
                  states: Labels) -> list[dict[str, Any]]:
    """The median days of the finished stays in each state (states with none are left out)."""
    by_state: dict[str, list[float]] = {}
    for state, days in all_stays:
        by_state.setdefault(state, []).append(days)
    return [{"key": key, "label": label, "stays": len(by_state[key]),
             "median_days": middle(by_state[key])}
            for key, label in ordered(states, by_state)]


@dataclass(frozen=True)
class Need:
    """One role one project needs (from its current revision), and the project's state."""

    project_id: int
    state: str
    kind: str
    key: str
    technical: bool
    commitment: str


def _population(state: str) -> str | None:
    if state in PIPELINE_STATES:
        return "pipeline"
    return "go" if state == "go" else None


def roles_needed(needs: Sequence[Need], labels: dict[str, Labels]) -> list[dict[str, Any]]:
    """Per (kind, key) needed in the pipeline or by projects decided go; `labels` maps each
    kind to its catalogue's (key, label) pairs. Professions first, then skills."""
    counted = [n for n in needs if _population(n.state)]
    rows = []
    for kind in ("profession", "skill"):
        of_kind = [n for n in counted if n.kind == kind]
        for key, label in ordered(labels.get(kind, ()), (n.key for n in of_kind)):
            group = [n for n in of_kind if n.key == key]
            pipeline = {n.project_id for n in group if _population(n.state) == "pipeline"}
            go = {n.project_id for n in group if _population(n.state) == "go"}
            rows.append({"kind": kind, "key": key, "label": label,
                         "projects": len(pipeline) + len(go), "pipeline": len(pipeline),
                         "go": len(go), "technical": sum(n.technical for n in group),
                         "non_technical": sum(not n.technical for n in group),
                         "full_time": sum(n.commitment == "full_time" for n in group),
                         "fractional": sum(n.commitment != "full_time" for n in group)})
    return rows


MODES = (("technical", "Technical (needs ML knowledge)", lambda n: n.technical),
         ("non_technical", "Non-technical", lambda n: not n.technical),
         ("full_time", "Full-time (30+ hours a week)", lambda n: n.commitment == "full_time"),
         ("fractional", "Fractional", lambda n: n.commitment != "full_time"))


def role_modes(needs: Sequence[Need]) -> list[dict[str, Any]]:
    """Projects needing at least one role of each contribution mode, pipeline and go."""
    rows = []
    for key, label, test in MODES:
        wanted = [n for n in needs if test(n)]
        rows.append({"key": key, "label": label, **{
            population: len({n.project_id for n in wanted if _population(n.state) == population})
            for population in ("pipeline", "go")}})
    return rows
