"""Decisions (go, no-go, recycle) and their memos: rendered and stored when taken, served
byte for byte afterwards; a draft can be previewed while the decision is pending."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.errors import Forbidden, NotFound
from reviewtool.memo.context import build_context
from reviewtool.memo.render import render_html, render_pdf, sha256
from reviewtool.models import Decision, Memo, Project, User
from reviewtool.permissions import OVERSIGHT_ROLES, is_owner
from reviewtool.services.validation import pydantic_problems


class ConditionIn(BaseModel):
    """A condition of a go decision, with its due date."""

    model_config = ConfigDict(extra="forbid", strict=True)
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    due_on: Annotated[date, Field(strict=False)]


class DecisionExtra(BaseModel):
    """What a decision may carry besides its rationale (the transition's comment)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    conditions: Annotated[list[ConditionIn], Field(max_length=20)] = []
    review_by: Annotated[date | None, Field(strict=False)] = None


def _detail_problem(err: Mapping[str, Any], fallback: str) -> str:
    """One validation error of the decision's details, said about the condition it concerns."""
    loc, given = err["loc"], err.get("input")
    shown = f" {given!r}" if isinstance(given, str | int) and err["type"] != "missing" else ""
    if len(loc) == 3 and loc[0] == "conditions" and loc[2] == "due_on":
        return (f"Condition {loc[1] + 1}: the due date{shown} is not a date; give one as "
                "YYYY-MM-DD." if err["type"] != "missing" else
                f"Condition {loc[1] + 1}: give its due date.")
    if len(loc) == 3 and loc[0] == "conditions" and loc[2] == "text":
        return f"Condition {loc[1] + 1}: say what the condition is (at most 1000 characters)."
    if loc == ("review_by",):
        return f"The re-review date{shown} is not a date; give one as YYYY-MM-DD."
    return fallback


def decision_problems(extra: Mapping[str, Any], trigger: str) -> list[str]:
    """Why the decision's conditions or re-review date are not acceptable, as sentences."""
    try:
        details = DecisionExtra.model_validate(dict(extra))
    except ValidationError as exc:
        return [_detail_problem(err, p["message"]) for err, p in
                zip(exc.errors(include_url=False), pydantic_problems(exc), strict=True)]
    if trigger != "go" and (details.conditions or details.review_by):
        return ["Conditions and a re-review date belong to a 'go' decision."]
    return []


def record_decision(session: Session, project: Project, actor: User, trigger: str,
                    rationale: str, extra: Mapping[str, Any]) -> Decision:
    """Store the decision the trigger stands for."""
    details = DecisionExtra.model_validate(dict(extra))
    decision = Decision(project_id=project.id, kind=trigger, rationale=rationale,
                        conditions=[{"text": c.text, "due_on": c.due_on.isoformat()}
                                    for c in details.conditions],
                        review_by=details.review_by, decided_by_id=actor.id)
    session.add(decision)
    session.flush()
    return decision


def latest_decision(session: Session, project: Project) -> Decision | None:
    """The project's newest decision, if any."""
    return session.scalar(select(Decision).where(Decision.project_id == project.id)
                          .order_by(Decision.decided_at.desc(), Decision.id.desc()).limit(1))


def store_memo(session: Session, project: Project, settings: Mapping[str, Any]) -> Memo:
    """Render the memo of the newest decision and store its bytes and SHA-256.

    Rendered inside the decision's transaction on purpose: a decision without its memo must
    never exist, and what was decided must be what was signed."""
    decision = latest_decision(session, project)
    html = render_html(build_context(session, project, settings, decision, draft=False))
    pdf = render_pdf(html)
    memo = Memo(decision_id=decision.id, project_id=project.id, pdf=pdf, html=html,
                sha256=sha256(pdf))
    session.add(memo)
    session.flush()
    return memo


@dataclass(frozen=True)
class MemoFile:
    """A memo ready to serve."""

    pdf: bytes | None
    html: str
    sha256: str | None
    draft: bool
    filename: str


def slug(title: str) -> str:
    """A file-name-safe slug of a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "project"


def stored_memo(session: Session, project: Project) -> Memo | None:
    """The newest stored memo of the project."""
    return session.scalar(select(Memo).where(Memo.project_id == project.id)
                          .order_by(Memo.id.desc()).limit(1))


def memo_for(session: Session, user: User, project: Project, settings: Mapping[str, Any], *,
             as_pdf: bool) -> MemoFile:
    """The memo `user` may read: the stored one, or a draft while the decision is pending."""
    if not (is_owner(user, project) or user.has_role(*OVERSIGHT_ROLES)):
        raise Forbidden("Only grantmakers and the proposer can read the decision memo.")
    name = f"{project.id}-{slug(project.current_revision.title)}"
    memo = stored_memo(session, project)
    if memo is not None and project.state in ("go", "no_go"):
        return MemoFile(memo.pdf, memo.html, memo.sha256, False, name)
    if project.state != "decision":
        raise NotFound("There is no memo yet: a draft can be previewed once the project "
                       "reaches the decision step, and it is stored when go or no-go is "
                       "decided.")
    html = render_html(build_context(session, project, settings, None, draft=True))
    pdf = render_pdf(html) if as_pdf else None
    return MemoFile(pdf, html, sha256(pdf) if pdf else None, True, f"{name}-draft")
