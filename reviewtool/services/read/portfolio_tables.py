"""The portfolio's tables: which rows of the portfolio dict each one shows, its columns (the
API's keys, which are also the CSV's header) and their headings on the page. The page, the
API and each table's CSV download all read the same rows, so they show the same numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GROUP = (("key", "Key"), ("label", "Group"), ("projects", "Projects"), ("reviews", "Reviews"),
         ("concern_pct", "Concern % (pooled)"), ("optimism_pct", "Optimism % (pooled)"),
         ("mean_concern_pct", "Concern % (mean of projects)"),
         ("mean_optimism_pct", "Optimism % (mean of projects)"), ("too_few", "Too few"))
GOOD, BAD, BLUE = "#1a7f37", "#b42318", "#0b5cad"
GROUP_SERIES = (("concern_pct", "Concern % (pooled)"), ("optimism_pct", "Optimism % (pooled)"))


@dataclass(frozen=True)
class Table:
    """One table of the portfolio: a caption, columns (key, heading) and its rows."""

    name: str
    caption: str
    columns: tuple[tuple[str, str], ...]
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]]
    series: tuple[tuple[str, str], ...] = ()  # what its chart draws (none: no chart)
    unit: str = "%"
    colours: tuple[str, ...] = ("#b42318", "#1a7f37", "#0b5cad")  # red, green, blue

    @property
    def keys(self) -> list[str]:
        """The column keys: the CSV's header row."""
        return [key for key, _ in self.columns]


def _recurring_long(p: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"project_type": t["key"], "project_type_label": t["label"],
             "projects": t["projects"], "net_negative_reviews": t["net_negative_reviews"],
             "category": c["key"], "category_label": c["label"], "reviews": c["reviews"],
             "share_pct": c["share_pct"], "too_few": t["too_few"]}
            for t in p["recurring_by_type"] for c in t["categories"]]


