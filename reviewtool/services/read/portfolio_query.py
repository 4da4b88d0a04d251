"""The portfolio's filters and the projects they select: one definition of the scope that every
portfolio query joins, whoever asks (page, API, CSV)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, String, and_, cast, exists, select
from sqlalchemy.orm import Session

from reviewtool.enums import State
from reviewtool.errors import Invalid
from reviewtool.models import ConflictDeclaration, Decision, Project, Revision, User
from reviewtool.permissions import require, visible_projects
from reviewtool.services.catalogues import Catalogues

FILTERS = ("project_type", "work_group", "outcome", "state", "decided_from", "decided_to")


@dataclass(frozen=True)
class PortfolioQuery:
    """Which projects the portfolio covers: every filter is optional."""

    project_type: str = ""
    work_group: str = ""
    outcome: str = ""
    state: str = ""
    decided_from: date | None = None
    decided_to: date | None = None

    def as_args(self) -> dict[str, str]:
        """The filters that are set, as query parameters (for links and the API answer)."""
        return {k: v.isoformat() if isinstance(v, date) else v
                for k, v in asdict(self).items() if v}


def _catalogue_filter(args: Any, name: str, allowed: list[str], what: str,
                      problems: list[dict[str, str]]) -> str:
    raw = (args.get(name) or "").strip()
    if raw and raw not in allowed:
        shown = raw if len(raw) <= 60 else raw[:57] + "..."
        problems.append({"field": name, "message": f"{name}: {shown!r} is not a {what}; use "
                                                   f"one of {', '.join(allowed)}."})
    return raw


def parse_portfolio_query(args: Any, cats: Catalogues) -> PortfolioQuery:
    """The filters from query parameters; every problem at once (422), named by its field."""
    problems: list[dict[str, str]] = []
    values: dict[str, Any] = {
        "project_type": _catalogue_filter(args, "project_type", cats.keys("project_types"),
                                          "project type", problems),
        "work_group": _catalogue_filter(args, "work_group", cats.keys("work_groups"),
                                        "work group", problems),
        "outcome": _catalogue_filter(args, "outcome", cats.keys("outcomes"), "target outcome",
                                     problems),
        "state": _catalogue_filter(args, "state", [s.value for s in State if s != State.DRAFT],
                                   "state of a submitted project", problems)}
    for name in ("decided_from", "decided_to"):
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                values[name] = date.fromisoformat(raw)
            except ValueError:
                problems.append({"field": name, "message": f"{name}: give a date like "
                                                           "2026-12-31."})
    start, end = values.get("decided_from"), values.get("decided_to")
    if start and end and end < start:
        problems.append({"field": "decided_to", "message": "decided_to: the end date is "
                                                           "before decided_from."})
    if problems:
        raise Invalid(problems=problems)
    return PortfolioQuery(**values)


def _json_names(column: Any, key: str) -> Any:
    """A pre-filter: the JSON text of `column` mentions the catalogue key `key` (keys are
    [a-z0-9_], so the quoted key matches only itself or a measure's text that quotes it;
    in_scope checks exactly)."""
    return cast(column, String).like(f'%"{key}"%')


def scope(viewer: User, query: PortfolioQuery) -> Select:
    """The ids of the projects the portfolio covers for `viewer`: submitted projects they may
    see and have not declared a conflict with (whose figures are hidden from them), filtered.
    Work group and outcome are narrowed here and decided exactly by `in_scope`."""
    require(viewer, "read_portfolio")
    stmt = (visible_projects(viewer).with_only_columns(Project.id)
            .join(Revision, and_(Revision.project_id == Project.id, Revision.is_current))
            .where(Project.state != State.DRAFT.value,
                   ~exists().where(ConflictDeclaration.project_id == Project.id,
                                   ConflictDeclaration.user_id == viewer.id)))
    if query.state:
        stmt = stmt.where(Project.state == query.state)
    if query.project_type:
        stmt = stmt.where(Revision.project_type == query.project_type)
    if query.work_group:
        stmt = stmt.where(_json_names(Revision.work_groups, query.work_group))
    if query.outcome:
        stmt = stmt.where(_json_names(Revision.outcomes, query.outcome))
    if query.decided_from or query.decided_to:
        decided = [Decision.project_id == Project.id]
        if query.decided_from:
            decided.append(Decision.decided_at >= datetime.combine(query.decided_from, time(),
                                                                   UTC))
        if query.decided_to:
            decided.append(Decision.decided_at < datetime.combine(
                query.decided_to + timedelta(days=1), time(), UTC))
        stmt = stmt.where(exists().where(*decided))
    return stmt


def in_scope(query: PortfolioQuery, work_groups: list[str], outcomes: list[dict]) -> bool:
    """The exact test of the work group and outcome filters on one project's revision."""
    if query.work_group and query.work_group not in (work_groups or []):
        return False
    return not query.outcome or any(o.get("outcome") == query.outcome for o in outcomes or [])


def scoped_projects(session: Session, viewer: User, query: PortfolioQuery) -> dict[int, dict]:
    """The projects in scope: id -> title, state, created_at, type, work groups, outcome
    keys and roles needed of the current revision (one query)."""
    ids = scope(viewer, query).subquery()
    rows = session.execute(
        select(Project.id, Project.state, Project.created_at, Revision.title,
               Revision.project_type, Revision.work_groups, Revision.outcomes,
               Revision.roles_needed)
        .join(Revision, and_(Revision.project_id == Project.id, Revision.is_current))
        .where(Project.id.in_(select(ids.c.id))).order_by(Project.id))
    found = {}
    for pid, state, created, title, ptype, groups, outcomes, roles in rows:
        if in_scope(query, groups, outcomes):
            found[pid] = {"id": pid, "state": state, "created_at": created, "title": title,
                          "project_type": ptype, "work_groups": tuple(groups or ()),
                          "outcomes": tuple(dict.fromkeys(o.get("outcome") for o in
                                                          outcomes or [])),
                          "roles_needed": list(roles or [])}
    return found
