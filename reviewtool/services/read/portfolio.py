"""The portfolio (grantmakers and admins) as plain values: the page, the API and every CSV
download show this one dict, so their numbers are the same numbers. The formulas are in
portfolio_figures.py and pipeline_figures.py; the facts come from portfolio_facts.py.

Also one project in the context of its type (`type_context`), for the project page and the
decision memo."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from reviewtool import pipeline_figures as pipeline
from reviewtool import portfolio_figures as pf
from reviewtool.enums import State
from reviewtool.models import Project, ReviewRound, Revision, User
from reviewtool.permissions import can
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.figure_cache import cached
from reviewtool.services.read import portfolio_facts as facts
from reviewtool.services.read.portfolio_query import (
    PortfolioQuery,
    scope,
    scoped_projects,
)

STATE_LABELS = [(s.value, s.value.replace("_", " ").capitalize().replace("No go", "No-go"))
                for s in State]
DEFINITIONS = {
    "concern_pct": "Pooled: 100 x net-negative reviews / reviews, over the reviews of each "
                   "project's latest closed round (every review counts once).",
    "optimism_pct": "Pooled: 100 x optimistic reviews / reviews, over the same reviews.",
    "mean_concern_pct": "Mean of per-project figures: the mean of each project's own concern "
                        "in its latest closed round (every project counts once).",
    "mean_optimism_pct": "Mean of per-project figures, for optimism.",
    "too_few": f"Fewer than {pf.SMALL_GROUP} projects: too few to compare.",
}


def _labels(cats: Catalogues, name: str) -> list[tuple[str, str]]:
    return cats.choices(name)


def portfolio(session: Session, viewer: User, query: PortfolioQuery,
              cats: Catalogues | None = None) -> dict[str, Any]:
    """Every section of the portfolio for `viewer` and the filters of `query`."""
    cats = cats or load_catalogues(session)
    ids = scope(viewer, query)
    projects = scoped_projects(session, viewer, query)
    rounds = facts.closed_rounds(session, ids, projects)
    latest = facts.latest_rounds(projects, rounds)
    types = _labels(cats, "project_types")
    effects = pf.revision_effect(facts.round_trails(projects, rounds,
                                                    facts.safeguard_types(session, ids)))
    for effect in effects:
        effect["project_type_label"] = cats.label("project_types", effect["project_type"])
        effect["safeguards_added_labels"] = [cats.label("safeguard_types", k)
                                             for k in effect["safeguards_added"]]
    concerns = facts.review_concerns(projects, rounds)
    categories = _labels(cats, "risk_categories")
    widest = pf.widest_disagreement(
        [(p.project_id, p.title, rounds[p.project_id][-1]["figures"].get("disagreement", []))
         for p in latest])
    named = [*widest["risks"], *widest["projects"]]
    pf.name_risks(named, facts.risk_texts(session, [r["risk_id"] for r in named]), categories)
    moves = facts.events(session, ids, projects)
    needs = [pipeline.Need(pid, p["state"], n.get("kind", ""), n.get("key", ""),
                           bool(n.get("technical")), n.get("commitment", ""))
             for pid, p in projects.items() for n in p["roles_needed"]]
    return {
        "filters": query.as_args(),
        "projects": len(projects), "projects_with_reviews": len(latest),
        "definitions": DEFINITIONS,
        "by_project_type": pf.group_figures(latest, types, lambda p: [p.project_type]),
        "by_work_group": pf.group_figures(latest, _labels(cats, "work_groups"),
                                          lambda p: p.work_groups),
        "by_outcome": pf.group_figures(latest, _labels(cats, "outcomes"),
                                       lambda p: p.outcomes),
        "revision_effect": effects,
        "revision_by_type": pf.revision_by_type(effects, types),
        "safeguard_effect": pf.safeguard_effect(effects, _labels(cats, "safeguard_types")),
        "recurring_concerns": pf.recurring_concerns(concerns, categories),
        "recurring_by_type": pf.recurring_by_type(concerns, categories, types),
        "pilots_by_type": pipeline.pilots_by_type(facts.pilots(session, ids, projects, moves),
                                                  types),
        "decisions_by_type": pipeline.decisions_by_type(facts.decisions(session, ids,
                                                                        projects), types),
        "days_in_state": pipeline.days_in_state(facts.all_stays(projects, moves),
                                                STATE_LABELS),
        "disagreement": widest,
        "roles_needed": pipeline.roles_needed(needs, {
            "profession": _labels(cats, "professions"), "skill": _labels(cats, "skills")}),
        "role_modes": pipeline.role_modes(needs),
    }


def _type_rounds(session: Session, project_type: str) -> list[pf.ProjectRound]:
    """Every submitted project of the type with the frozen figures of its latest closed round
    with reviews (one query; rounds frozen by close_round, as every closed round here is).

    Only the three figures are read out of each round's JSON, in SQL: decoding every peer's
    whole figures in Python made this O(peers) in the slowest way (issue 13)."""
    n_reviews = ReviewRound.figures["n_reviews"].as_integer()
    latest: dict[int, pf.ProjectRound] = {}
    for pid, title, number, n, concern, optimism in session.execute(
            select(Project.id, Revision.title, ReviewRound.number, n_reviews,
                   ReviewRound.figures["concern_pct"].as_float(),
                   ReviewRound.figures["optimism_pct"].as_float())
            .join(Revision, and_(Revision.project_id == Project.id, Revision.is_current))
            .join(ReviewRound, ReviewRound.project_id == Project.id)
            .where(Revision.project_type == project_type, ReviewRound.status == "closed",
                   Project.state != State.DRAFT.value, n_reviews > 0)
            .order_by(Project.id, ReviewRound.number)):
        latest[pid] = pf.ProjectRound(pid, title, project_type, (), (), number, n, concern,
                                      optimism)
    return list(latest.values())


def kept_type_rounds(session: Session, project_type: str) -> tuple[pf.ProjectRound, ...]:
    """The latest closed round of every project of `project_type`, kept per process until
    the figures' stamp moves."""
    return cached(session, ("type_rounds", project_type),
                  lambda: tuple(_type_rounds(session, project_type)))


