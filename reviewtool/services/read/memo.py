"""The memo's content: everything it shows, as plain values (no ORM object reaches the
template), anonymised so that the same memo can go to the proposer and the grantmakers."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.charts import heat_map, trajectory
from reviewtool.markdown import render as render_markdown
from reviewtool.models import Decision, Project
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.consultations import community_view
from reviewtool.services.read.decision import LABELS
from reviewtool.services.read.history import project_history
from reviewtool.services.read.pilot import pilot_view
from reviewtool.services.read.portfolio import type_context
from reviewtool.services.read.risk_model import risk_model_view
from reviewtool.services.read.rounds import public_rounds

MARKUP = re.compile(r"[*_`#>]+|\[([^\]]*)\]\([^)]*\)")
TOP_CONCERNS = 3


def summary_line(summary: str, limit: int = 220) -> str:
    """The proposal's first sentence as plain text (Markdown marks and links dropped)."""
    text = " ".join(MARKUP.sub(lambda m: m.group(1) or "", summary).split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit - 1].rstrip() + "…"


def top_concerns(rounds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Up to three reviewers' reasons for concern, in their words (anonymised), the latest
    round first: what a grantmaker should weigh before deciding."""
    found = [{"round": r["number"], "reviewer": rv["reviewer"], "text": rv["rationale"]}
             for r in reversed(rounds) for rv in r["reviews"]
             if rv["net_negative"] and rv["rationale"]]
    return found[:TOP_CONCERNS]


def _iso_day(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else ""


def _decision(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {"kind": decision.kind, "label": LABELS[decision.kind],
            "rationale": decision.rationale, "conditions": list(decision.conditions),
            "review_by": decision.review_by.isoformat() if decision.review_by else None,
            "decided_by": decision.decided_by.name, "decided_at": _iso_day(decision.decided_at)}


def build_context(session: Session, project: Project, settings: Mapping[str, Any],
                  decision: Decision | None, *, draft: bool) -> dict[str, Any]:
    """The memo's content for `project`, decided by `decision` (None: a draft preview)."""
    cats = load_catalogues(session)
    revision = project.current_revision
    risk_view = risk_model_view(session, revision, settings, cats)
    rounds = public_rounds(session, project)
    history = project_history(session, project)
    overrides = [e["override_rationale"] for e in history if e["override_rationale"]]
    label = {c["key"]: c["label"] for c in risk_view["categories"]}
    return {
        "draft": draft,
        "project": {"id": project.id, "title": revision.title, "state": project.state,
                    "proposer": project.owner.name},
        "decision": _decision(decision),
        "summary_line": summary_line(revision.summary),
        "top_concerns": top_concerns(rounds),
        "created": (decision.decided_at if decision else project.updated_at)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "proposal": {
            "revision": revision.number, "summary_html": str(render_markdown(revision.summary)),
            "project_type": cats.label("project_types", revision.project_type),
            "activity": revision.activity or "", "location": revision.location,
            "budget": revision.budget, "timeline": revision.timeline,
            "work_groups": [cats.label("work_groups", g) for g in revision.work_groups],
            "outcomes": [{"outcome": cats.label("outcomes", o["outcome"]),
                          "measure": o.get("measure", "")} for o in revision.outcomes],
            "roles": [cats.label("professions" if n["kind"] == "profession" else "skills",
                                 n["key"]) for n in revision.roles_needed]},
        "risk_model": {**risk_view, "category_labels": label,
                       "heat_map": str(heat_map(risk_view["cells"]["inherent"],
                                                risk_view["cells"]["residual"]))},
        "above_appetite": [r for r in risk_view["risks"] if r["above_appetite"]],
        "rounds": rounds,
        "trajectory_svg": str(trajectory(rounds)) if rounds else "",
        "safeguards": [{"revision": r.number, "items": [
            {"type": cats.label("safeguard_types", s.type), "description": s.description,
             "responsible": s.responsible,
             "addresses": [label.get(k, k) for k in s.addresses],
             "residual": f"{s.residual_likelihood} x {s.residual_severity}"}
            for s in r.safeguards]} for r in project.revisions if r.safeguards],
        # days left counted from the decision, so a re-render tomorrow gives the same memo
        "pilot": pilot_view(session, project, settings,
                            today=decision.decided_at.date() if decision else None),
        "overrides": overrides,
        "type_context": type_context(session, project, cats),
        # the consultation the memo relied on: the latest closed wave about this type
        "consultation": community_view(session, revision.project_type),
        "history": [{"at": _iso_day(e["at_datetime"]), "actor": e["actor"]["name"],
                     "trigger": e["trigger"], "from": e["from"], "to": e["to"],
                     "comment": e["comment"]} for e in history],
    }


def fingerprint(context: dict[str, Any]) -> str:
    """A stable text of the context (tests and benchmarks compare renders by it)."""
    return json.dumps(context, sort_keys=True, default=str)
