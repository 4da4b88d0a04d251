"""The plain facts the portfolio's figures are made of, read in a fixed number of queries
whatever the number of projects (each query joins the scope once; none runs per project).

A closed round's figures are the ones frozen when it closed (ReviewRound.figures). Only a
closed round without them (not made by this app's close_round) is computed here, from the
reviews that were live when it closed: not withdrawn before its closing time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reviewtool import figures
from reviewtool.models import (
    Assignment,
    Criterion,
    Decision,
    Observation,
    Pilot,
    Review,
    ReviewRound,
    Revision,
    Risk,
    Safeguard,
    TransitionEvent,
)
from reviewtool.pipeline_figures import PilotFacts, stays
from reviewtool.portfolio_figures import ProjectRound, ReviewConcern, RoundTrail


def _ids(scope: Select) -> Select:
    sub = scope.subquery()
    return select(sub.c.id)


def closed_rounds(session: Session, scope: Select,
                  projects: dict[int, dict]) -> dict[int, list[dict[str, Any]]]:
    """Per project, its closed rounds oldest first: number, revision id, closing time, the
    (frozen) figures and the reviews live at closing (two queries)."""
    rounds: dict[int, dict[str, Any]] = {}
    for rid, pid, number, revision_id, closed_at, frozen in session.execute(
            select(ReviewRound.id, ReviewRound.project_id, ReviewRound.number,
                   ReviewRound.revision_id, ReviewRound.closed_at, ReviewRound.figures)
            .where(ReviewRound.status == "closed", ReviewRound.project_id.in_(_ids(scope)))
            .order_by(ReviewRound.project_id, ReviewRound.number)):
        if pid in projects:
            rounds[rid] = {"project_id": pid, "number": number, "revision_id": revision_id,
                           "closed_at": closed_at, "figures": frozen, "reviews": []}
    for rid, net_negative, stance, confidence, cats, scores, withdrawn_at in session.execute(
            select(Assignment.round_id, Review.net_negative, Review.stance, Review.confidence,
                   Review.concern_categories, Review.risk_scores, Assignment.withdrawn_at)
            .join(Review, Review.assignment_id == Assignment.id)
            .join(ReviewRound, ReviewRound.id == Assignment.round_id)
            .where(ReviewRound.status == "closed", ReviewRound.project_id.in_(_ids(scope)))
            .order_by(Assignment.round_id, Assignment.id)):
        found = rounds.get(rid)
        if found is not None and (withdrawn_at is None or withdrawn_at > found["closed_at"]):
            found["reviews"].append(figures.ReviewFacts(
                net_negative=net_negative, stance=stance, confidence=confidence,
                concern_categories=frozenset(cats or ()),
                risk_scores={s["risk_id"]: (s["likelihood"], s["severity"])
                             for s in scores or []}))
    by_project: dict[int, list[dict[str, Any]]] = {}
    for found in rounds.values():
        if found["figures"] is None:  # not frozen by this app: computed from its reviews
            found["figures"] = figures.round_figures(found["reviews"], [])
        if found["figures"].get("n_reviews"):
            by_project.setdefault(found["project_id"], []).append(found)
    return by_project


def latest_rounds(projects: dict[int, dict],
                  rounds: dict[int, list[dict[str, Any]]]) -> list[ProjectRound]:
    """Each project's latest closed round with reviews, as portfolio_figures takes it."""
    latest = []
    for pid, trail in rounds.items():
        last, project = trail[-1], projects[pid]
        latest.append(ProjectRound(
            project_id=pid, title=project["title"], project_type=project["project_type"],
            work_groups=project["work_groups"], outcomes=project["outcomes"],
            round_number=last["number"], n_reviews=last["figures"]["n_reviews"],
            concern_pct=last["figures"]["concern_pct"],
            optimism_pct=last["figures"]["optimism_pct"]))
    return sorted(latest, key=lambda p: p.project_id)


def review_concerns(projects: dict[int, dict],
                    rounds: dict[int, list[dict[str, Any]]]) -> list[ReviewConcern]:
    """The reviews of each project's latest closed round: net negative, categories cited."""
    return [ReviewConcern(pid, projects[pid]["project_type"], r.net_negative,
                          r.concern_categories)
            for pid, trail in sorted(rounds.items()) for r in trail[-1]["reviews"]]


def safeguard_types(session: Session, scope: Select) -> dict[int, list[str]]:
    """Revision id -> the types of its safeguards, in order (one query)."""
    found: dict[int, list[str]] = {}
    for revision_id, kind in session.execute(
            select(Safeguard.revision_id, Safeguard.type)
            .join(Revision, Revision.id == Safeguard.revision_id)
            .where(Revision.project_id.in_(_ids(scope)))
            .order_by(Safeguard.revision_id, Safeguard.position, Safeguard.id)):
        found.setdefault(revision_id, []).append(kind)
    return found


