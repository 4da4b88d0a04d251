"""The decision parts of the project page: the go form's conditions and re-review date, and
the "Decision" section (the decision taken, its memo's hash and download links).

Validation stays in services/decisions.py; this module only reads the form and lays out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.models import Project, User
from reviewtool.permissions import OVERSIGHT_ROLES, is_owner
from reviewtool.services.decisions import latest_decision, stored_memo

CONDITION_ROWS = 3  # condition rows the go form offers
LABELS = {"go": "Go", "no_go": "No-go", "recycle": "Recycle"}


def decision_extra(form: Mapping[str, str]) -> dict[str, Any]:
    """The `extra` a go decision carries: the filled condition rows and the re-review date.

    Empty rows are left out; a row with only a text or only a date goes on, so the service
    says what is missing."""
    conditions = []
    for row in range(1, CONDITION_ROWS + 1):
        text = form.get(f"condition-{row}", "").strip()
        due_on = form.get(f"condition-{row}-due", "").strip()
        if text or due_on:
            conditions.append({"text": text, "due_on": due_on})
    extra: dict[str, Any] = {"conditions": conditions} if conditions else {}
    review_by = form.get("review_by", "").strip()
    if review_by:
        extra["review_by"] = review_by
    return extra


def may_read_memo(user: User, project: Project) -> bool:
    """Grantmakers (and admins) and the project's owner read the memo."""
    return is_owner(user, project) or user.has_role(*OVERSIGHT_ROLES)


def decision_section(session: Session, project: Project, viewer: User, *,
                     today: date | None = None) -> dict[str, Any] | None:
    """What the project page's "Decision" section shows `viewer`; None when there is nothing
    to show (no decision taken and none pending)."""
    decision = latest_decision(session, project)
    pending = project.state == "decision"
    if decision is None and not pending:
        return None
    readable = may_read_memo(viewer, project)
    memo = stored_memo(session, project) if project.state in ("go", "no_go") else None
    today = today or date.today()
    shown = None
    if decision is not None:
        shown = {"kind": decision.kind, "label": LABELS[decision.kind],
                 "rationale": decision.rationale, "conditions": list(decision.conditions),
                 "review_by": decision.review_by.isoformat() if decision.review_by else None,
                 "renewal_due": bool(decision.kind == "go" and decision.review_by
                                     and decision.review_by < today),
                 "decided_by": decision.decided_by.name,
                 "decided_at": decision.decided_at}
    return {"decision": shown, "pending": pending,
            "memo_sha256": memo.sha256 if memo is not None and readable else None,
            "can_download": readable and memo is not None,
            "can_preview": readable and pending}