def type_context(session: Session, project: Project,
                 cats: Catalogues | None = None) -> dict[str, Any] | None:
    """How the project's concern and optimism (latest closed round) compare with the median
    of the other projects of its type; None when it has no type."""
    project_type = project.current_revision.project_type if project.current_revision else None
    if not project_type:
        return None
    cats = cats or load_catalogues(session)
    # The same for every project of the type: kept per process until a write moves the
    # figures' stamp (services/figure_cache.py); 40 ms a page at 10,000 projects otherwise.
    peers = kept_type_rounds(session, project_type)
    own = next((p for p in peers if p.project_id == project.id), None)
    context = {"project_type": project_type, "label": cats.label("project_types", project_type),
               **pf.type_context(own, peers)}
    return {**context, "sentence": context_sentence(context)}


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}%"


def context_sentence(c: dict[str, Any]) -> str:
    """The type context in one sentence, as the project page and the memo say it."""
    own = (f"Concern {_pct(c['concern_pct'])} and optimism {_pct(c['optimism_pct'])} in "
           f"round {c['round']} ({c['n_reviews']} reviews)" if c["round"] else
           "No closed review round yet")
    others = "other project" + ("" if c["peers"] == 1 else "s")
    if c["too_few"]:
        return (f"{own}; too few other {c['label']} projects to compare ({c['peers']} "
                f"{others} with a closed round).")
    return (f"{own}; median for {c['label']}: concern {_pct(c['median_concern_pct'])}, "
            f"optimism {_pct(c['median_optimism_pct'])} over {c['peers']} {others}.")


def context_for(session: Session, project: Project, viewer: User) -> dict[str, Any] | None:
    """The type context for the project page: only for those who compare projects and may
    see this one's reviewers' figures (grantmakers and admins, never its proposer or whoever
    declared a conflict)."""
    if not (can(viewer, "read_portfolio") and can(viewer, "see_reviewers", project)):
        return None
    return type_context(session, project)
