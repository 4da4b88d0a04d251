"""Decision memos: rendered and stored when go or no-go is decided, served byte for byte
afterwards; a draft can be previewed while the decision is pending."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.errors import NotFound
from reviewtool.memo.render import render_html, render_pdf, sha256
from reviewtool.models import Memo, Project, User
from reviewtool.permissions import require
from reviewtool.services.decisions import latest_decision, slug, stored_memo
from reviewtool.services.read.memo import build_context


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


def memo_for(session: Session, user: User, project: Project, settings: Mapping[str, Any], *,
             as_pdf: bool) -> MemoFile:
    """The memo `user` may read: the stored one, or a draft while the decision is pending."""
    require(user, "read_memo", project)
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
