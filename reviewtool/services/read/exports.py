"""Whole tables as CSV or JSON for grantmakers and admins, streamed in batches so that any
number of projects exports in bounded memory.

Who gets what: every row of a project the caller may see (CONTRACT.md, "Who sees what"),
except that rounds and reviews leave out the projects the caller declared a conflict with
(their figures and reviews are hidden from them). A review row always names the reviewer by
the round-local letter; `reviewer_email` is filled only where the `see_reviewers` rule lets
the caller see who reviewed (grantmakers and admins, but not on a project they proposed
themselves), and is empty otherwise. Only the export rule's holders (grantmakers, admins)
reach these tables at all.

The generator opens a reading session of its own (db.reading_session) when it starts: the
request's session is committed and closed before the first byte is sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session

from reviewtool import tabular
from reviewtool.db import Database, reading_session
from reviewtool.errors import NotFound
from reviewtool.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Decision,
    Observation,
    Pilot,
    Project,
    Review,
    ReviewRound,
    Revision,
    Safeguard,
    User,
)
from reviewtool.permissions import can, require, visible_projects

BATCH = 500  # rows fetched (and written) at a time
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class Subject(NamedTuple):
    """What the project rules read of a project, for a row that is not an ORM object:
    conflicted projects are left out by the query, so none of these has a conflict."""

    id: int
    owner_id: int
    conflicts: tuple = ()
    pilot: None = None


@dataclass(frozen=True)
class Export:
    """One exported table: its columns, its query for a viewer, and a row's values."""

    columns: tuple[str, ...]
    query: Callable[[User], Select]
    values: Callable[[Any, User], list[Any]]


def _visible(viewer: User, column: Any) -> Any:
    return column.in_(visible_projects(viewer).with_only_columns(Project.id))


def _unconflicted(viewer: User, column: Any) -> Any:
    return and_(_visible(viewer, column), ~exists().where(
        ConflictDeclaration.project_id == column, ConflictDeclaration.user_id == viewer.id))


def _current(column: Any) -> Any:
    return and_(Revision.project_id == column, Revision.is_current)


def _frozen(figures: dict | None, key: str) -> Any:
    return figures.get(key) if figures else None


def _projects(viewer: User) -> Select:
    return (select(Project.id, Revision.title, Project.state, Revision.project_type,
                   Revision.work_groups, Revision.activity, Revision.outcomes,
                   Revision.roles_needed, Revision.location, Revision.budget, Revision.number,
                   User.name, Project.created_at, Project.updated_at)
            .join(Revision, _current(Project.id)).join(User, User.id == Project.owner_id)
            .where(_visible(viewer, Project.id)).order_by(Project.id))


def _project_values(row: Any, viewer: User) -> list[Any]:
    (pid, title, state, ptype, groups, activity, outcomes, roles, location, budget, number,
     owner, created, updated) = row
    return [pid, title, state, ptype, list(groups or []), activity,
            [o.get("outcome") for o in outcomes or []],
            [f"{n.get('kind')}:{n.get('key')}" for n in roles or []], location, budget,
            number, owner, created, updated]


def _rounds(viewer: User) -> Select:
    return (select(ReviewRound.project_id, ReviewRound.number, ReviewRound.status,
                   Revision.number, ReviewRound.opened_at, ReviewRound.closed_at,
                   ReviewRound.figures)
            .join(Revision, Revision.id == ReviewRound.revision_id)
            .where(_unconflicted(viewer, ReviewRound.project_id))
            .order_by(ReviewRound.project_id, ReviewRound.number))


def _round_values(row: Any, viewer: User) -> list[Any]:
    pid, number, status, revision, opened, closed, frozen = row
    return [pid, number, status, revision, opened, closed,
            *(_frozen(frozen, k) for k in ("n_reviews", "concern_pct", "optimism_pct",
                                           "weighted_concern_pct"))]


def _reviews(viewer: User) -> Select:
    return (select(ReviewRound.project_id, ReviewRound.number, Assignment.letter, User.email,
                   Project.owner_id, Review.stance, Review.net_negative,
                   Review.concern_categories, Review.confidence, Review.expertise,
                   Review.rationale, Review.suggested_safeguards, Review.risk_scores,
                   Review.submitted_at, Review.updated_at, Assignment.withdrawn_at)
            .join(Assignment, Assignment.id == Review.assignment_id)
            .join(ReviewRound, ReviewRound.id == Assignment.round_id)
            .join(Project, Project.id == ReviewRound.project_id)
            .join(User, User.id == Assignment.reviewer_id)
            .where(_unconflicted(viewer, ReviewRound.project_id))
            .order_by(ReviewRound.project_id, ReviewRound.number, Assignment.id))


def _review_values(row: Any, viewer: User) -> list[Any]:
    (pid, number, letter, email, owner_id, stance, net_negative, categories, confidence,
     expertise, rationale, safeguards, scores, submitted, updated, withdrawn) = row
    named = can(viewer, "see_reviewers", Subject(pid, owner_id))
    return [pid, number, letter, email if named else None, stance, net_negative,
            list(categories or []), confidence, expertise, rationale, list(safeguards or []),
            [f"{s['risk_id']}:{s['likelihood']}x{s['severity']}" for s in scores or []],
            submitted, updated, withdrawn is not None]


