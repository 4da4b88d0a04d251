"""The top of the project page: where the project is, in one sentence, and what waits on this
viewer now (their next step first), with the figures that step depends on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewtool.models import Project


@dataclass(frozen=True)
class Link:
    """A page the viewer may go to next: label, endpoint and its arguments."""

    label: str
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NextStep:
    """What the page says first: `lead` (where the project is), `todo` (what waits on the
    viewer, or None), the links of that step, and whether the decision form belongs here."""

    lead: str
    todo: str | None
    links: list[Link]
    decide: bool = False


def _round_sentence(view: dict[str, Any]) -> str:
    rounds = view["review"].get("rounds") or []
    current = next((r for r in rounds if r["status"] == "open"), None)
    if current is None:
        return ""
    assigned = len([a for a in current.get("assignments", []) if a["status"] != "withdrawn"])
    have = current["n_reviews"]
    of = f" of {assigned}" if view["review"].get("can_assign") and assigned else ""
    return (f" Round {current['number']} is open: {have}{of} review{'s' if have != 1 else ''} "
            "in.")


def _lead(project: Project, view: dict[str, Any]) -> str:
    labels = view["state_labels"]
    state = labels.get(project.state, project.state)
    decision = view["decision"] and view["decision"]["decision"]
    if project.state in ("go", "no_go") and decision:
        return (f"Decided {decision['label'].lower()} by {decision['decided_by']} on "
                f"{decision['decided_at'].strftime('%-d %b %Y')}.")
    if project.state == "withdrawn":
        return "Withdrawn by its proposer: nothing more happens here."
    lead = f"Now at step “{state}”."
    if project.state == "review":
        lead += _round_sentence(view)
    if project.state == "pilot" and view["pilot_section"]["view"]:
        pilot = view["pilot_section"]["view"]
        days = pilot["days_left"]
        lead += (f" The pilot runs until {pilot['ends_on']}" +
                 (f" ({days} day{'s' if days != 1 else ''} left)." if days >= 0 else "."))
    return lead


def _owner_step(project: Project, view: dict[str, Any]) -> tuple[str | None, list[Link]]:
    pid = {"project_id": project.id}
    if project.state == "draft":
        return ("Complete the proposal, then submit it." if view["missing"] else
                "The proposal is complete: submit it.",
                [Link("Edit proposal", "projects.edit", pid)])
    if project.state == "risk_model":
        problems = view["risk_view"]["problems"]
        return ("Model the downside risks, then request review." if problems else
                "The risk model is complete: request review.",
                [Link("Edit risk model", "risks.edit", pid)])
    if project.state == "revision":
        return ("Reviewers asked for safeguards: answer each flagged concern, then resubmit.",
                [Link("Write safeguards", "revisions.safeguards", pid)])
    return None, []


def _reviewer_step(project: Project, view: dict[str, Any]) -> tuple[str | None, list[Link]]:
    mine = view["review"].get("my_assignment")
    if mine is None:
        return None, []
    link = Link("Write your review" if mine.review is None else "Edit your review",
                "reviews.review", {"project_id": project.id})
    if mine.review is None:
        return f"Write your review, due {mine.due_on.strftime('%-d %b %Y')}.", [link]
    return "Your review is in; you may change it until the round closes.", [link]


def _steward_step(project: Project, view: dict[str, Any]) -> tuple[str | None, list[Link]]:
    pid = {"project_id": project.id}
    links = []
    if view["review"].get("can_assign"):
        links.append(Link("Assign reviewers", "assignments.reviewers", pid))
    if view["pilot_section"]["can_plan"]:
        links.append(Link("Pilot plan", "pilot_plans.plan", pid))
    if project.state == "review" and view["review"].get("can_assign"):
        return ("Assign reviewers; once enough reviews are in, close the round: ask for "
                "safeguards, start or skip the pilot, or decide no-go.", links)
    if project.state == "decision":
        return "Decide: go, no-go or recycle, from the evidence beside the form.", links
    if project.state == "pilot":
        return "The pilot runs: watch its alerts; amend the plan only with a reason.", links
    return None, links


def next_step(project: Project, view: dict[str, Any]) -> NextStep:
    """What the project page says first for the viewer whose `view` (project_view) it is."""
    todo, links = None, []
    for step in (_owner_step, _reviewer_step, _steward_step):
        found, found_links = step(project, view) if _applies(step, view) else (None, [])
        todo = todo or found
        links += found_links
    pilot = view["pilot_section"]
    if pilot["can_record"]:
        todo = todo or "Record what you measure; finish the pilot when every criterion has " \
                       "an observation."
        links.append(Link("Record an observation", "pilot_records.observation",
                          {"project_id": project.id}))
    decide = project.state == "decision" and any(t.name == "go" for t in view["actions"])
    if todo is None and view["actions"]:
        todo = "You can move this project on: see the actions below."
    return NextStep(_lead(project, view), todo, links, decide)


def _applies(step, view: dict[str, Any]) -> bool:
    if step is _owner_step:
        return view["can_edit"] or view["can_write_safeguards"]
    if step is _steward_step:
        return bool(view["review"].get("can_assign") or view["pilot_section"]["can_plan"]
                    or view["review"].get("can_steer"))
    return True
