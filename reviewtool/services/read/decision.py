"""The decision part of the project page: the decision taken, its memo's hash and links."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Decision, Memo, Project, User
from reviewtool.permissions import can
from reviewtool.services.decision_forecasts import forecast_of, outcome_json

LABELS = {"go": "Go", "no_go": "No-go", "recycle": "Recycle"}


def _decision_and_memo_hash(session: Session, project: Project
                            ) -> tuple[Decision | None, str | None]:
    """The newest decision and the hash of the newest stored memo, in one statement that
    leaves the memo's PDF and HTML in the database (the page shows only the hash)."""
    memo_hash = (select(Memo.sha256).where(Memo.project_id == project.id)
                 .order_by(Memo.id.desc()).limit(1).scalar_subquery())
    row = session.execute(select(Decision, memo_hash).where(Decision.project_id == project.id)
                          .order_by(Decision.decided_at.desc(), Decision.id.desc())
                          .limit(1)).first()
    return (row[0], row[1]) if row is not None else (None, None)


def decision_section(session: Session, project: Project, viewer: User, *,
                     today: date | None = None) -> dict[str, Any] | None:
    """What the project page's "Decision" section shows `viewer`; None when there is nothing
    to show (no decision taken and none pending)."""
    decision, memo_sha256 = _decision_and_memo_hash(session, project)
    pending = project.state == "decision"
    if decision is None and not pending:
        return None
    readable = can(viewer, "read_memo", project)
    if project.state not in ("go", "no_go"):
        memo_sha256 = None
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
    # The go's outcome forecast: for those who see reviewers (never the proposer).
    forecast = (forecast_of(session, decision) if decision is not None
                and decision.kind == "go" and can(viewer, "see_reviewers", project) else None)
    return {"decision": shown, "pending": pending,
            "outcome_forecast": outcome_json(forecast),
            "can_record_outcome": bool(forecast and forecast.happened is None
                                       and project.state == "go"
                                       and can(viewer, "record_outcome", project)),
            "memo_sha256": memo_sha256 if readable else None,
            "can_download": readable and memo_sha256 is not None,
            "can_preview": readable and pending}
