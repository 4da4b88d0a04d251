"""Conflicts of interest: who may not review a project, and why (one place for every rule)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import ConflictDeclaration, Project, User
from reviewtool.permissions import project_member_ids

# Mail providers anyone can sign up with: sharing one says nothing about an affiliation.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
    "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
    "yandex.com", "yandex.ru", "zoho.com", "fastmail.com", "hey.com", "tutanota.com",
    "qq.com", "163.com", "example.org", "example.com",
})


def mail_domain(email: str) -> str:
    """The domain part of an e-mail address, lower-cased."""
    return email.rsplit("@", 1)[-1].lower()


def conflict_reason(session: Session, candidate: User, project: Project) -> str | None:
    """Why `candidate` may not review `project`, as a sentence; None when they may."""
    return conflict_reasons(session, [candidate], project)[candidate.id]


def conflict_reasons(session: Session, candidates: list[User],
                     project: Project) -> dict[int, str | None]:
    """`conflict_reason` for many candidates at once (user id -> reason or None), in a fixed
    number of queries however many candidates a page lists."""
    members = project_member_ids(project)
    ids = [c.id for c in candidates]
    declared = {d.user_id: d for d in session.scalars(select(ConflictDeclaration).where(
        ConflictDeclaration.project_id == project.id,
        ConflictDeclaration.user_id.in_(ids)))} if ids else {}
    return {c.id: _reason(c, project.owner, members, declared.get(c.id)) for c in candidates}


def _reason(candidate: User, owner: User, members: set[int],
            declared: ConflictDeclaration | None) -> str | None:
    # The rules, in the order their reasons are given.
    if candidate.id == owner.id:
        return f"{candidate.name} proposed this project."
    if candidate.id in members:
        return f"{candidate.name} is on the project's team."
    if declared is not None:
        return f"{candidate.name} declared a conflict with this project ({declared.kind}" \
               f"{': ' + declared.note if declared.note else ''})."
    org, owner_org = (candidate.organisation or "").strip(), (owner.organisation or "").strip()
    if org and org.casefold() == owner_org.casefold():
        return f"{candidate.name} works at the proposer's organisation ({owner_org})."
    domain = mail_domain(candidate.email)
    if domain == mail_domain(owner.email) and domain not in PUBLIC_MAIL_DOMAINS:
        return f"{candidate.name} shares the proposer's institutional e-mail domain (@{domain})."
    return None

