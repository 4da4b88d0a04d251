"""The portfolio's review figures: projects compared by type, work group and target outcome,
whether revising helps, the concerns that recur, where reviewers disagree, and one project
in the context of its type. Pure functions over plain values: no database, no Flask.

Every figure starts from each project's *latest closed round that has reviews*, as frozen
into the round when it closed (figures.round_figures); n is that round's number of reviews.

- A project's counts come back from its frozen percentages: k = round(pct x n / 100). The
  percentage was rounded to 0.1, so this is exact for every n below 1000 (the error of the
  product is at most n / 2000 < 0.5).
- **Pooled** concern_pct of a group = 100 x (sum of k_net_negative) / (sum of n): every review
  of the group counts once, so a project with more reviewers weighs more. Pooled
  optimism_pct likewise with k_optimistic. This is CONTRACT.md's `concern_pct` and
  `optimism_pct` of `by_project_type`, `by_work_group` and `by_outcome`.
- **Mean of per-project figures**: mean_concern_pct = the mean of the projects' own (frozen)
  concern_pct; every project counts once, whatever its number of reviewers. Likewise
  mean_optimism_pct.
- A project counts in every work group and every outcome it names, so those rows can add up to
  more projects than the portfolio has. `projects` and `reviews` say how many are behind each
  figure; a group with fewer than SMALL_GROUP projects is `too_few` to compare.
- **Does revising help?** For each project with two or more closed rounds with reviews:
  first = concern of the first of them, last = concern of the last, change = last - first,
  `fell` when last < first. Safeguards added = the safeguard types of the revision the last
  round reviewed, less (as a multiset) those of the revision the first round reviewed. Per
  safeguard type: the projects where it was added, how many of them saw concern fall, and
  that share in percent.
- **Recurring concerns**: over the net-negative reviews of those same latest rounds, share_pct
  of a category = 100 x (net-negative reviews citing it) / (net-negative reviews); overall
  and per project type.
- **Disagreement**: the spreads (max - min of likelihood x severity) frozen per risk in each
  latest round; the widest first (ties: larger standard deviation, then lower ids).
- **Type context**: a project's own latest figures beside the median of the other projects
  of its type (fewer than SMALL_GROUP others: too few to compare).
Percentages, means and medians are rounded half-up to one decimal; None where nothing counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from reviewtool.figures import percent

SMALL_GROUP = 3  # fewer projects than this: greyed out, "too few to compare"
Labels = Sequence[tuple[str, str]]


def one_decimal(value: float | None) -> float | None:
    """`value` rounded half-up to one decimal (None stays None)."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None, to one decimal; None when there are none."""
    present = [Decimal(str(v)) for v in values if v is not None]
    return one_decimal(float(sum(present) / len(present))) if present else None


def middle(values: Iterable[float | None]) -> float | None:
    """The median of the values that are not None, to one decimal; None when there are none."""
    present = [v for v in values if v is not None]
    return one_decimal(median(present)) if present else None


