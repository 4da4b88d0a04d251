"""One generated project of the scale data set (demo/scale.py), as ORM rows that the caller adds
in bulk: its revisions with risk models and safeguards, review rounds with 3-5 reviews each,
the pilot with criteria and observations, the decision, and the transition events of the path
it took. Every choice comes from the project's own `random.Random`, so a seed gives the same
data set on every run and every database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from reviewtool import figures
from reviewtool.models import (
    Assignment,
    Criterion,
    Decision,
    Observation,
    Pilot,
    Project,
    Review,
    ReviewRound,
    Revision,
    Risk,
    RiskExclusion,
    Safeguard,
    TransitionEvent,
    User,
)
from reviewtool.services.rounds import facts

# Twelve slots over the nine states (review and the two outcomes twice: a funder's pipeline
# holds more of them); twelve is prime to the eleven project types, so every (state, type)
# pair appears once N reaches 132.
STATE_ORDER = ("draft", "risk_model", "review", "review", "revision", "pilot", "decision",
               "go", "go", "no_go", "no_go", "withdrawn")
# The triggers that lead to each state (after "submit" and "request_review"); rounds between.
ANCHOR = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # fixed, so a seed always gives the same rows
WORDS = ("Regional", "Evening", "Online", "Intensive", "Student", "Open", "Applied", "Weekend")
PLACES = ("Lagos", "Berlin", "Online", "Nairobi", "Manchester", "Bogotá", "Delhi", "Toronto")


@dataclass
class People:
    """Who the generated projects involve (ids and rows already in the database)."""

    proposers: list[User]
    reviewers: list[User]
    grantmaker: User
    builders: list[User]


@dataclass
class Made:
    """One project and what is added once its rows have ids: `later` are (row, fields) whose
    fields are filled from the flushed project and revisions, `frozen` the submitted revisions
    with the time they were submitted (frozen after the flush, as open_round freezes them)."""

    project: Project
    later: list[tuple[Any, Any]] = field(default_factory=list)
    frozen: list[tuple[Revision, datetime]] = field(default_factory=list)
    pilot: Pilot | None = None
    decided: bool = False

    def rows(self) -> list[Any]:
        """The rows that name the project or a revision by id, with those ids filled in."""
        out = []
        for row, fill in self.later:
            for name, value in fill().items():
                setattr(row, name, value)
            out.append(row)
        return out


def _revision(rng: random.Random, i: int, number: int, type_key: str, type_label: str,
              cats: dict[str, list[str]], version_id: int | None, at: datetime) -> Revision:
    title = f"{WORDS[i % len(WORDS)]} {type_label.lower()} #{i + 1}"
    return Revision(
        number=number, is_current=False, created_at=at, title=title,
        summary=(f"A generated {type_label.lower()} for the scale data set: "
                 f"{rng.randint(10, 60)} participants over {rng.randint(2, 12)} weeks."),
        project_type=type_key, work_groups=rng.sample(cats["work_groups"], 2),
        activity=rng.choice(cats["activities"]),
        outcomes=[{"outcome": rng.choice(cats["outcomes"]), "measure": "Participants who "
                   "take a next step within six months"}],
        roles_needed=[], location=rng.choice(PLACES), budget=f"USD {rng.randint(2, 90)},000",
        timeline="Twelve months from the grant.", risk_catalogue_version_id=version_id)


def _risk_model(rng: random.Random, revision: Revision, categories: list[str]) -> None:
    """A complete model: a risk for most categories, a reasoned exclusion for the others."""
    for position, category in enumerate(categories):
        if rng.random() < 0.25:
            revision.exclusions.append(RiskExclusion(
                category=category, reason="Not applicable: no participant or output of this "
                                          "project touches this area."))
            continue
        likelihood, severity = rng.randint(1, 5), rng.randint(1, 5)
        revision.risks.append(Risk(
            category=category, position=position, likelihood=likelihood, severity=severity,
            description=f"A generated risk in {category.replace('_', ' ')}.",
            reversibility=rng.choice(("reversible", "hard_to_reverse", "irreversible")),
            pilot_reveals=rng.choice(("yes", "partly", "no")),
            knowledge=rng.choice(("low", "medium", "high")), mitigation="Watched by the lead.",
            residual_likelihood=rng.randint(1, likelihood),
            residual_severity=rng.randint(1, severity)))


def _safeguards(rng: random.Random, revision: Revision, cats: dict[str, list[str]]) -> None:
    for position in range(rng.randint(1, 3)):
        revision.safeguards.append(Safeguard(
            position=position, type=rng.choice(cats["safeguard_types"]),
            description="A named senior reviews every public output before it goes out.",
            responsible="Project lead", addresses=rng.sample(cats["risk_categories"], 1),
            concerns=[], residual_likelihood=rng.randint(1, 3),
            residual_severity=rng.randint(1, 3)))


def _ids(project: Project, revision: Revision, review_round: ReviewRound):
    """Fills a round's and its reviews' ids once the project and revision have theirs."""
    def fill() -> dict[str, int]:
        for assignment in review_round.assignments:
            if assignment.review is not None:
                assignment.review.revision_id = revision.id
        return {"project_id": project.id, "revision_id": revision.id}
    return fill


def _round(rng: random.Random, people: People, number: int,
           at: datetime, *, closed: bool, keys: list[str]) -> ReviewRound:
    """A round of 3-5 reviewers; closed rounds have every review and their figures frozen."""
    review_round = ReviewRound(number=number, status="closed" if closed else "open",
                               opened_at=at, closed_at=at + timedelta(days=14) if closed
                               else None)
    concern = max(0.05, 0.6 - 0.25 * (number - 1))  # concern falls as safeguards are added
    for k, reviewer in enumerate(rng.sample(people.reviewers, rng.randint(3, 5))):
        assignment = Assignment(reviewer=reviewer, assigned_by_id=people.grantmaker.id,
                                letter="ABCDE"[k], assigned_at=at,
                                due_on=(at + timedelta(days=14)).date())
        review_round.assignments.append(assignment)
        if closed or rng.random() < 0.5:
            negative = rng.random() < concern
            assignment.review = Review(
                stance=rng.choice(("optimistic", "neutral", "pessimistic")),
                net_negative=negative,
                rationale="It could crowd out a better-placed effort." if negative else "",
                concern_categories=rng.sample(keys, 1) if negative else [],
                risk_scores=[], suggested_safeguards=["A supervisory team"],
                confidence=rng.randint(1, 5), expertise=rng.choice(("general", "familiar",
                                                                    "expert")),
                no_conflict_attested=True, submitted_at=at + timedelta(days=k + 1),
                updated_at=at + timedelta(days=k + 1))
    if closed:
        reviews = [a.review for a in review_round.assignments]
        review_round.figures = figures.round_figures([facts(r) for r in reviews], keys)
    return review_round


def _pilot(rng: random.Random, people: People, at: datetime, finished: bool) -> Pilot:
    pilot = Pilot(starts_on=at.date(), ends_on=(at + timedelta(days=60)).date(),
                  budget=f"USD {rng.randint(1, 9)},000 for the pilot",
                  builders=[rng.choice(people.builders)])
    for position, kind in enumerate(("success", "kill")):
        criterion = Criterion(position=position, kind=kind, outcome="contributors",
                              metric=("People attending the last session" if kind == "success"
                                      else "Participants reporting harm"),
                              comparator=">=", target=8.0 if kind == "success" else 3.0,
                              unit="people", measurement="Sign-in sheet and survey")
        for n in range(rng.randint(1, 3) if finished or position == 0 else 1):
            value = rng.randint(4, 14) if kind == "success" else rng.randint(0, 2)
            criterion.observations.append(Observation(
                value=float(value), observed_on=at.date() + timedelta(days=10 * (n + 1)),
                note="Generated observation.", recorded_by_id=pilot.builders[0].id,
                recorded_at=at + timedelta(days=10 * (n + 1))))
        pilot.criteria.append(criterion)
    return pilot


def make_project(i: int, seed: int, people: People, cats: dict[str, list[str]],
                 types: list[tuple[str, str]], version_id: int | None) -> Made:
    """Project number `i` of the data set made with `seed`."""
    rng = random.Random(f"{seed}:{i}")
    state = STATE_ORDER[i % len(STATE_ORDER)]
    type_key, type_label = types[i % len(types)]
    keys = cats["risk_categories"]
    at = ANCHOR - timedelta(days=rng.randint(60, 700), minutes=rng.randint(0, 1440))
    owner = people.proposers[i % len(people.proposers)]
    project = Project(owner=owner, state="draft", version=1, created_at=at, updated_at=at)
    made = Made(project)
    events: list[tuple[str, str, str, User]] = []
    revision = _revision(rng, i, 1, type_key, type_label, cats, version_id, at)
    project.revisions.append(revision)

    def move(trigger: str, to: str, actor: User) -> None:
        events.append((trigger, project.state, to, actor))
        project.state = to
        project.version += 1

    if state != "draft":
        move("submit", "risk_model", owner)
        _risk_model(rng, revision, keys if state != "risk_model" else keys[:3])
    if state == "withdrawn":
        move("withdraw", "withdrawn", owner)
    if state not in ("draft", "risk_model", "withdrawn"):
        rounds = rng.randint(1, 3)
        move("request_review", "review", owner)
        for number in range(1, rounds + 1):
            last = number == rounds
            open_now = last and state == "review"
            made.frozen.append((revision, at + timedelta(days=30 * number)))
            review_round = _round(rng, people, number, at + timedelta(days=30 * number),
                                  closed=not open_now, keys=keys)
            made.later.append((review_round, _ids(project, revision, review_round)))
            if last:
                break
            move("request_safeguards", "revision", people.grantmaker)
            revision = _revision(rng, i, number + 1, type_key, type_label, cats, version_id,
                                 at + timedelta(days=30 * number + 20))
            _risk_model(rng, revision, keys)
            _safeguards(rng, revision, cats)
            project.revisions.append(revision)
            move("resubmit", "review", owner)
        if state == "revision":
            move("request_safeguards", "revision", people.grantmaker)
    piloted = state == "pilot" or (state in ("decision", "go", "no_go")
                                   and rng.random() < 0.6)
    if piloted:
        made.pilot = _pilot(rng, people, at + timedelta(days=120), state != "pilot")
        project.pilot = made.pilot
        move("start_pilot", "pilot", people.grantmaker)
        if state != "pilot":
            move("finish_pilot", "decision", made.pilot.builders[0])
    elif state in ("decision", "go"):
        move("skip_pilot", "decision", people.grantmaker)
    if state in ("go", "no_go"):
        kind = "go" if state == "go" else "no_go"
        move(kind, state, people.grantmaker)
        made.later.append((Decision(
            kind=kind, decided_by=people.grantmaker,
            rationale=("The pilot met its criteria and concern fell after the safeguards."
                       if kind == "go" else "Concern stayed above the fund's appetite."),
            conditions=([{"text": "Report attendance after the first cohort.",
                          "due_on": "2027-03-01"}]
                        if kind == "go" else []),
            review_by=date(2027, 6, 1) if kind == "go" else None,
            decided_at=at + timedelta(days=200)), lambda: {"project_id": project.id}))
        made.decided = True
    revision.is_current = True
    project.updated_at = at + timedelta(days=10 * len(events))
    made.later.extend((TransitionEvent(
        actor_id=actor.id, at=at + timedelta(days=10 * n + 1), from_state=before,
        to_state=after, trigger=trigger, comment="Generated for the scale data set."),
        lambda: {"project_id": project.id}) for n, (trigger, before, after, actor)
        in enumerate(events))
    return made
