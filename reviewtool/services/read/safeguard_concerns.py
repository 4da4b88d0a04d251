"""What the safeguard editor shows the proposer: the last closed round's concerns (flagged
categories and reviews, anonymised), each with the saved safeguards that answer it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reviewtool.models import Project
from reviewtool.services.read.rounds import public_rounds
from reviewtool.services.rounds import previous_round


def safeguard_concerns(session: Session, project: Project,
                       labels: dict[str, str]) -> dict[str, Any]:
    """The last closed round (`round`), its flagged categories and its reviews with what the
    saved safeguards answer, and every review of a closed round a safeguard may answer
    (`answerable`: round number, letter and the reviewer's display name)."""
    last = previous_round(session, project)
    rounds = [r for r in public_rounds(session, project) if r["status"] == "closed"]
    entry = next((r for r in rounds if last and r["number"] == last.number), None)
    saved = list(project.current_revision.safeguards)
    reviews = []
    for rv in entry["reviews"] if entry else []:
        if rv["net_negative"] or rv["concern_categories"] or rv["suggested_safeguards"] \
                or rv["rationale"]:
            ref = {"round": entry["number"], "reviewer": rv["letter"]}
            reviews.append({**rv, "answers": [s for s in saved if ref in s.concerns]})
    return {
        "round": entry,
        "categories": [{"key": c["category"], "label": labels.get(c["category"], c["category"]),
                        "concern_pct": c["concern_pct"],
                        "answers": [s for s in saved if c["category"] in s.addresses]}
                       for c in (entry["categories"] if entry else []) if c["concern_pct"]],
        "reviews": reviews,
        "answerable": [(r["number"], rv["letter"], rv["reviewer"])
                       for r in rounds for rv in r["reviews"]],
    }