TABLES: dict[str, Table] = {t.name: t for t in (
    Table("by_project_type", "Optimism and concern by project type", GROUP,
          lambda p: p["by_project_type"], GROUP_SERIES),
    Table("by_work_group", "Optimism and concern by work group", GROUP,
          lambda p: p["by_work_group"], GROUP_SERIES),
    Table("by_outcome", "Optimism and concern by target outcome", GROUP,
          lambda p: p["by_outcome"], GROUP_SERIES),
    Table("revision_effect", "Concern in round 1 and in the last round, per project",
          (("project_id", "Project"), ("title", "Title"), ("project_type", "Type key"),
           ("project_type_label", "Project type"),
           ("rounds", "Closed rounds"), ("first_concern_pct", "Round 1 concern %"),
           ("last_concern_pct", "Last round concern %"), ("change", "Change (points)"),
           ("fell", "Concern fell"), ("safeguards_added", "Safeguard type keys"),
           ("safeguards_added_labels", "Safeguard types added")),
          lambda p: p["revision_effect"]),
    Table("revision_by_type", "Round 1 and last-round concern by project type",
          (("key", "Key"), ("label", "Project type"), ("projects", "Projects"),
           ("mean_first_concern_pct", "Round 1 concern % (mean)"),
           ("mean_last_concern_pct", "Last round concern % (mean)"),
           ("fell", "Projects where concern fell"), ("too_few", "Too few")),
          lambda p: p["revision_by_type"],
          (("mean_first_concern_pct", "Round 1 (mean)"),
           ("mean_last_concern_pct", "Last round (mean)"))),
    Table("safeguard_effect", "Safeguard types added between the rounds, and where concern fell",
          (("key", "Key"), ("label", "Safeguard type"), ("projects", "Projects adding it"),
           ("fell", "Of them, concern fell"), ("share_pct", "Share where concern fell %"),
           ("too_few", "Too few")), lambda p: p["safeguard_effect"]),
    Table("recurring_concerns", "Share of net-negative reviews citing each risk category",
          (("key", "Key"), ("label", "Risk category"),
           ("reviews", "Net-negative reviews citing it"), ("share_pct", "Share %")),
          lambda p: p["recurring_concerns"],
          (("share_pct", "Share of net-negative reviews"),)),
    Table("recurring_by_type", "The same shares within each project type",
          (("project_type", "Type key"), ("project_type_label", "Project type"),
           ("projects", "Projects"), ("net_negative_reviews", "Net-negative reviews"),
           ("category", "Category key"), ("category_label", "Risk category"),
           ("reviews", "Citing it"), ("share_pct", "Share %"), ("too_few", "Too few")),
          _recurring_long),
    Table("pilots_by_type", "Pilots by project type",
          (("key", "Key"), ("label", "Project type"), ("pilots", "Pilots started"),
           ("success_met", "Success criteria met"), ("success_total", "Success criteria"),
           ("kill_breached", "Kill criteria breached"), ("kill_total", "Kill criteria"),
           ("stopped", "Pilots stopped early"), ("too_few", "Too few")),
          lambda p: p["pilots_by_type"],
          (("success_met", "Success criteria met"), ("kill_breached", "Kill criteria breached"),
           ("stopped", "Pilots stopped")), "", (GOOD, BAD, BLUE)),
    Table("decisions_by_type", "Decisions by project type",
          (("key", "Key"), ("label", "Project type"), ("projects", "Projects"), ("go", "Go"),
           ("no_go", "No-go"), ("recycle", "Recycled"), ("too_few", "Too few")),
          lambda p: p["decisions_by_type"],
          (("go", "Go"), ("no_go", "No-go"), ("recycle", "Recycled")), "", (GOOD, BAD, BLUE)),
    Table("days_in_state", "Median days spent in each state (finished stays)",
          (("key", "Key"), ("label", "State"), ("stays", "Finished stays"),
           ("median_days", "Median days")), lambda p: p["days_in_state"],
          (("median_days", "Median days"),), ""),
    Table("disagreement_risks", "Risks with the widest spread of reviewers' scores",
          (("project_id", "Project"), ("title", "Title"), ("risk_id", "Risk"),
           ("category", "Category key"), ("category_label", "Category"),
           ("description", "Risk"), ("spread", "Spread"), ("stdev", "Std. deviation"),
           ("scores", "Scores"), ("n", "Reviewers")),
          lambda p: p["disagreement"]["risks"]),
    Table("disagreement_projects", "Projects whose reviewers disagree most",
          (("project_id", "Project"), ("title", "Title"), ("widest_spread", "Widest spread"),
           ("risk_id", "On risk"), ("category", "Category key"),
           ("category_label", "Category"), ("risks_scored", "Risks scored by 2+")),
          lambda p: p["disagreement"]["projects"]),
    Table("roles_needed", "Roles needed, in the pipeline and by projects decided go",
          (("kind", "Kind"), ("key", "Key"), ("label", "Role"), ("projects", "Projects"),
           ("pipeline", "In the pipeline"), ("go", "Decided go"),
           ("technical", "Technical"), ("non_technical", "Non-technical"),
           ("full_time", "Full-time"), ("fractional", "Fractional")),
          lambda p: p["roles_needed"],
          (("pipeline", "In the pipeline"), ("go", "Decided go")), ""),
    Table("role_modes", "Projects needing technical or non-technical, full-time or fractional "
          "people", (("key", "Key"), ("label", "Contribution mode"),
                     ("pipeline", "In the pipeline"), ("go", "Decided go")),
          lambda p: p["role_modes"], (("pipeline", "In the pipeline"), ("go", "Decided go")),
          ""),
)}

# The page's sections: heading, explanation, the tables it shows in order.
SECTIONS = (
    ("by-type", "Optimism and concern by project type", ("by_project_type",)),
    ("by-work-group", "By work group", ("by_work_group",)),
    ("by-outcome", "By target outcome", ("by_outcome",)),
    ("revising", "Does revising help?", ("revision_effect", "revision_by_type",
                                         "safeguard_effect")),
    ("concerns", "The concerns that recur", ("recurring_concerns", "recurring_by_type")),
    ("pilots", "Pilots by type", ("pilots_by_type",)),
    ("decisions", "Decisions", ("decisions_by_type", "days_in_state")),
    ("disagreement", "Where reviewers disagree most", ("disagreement_projects",
                                                       "disagreement_risks")),
    ("people", "What the pipeline needs from people", ("roles_needed", "role_modes")),
)


def table_rows(portfolio: dict[str, Any], name: str) -> list[list[Any]]:
    """The rows of table `name` as lists of values in column order (the CSV's body)."""
    table = TABLES[name]
    return [[row.get(key) for key in table.keys] for row in table.rows(portfolio)]