def round_trails(projects: dict[int, dict], rounds: dict[int, list[dict[str, Any]]],
                 safeguards: dict[int, list[str]]) -> list[RoundTrail]:
    """Each project's closed rounds with reviews, for "does revising help?"."""
    return [RoundTrail(pid, projects[pid]["title"], projects[pid]["project_type"],
                       tuple(r["figures"]["concern_pct"] for r in trail),
                       tuple(safeguards.get(trail[0]["revision_id"], ())),
                       tuple(safeguards.get(trail[-1]["revision_id"], ())))
            for pid, trail in sorted(rounds.items())]


def risk_texts(session: Session, risk_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Risk id -> (category, description), for the risks a table names (one query)."""
    wanted = sorted(set(risk_ids))
    if not wanted:
        return {}
    return {rid: (category, description) for rid, category, description in session.execute(
        select(Risk.id, Risk.category, Risk.description).where(Risk.id.in_(wanted)))}


def events(session: Session, scope: Select,
           projects: dict[int, dict]) -> dict[int, list[tuple[datetime, str, str, str]]]:
    """Per project its transition events (at, from, to, trigger), oldest first (one query)."""
    found: dict[int, list[tuple[datetime, str, str, str]]] = {}
    for pid, at, from_state, to_state, trigger in session.execute(
            select(TransitionEvent.project_id, TransitionEvent.at, TransitionEvent.from_state,
                   TransitionEvent.to_state, TransitionEvent.trigger)
            .where(TransitionEvent.project_id.in_(_ids(scope)))
            .order_by(TransitionEvent.project_id, TransitionEvent.at, TransitionEvent.id)):
        if pid in projects:
            found.setdefault(pid, []).append((at, from_state, to_state, trigger))
    return found


def all_stays(projects: dict[int, dict],
              moves: dict[int, list[tuple[datetime, str, str, str]]]) -> list[tuple]:
    """Every finished stay in a state, over all projects in scope."""
    return [stay for pid, project in projects.items()
            for stay in stays(project["created_at"], [(at, f, t) for at, f, t, _ in
                                                      moves.get(pid, [])])]


def pilots(session: Session, scope: Select, projects: dict[int, dict],
           moves: dict[int, list[tuple[datetime, str, str, str]]]) -> list[PilotFacts]:
    """Every started pilot in scope with its criteria's verdicts (three queries)."""
    plans = {pilot_id: (pid, ends_on) for pilot_id, pid, ends_on in session.execute(
        select(Pilot.id, Pilot.project_id, Pilot.ends_on)
        .where(Pilot.frozen_at.is_not(None), Pilot.project_id.in_(_ids(scope))))
        if pid in projects}
    in_scope = select(Pilot.id).where(Pilot.project_id.in_(_ids(scope)))
    values: dict[int, list[float]] = {}
    for criterion_id, value in session.execute(
            select(Observation.criterion_id, Observation.value)
            .join(Criterion, Criterion.id == Observation.criterion_id)
            .where(Criterion.pilot_id.in_(in_scope))
            .order_by(Observation.observed_on, Observation.id)):
        values.setdefault(criterion_id, []).append(value)
    verdicts: dict[int, list[tuple[str, str]]] = {pilot_id: [] for pilot_id in plans}
    for criterion_id, pilot_id, kind, comparator, target in session.execute(
            select(Criterion.id, Criterion.pilot_id, Criterion.kind, Criterion.comparator,
                   Criterion.target).where(Criterion.pilot_id.in_(in_scope))
            .order_by(Criterion.pilot_id, Criterion.position, Criterion.id)):
        if pilot_id in verdicts:
            verdicts[pilot_id].append((kind, figures.verdict(comparator, target,
                                                             values.get(criterion_id, []))))
    return [PilotFacts(pid, projects[pid]["project_type"], tuple(verdicts[pilot_id]),
                       _stopped(moves.get(pid, []), ends_on))
            for pilot_id, (pid, ends_on) in sorted(plans.items(), key=lambda i: i[1][0])]


def _stopped(moves: list[tuple[datetime, str, str, str]], ends_on: date) -> bool:
    """Whether the project left the pilot state before the pilot's planned end date."""
    return any(f == "pilot" and at.date() < ends_on for at, f, _t, _trigger in moves)


def decisions(session: Session, scope: Select,
              projects: dict[int, dict]) -> list[tuple[int, str | None, str]]:
    """(project id, project type, kind) of every decision taken in scope (one query)."""
    return [(pid, projects[pid]["project_type"], kind) for pid, kind in session.execute(
        select(Decision.project_id, Decision.kind)
        .where(Decision.project_id.in_(_ids(scope)))
        .order_by(Decision.project_id, Decision.decided_at, Decision.id))
        if pid in projects]