def count_back(pct: float | None, n: int) -> int:
    """How many of n reviews a frozen percentage stands for (exact for n < 1000)."""
    if pct is None or not n:
        return 0
    return int((Decimal(str(pct)) * n / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ProjectRound:
    """One project and the frozen figures of its latest closed round with reviews."""

    project_id: int
    title: str
    project_type: str | None
    work_groups: tuple[str, ...]
    outcomes: tuple[str, ...]
    round_number: int
    n_reviews: int
    concern_pct: float | None
    optimism_pct: float | None

    @property
    def net_negative(self) -> int:
        """Reviews of the round saying the project could be net negative."""
        return count_back(self.concern_pct, self.n_reviews)

    @property
    def optimistic(self) -> int:
        """Reviews of the round whose stance is optimistic."""
        return count_back(self.optimism_pct, self.n_reviews)


def ordered(labels: Labels, found: Iterable[str | None]) -> list[tuple[str, str]]:
    """The catalogue's (key, label) pairs that occur in `found`, in catalogue order, then any
    key the catalogue no longer has (labelled by itself)."""
    present = {k for k in found if k is not None}
    known = [(k, label) for k, label in labels if k in present]
    return known + [(k, k) for k in sorted(present - {k for k, _ in labels})]


def group_figures(projects: Sequence[ProjectRound], labels: Labels,
                  keys_of: Callable[[ProjectRound], Iterable[str | None]]) -> list[dict]:
    """Pooled and mean concern and optimism per group (`keys_of` says a project's groups)."""
    members: dict[str, list[ProjectRound]] = {}
    for project in projects:
        for key in dict.fromkeys(keys_of(project)):
            if key is not None:
                members.setdefault(key, []).append(project)
    rows = []
    for key, label in ordered(labels, members):
        group = members[key]
        reviews = sum(p.n_reviews for p in group)
        rows.append({"key": key, "label": label, "projects": len(group), "reviews": reviews,
                     "optimism_pct": percent(sum(p.optimistic for p in group), reviews),
                     "concern_pct": percent(sum(p.net_negative for p in group), reviews),
                     "mean_optimism_pct": mean(p.optimism_pct for p in group),
                     "mean_concern_pct": mean(p.concern_pct for p in group),
                     "too_few": len(group) < SMALL_GROUP})
    return rows


@dataclass(frozen=True)
class RoundTrail:
    """A project's closed rounds with reviews, oldest first, and the safeguard types of the
    revisions its first and last such rounds reviewed."""

    project_id: int
    title: str
    project_type: str | None
    concerns: tuple[float, ...]
    first_safeguards: tuple[str, ...] = ()
    last_safeguards: tuple[str, ...] = ()


def revision_effect(trails: Iterable[RoundTrail]) -> list[dict[str, Any]]:
    """Round-1 against last-round concern for every project with two or more closed rounds."""
    rows = []
    for trail in trails:
        if len(trail.concerns) < 2:
            continue
        first, last = trail.concerns[0], trail.concerns[-1]
        added = Counter(trail.last_safeguards) - Counter(trail.first_safeguards)
        rows.append({"project_id": trail.project_id, "title": trail.title,
                     "project_type": trail.project_type, "rounds": len(trail.concerns),
                     "first_concern_pct": first, "last_concern_pct": last,
                     "change": one_decimal(last - first), "fell": last < first,
                     "safeguards_added": sorted(added.elements())})
    return sorted(rows, key=lambda r: r["project_id"])


def revision_by_type(effects: Sequence[dict[str, Any]], labels: Labels) -> list[dict]:
    """Per project type: how many multi-round projects, mean first and last concern, how many
    fell."""
    rows = []
    for key, label in ordered(labels, (e["project_type"] for e in effects)):
        group = [e for e in effects if e["project_type"] == key]
        rows.append({"key": key, "label": label, "projects": len(group),
                     "mean_first_concern_pct": mean(e["first_concern_pct"] for e in group),
                     "mean_last_concern_pct": mean(e["last_concern_pct"] for e in group),
                     "fell": sum(e["fell"] for e in group),
                     "too_few": len(group) < SMALL_GROUP})
    return rows


def safeguard_effect(effects: Sequence[dict[str, Any]], labels: Labels) -> list[dict]:
    """Per safeguard type added between the rounds: projects where it was added, how many of
    them saw concern fall, and that share."""
    added = [(set(e["safeguards_added"]), e["fell"]) for e in effects]
    rows = []
    for key, label in ordered(labels, {k for kinds, _ in added for k in kinds}):
        where = [fell for kinds, fell in added if key in kinds]
        rows.append({"key": key, "label": label, "projects": len(where), "fell": sum(where),
                     "share_pct": percent(sum(where), len(where)),
                     "too_few": len(where) < SMALL_GROUP})
    return rows


@dataclass(frozen=True)
class ReviewConcern:
    """One review of a project's latest closed round: was it net negative, what it cites."""

    project_id: int
    project_type: str | None
    net_negative: bool
    categories: frozenset[str]


def _shares(reviews: Sequence[ReviewConcern], categories: Labels) -> list[dict]:
    negative = [r for r in reviews if r.net_negative]
    return [{"key": key, "label": label,
             "reviews": sum(key in r.categories for r in negative),
             "share_pct": percent(sum(key in r.categories for r in negative), len(negative))}
            for key, label in categories]


def recurring_concerns(reviews: Sequence[ReviewConcern], categories: Labels) -> list[dict]:
    """For each risk category, the share of net-negative reviews citing it (all projects)."""
    return _shares(reviews, categories)


def recurring_by_type(reviews: Sequence[ReviewConcern], categories: Labels,
                      types: Labels) -> list[dict]:
    """The same shares within each project type, with how many projects and net-negative
    reviews stand behind them."""
    rows = []
    for key, label in ordered(types, (r.project_type for r in reviews)):
        group = [r for r in reviews if r.project_type == key]
        projects = len({r.project_id for r in group})
        rows.append({"key": key, "label": label, "projects": projects,
                     "net_negative_reviews": sum(r.net_negative for r in group),
                     "categories": _shares(group, categories),
                     "too_few": projects < SMALL_GROUP})
    return rows


def widest_disagreement(latest: Sequence[tuple[int, str, list[dict[str, Any]]]],
                        limit: int = 10) -> dict[str, list[dict[str, Any]]]:
    """From (project id, title, frozen disagreement rows) of each latest round: the `limit`
    widest (project, risk) spreads, and the `limit` projects whose widest spread is widest."""
    cells = [{"project_id": pid, "title": title, "risk_id": row["risk_id"],
              "spread": row["spread"], "stdev": row["stdev"], "scores": list(row["scores"]),
              "n": row["n"]}
             for pid, title, rows in latest for row in rows]
    cells.sort(key=lambda c: (-c["spread"], -c["stdev"], c["project_id"], c["risk_id"]))
    projects: dict[int, dict[str, Any]] = {}
    for cell in cells:  # widest first, so each project's first cell is its widest
        projects.setdefault(cell["project_id"], {
            "project_id": cell["project_id"], "title": cell["title"],
            "widest_spread": cell["spread"], "risk_id": cell["risk_id"], "risks_scored": 0})
        projects[cell["project_id"]]["risks_scored"] += 1
    return {"risks": cells[:limit], "projects": list(projects.values())[:limit]}


def name_risks(rows: Iterable[dict[str, Any]], risks: dict[int, tuple[str, str]],
               categories: Labels) -> None:
    """Give each row its risk's category, category label and description (in place); `risks`
    maps risk id -> (category, description)."""
    label = dict(categories)
    for row in rows:
        category, description = risks.get(row["risk_id"], ("", ""))
        row.update({"category": category, "category_label": label.get(category, category),
                    "description": description})


def type_context(own: ProjectRound | None, peers: Sequence[ProjectRound]) -> dict[str, Any]:
    """The project's latest figures against the median of the other projects of its type."""
    others = [p for p in peers if own is None or p.project_id != own.project_id]
    too_few = len(others) < SMALL_GROUP
    return {"round": own.round_number if own else None,
            "n_reviews": own.n_reviews if own else 0,
            "concern_pct": own.concern_pct if own else None,
            "optimism_pct": own.optimism_pct if own else None,
            "peers": len(others), "too_few": too_few,
            "median_concern_pct": None if too_few else middle(p.concern_pct for p in others),
            "median_optimism_pct": None if too_few else middle(p.optimism_pct
                                                               for p in others)}