def _safeguards(viewer: User) -> Select:
    return (select(Revision.project_id, Revision.number, Safeguard.position, Safeguard.type,
                   Safeguard.description, Safeguard.responsible, Safeguard.addresses,
                   Safeguard.residual_likelihood, Safeguard.residual_severity)
            .join(Revision, Revision.id == Safeguard.revision_id)
            .where(_visible(viewer, Revision.project_id))
            .order_by(Revision.project_id, Revision.number, Safeguard.position, Safeguard.id))


def _criteria_count(kind: str) -> Any:
    return (select(func.count()).where(Criterion.pilot_id == Pilot.id, Criterion.kind == kind)
            .scalar_subquery())


def _pilots(viewer: User) -> Select:
    return (select(Pilot.project_id, Pilot.starts_on, Pilot.ends_on, Pilot.budget,
                   Pilot.frozen_at, Pilot.plan_sha256, _criteria_count("success"),
                   _criteria_count("kill"))
            .where(_visible(viewer, Pilot.project_id)).order_by(Pilot.project_id))


def _observations(viewer: User) -> Select:
    return (select(Pilot.project_id, Criterion.id, Criterion.kind, Criterion.metric,
                   Criterion.comparator, Criterion.target, Criterion.unit, Observation.value,
                   Observation.observed_on, Observation.note, Observation.recorded_at)
            .join(Criterion, Criterion.id == Observation.criterion_id)
            .join(Pilot, Pilot.id == Criterion.pilot_id)
            .where(_visible(viewer, Pilot.project_id))
            .order_by(Pilot.project_id, Criterion.position, Observation.observed_on,
                      Observation.id))


def _decisions(viewer: User) -> Select:
    return (select(Decision.project_id, Decision.kind, Decision.rationale, Decision.conditions,
                   Decision.review_by, User.name, Decision.decided_at)
            .join(User, User.id == Decision.decided_by_id)
            .where(_visible(viewer, Decision.project_id))
            .order_by(Decision.project_id, Decision.decided_at, Decision.id))


def _decision_values(row: Any, viewer: User) -> list[Any]:
    pid, kind, rationale, conditions, review_by, by, at = row
    return [pid, kind, rationale, [f"{c.get('text')} (due {c.get('due_on')})"
                                   for c in conditions or []], review_by, by, at]


def _plain(row: Any, viewer: User) -> list[Any]:
    return list(row)


EXPORTS: dict[str, Export] = {
    "projects": Export(("id", "title", "state", "project_type", "work_groups", "activity",
                        "outcomes", "roles_needed", "location", "budget", "revision",
                        "proposer", "created_at", "updated_at"), _projects, _project_values),
    "rounds": Export(("project_id", "number", "status", "revision", "opened_at", "closed_at",
                      "n_reviews", "concern_pct", "optimism_pct", "weighted_concern_pct"),
                     _rounds, _round_values),
    "reviews": Export(("project_id", "round", "letter", "reviewer_email", "stance",
                       "net_negative", "concern_categories", "confidence", "expertise",
                       "rationale", "suggested_safeguards", "risk_scores", "submitted_at",
                       "updated_at", "withdrawn"), _reviews, _review_values),
    "safeguards": Export(("project_id", "revision", "position", "type", "description",
                          "responsible", "addresses", "residual_likelihood",
                          "residual_severity"), _safeguards, _plain),
    "pilots": Export(("project_id", "starts_on", "ends_on", "budget", "frozen_at",
                      "plan_sha256", "success_criteria", "kill_criteria"), _pilots, _plain),
    "observations": Export(("project_id", "criterion_id", "criterion_kind", "metric",
                            "comparator", "target", "unit", "value", "observed_on", "note",
                            "recorded_at"), _observations, _plain),
    "decisions": Export(("project_id", "kind", "rationale", "conditions", "review_by",
                         "decided_by", "decided_at"), _decisions, _decision_values),
}


def check_export(viewer: User, table: str, fmt: str) -> None:
    """Refuse before anything streams: 403 without the export rule, 404 for an unknown table
    or format."""
    require(viewer, "export_tables")
    if table not in EXPORTS or fmt not in FORMATS:
        raise NotFound(f"No export {table}.{fmt}: the tables are {', '.join(EXPORTS)}, as "
                       ".csv or .json.")


def _json_value(value: Any) -> Any:
    return tabular.iso(value) if hasattr(value, "isoformat") else value


def rows(session: Session, viewer: User, table: str) -> Iterator[list[list[Any]]]:
    """The table's rows for `viewer`, BATCH at a time, as lists in column order."""
    export = EXPORTS[table]
    result = session.execute(export.query(viewer).execution_options(yield_per=BATCH))
    for batch in result.partitions():
        yield [export.values(row, viewer) for row in batch]


def stream(database: Database, viewer_id: int, table: str, fmt: str) -> Iterator[str]:
    """The export as text chunks, one per batch, read in a session of its own."""
    columns = EXPORTS[table].columns
    with reading_session(database) as session:
        viewer = session.get(User, viewer_id)
        if fmt == "csv":
            yield tabular.BOM + tabular.lines([columns])
            for batch in rows(session, viewer, table):
                yield tabular.lines(batch)
            return
        yield json.dumps({"table": table, "columns": list(columns)})[:-1] + ', "items": ['
        first = True
        for batch in rows(session, viewer, table):
            text = ",\n".join(json.dumps(dict(zip(columns, (_json_value(v) for v in row),
                                                   strict=True)), ensure_ascii=False)
                              for row in batch)
            yield ("" if first else ",\n") + text
            first = False
        yield "]}\n"
