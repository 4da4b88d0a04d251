"""The panel: panellists describe themselves and give or withdraw consent; waves draw their
sample from those whose consent stands.

Withdrawing consent takes the panellist out of every future wave and out of the open waves
they have not answered, and cuts the link from each of their answers to them: the answers
still count (with the segment they were given under), but nobody can tell they were theirs."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from reviewtool.enums import Role
from reviewtool.errors import Invalid
from reviewtool.models import (
    ConsultationWave,
    PanelMember,
    User,
    UserRole,
    WaveAnswer,
    WaveInvitation,
    utcnow,
)
from reviewtool.permissions import require
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.validation import parse

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class PanelIn(BaseModel):
    """How a panellist describes themselves, and whether they consent to be surveyed."""

    model_config = ConfigDict(extra="forbid", strict=True)
    work_group: Key
    technical: bool
    profession: Key | None = None
    seniority: Literal["early_career", "mid_career", "senior"]
    consent: bool


def panel_member(session: Session, user: User) -> PanelMember | None:
    """The user's panel record (None before they first described themselves)."""
    return session.get(PanelMember, user.id)


def consenting(session: Session, user: User) -> bool:
    """True when `user` is a panellist whose consent stands."""
    member = panel_member(session, user) if user.has_role(Role.PANELLIST) else None
    return member is not None and member.consenting


def save_profile(session: Session, user: User, data: object, cats: Catalogues) -> PanelMember:
    """Save the panellist's description; `consent` false withdraws, true gives it again."""
    require(user, "panel_member")
    clean = parse(PanelIn, data, what="your panel details")
    problems = []
    if clean.work_group not in cats.keys("work_groups"):
        problems.append({"field": "work_group",
                         "message": f"Work group: {clean.work_group!r} is not a work group."})
    if clean.profession is not None and clean.profession not in cats.keys("professions"):
        problems.append({"field": "profession",
                         "message": f"Profession: {clean.profession!r} is not a profession."})
    if problems:
        raise Invalid(problems=problems)
    member = panel_member(session, user)
    if member is None:
        if not clean.consent:
            raise Invalid(problems=[{"field": "consent", "message": "Consent: tick it to "
                                     "join the panel; you can withdraw it at any time."}])
        member = PanelMember(user_id=user.id, consented_at=utcnow())
        session.add(member)
    member.work_group, member.technical = clean.work_group, clean.technical
    member.profession, member.seniority = clean.profession, clean.seniority
    if clean.consent and not member.consenting:
        member.consented_at, member.withdrawn_at = utcnow(), None
    elif not clean.consent and member.consenting:
        withdraw(session, member)
    session.flush()
    return member


def withdraw(session: Session, member: PanelMember) -> None:
    """Withdraw consent: out of future waves and unanswered open ones; answers unlinked."""
    member.withdrawn_at = utcnow()
    open_waves = select(ConsultationWave.id).where(ConsultationWave.status == "open")
    session.execute(delete(WaveInvitation).where(
        WaveInvitation.user_id == member.user_id, WaveInvitation.answered.is_(False),
        WaveInvitation.wave_id.in_(open_waves)))
    session.execute(update(WaveAnswer).where(WaveAnswer.panellist_id == member.user_id)
                    .values(panellist_id=None))
    session.flush()


def eligible(session: Session) -> list[tuple[int, str]]:
    """(user id, work group) of every active panellist whose consent stands, by id."""
    return [tuple(row) for row in session.execute(
        select(PanelMember.user_id, PanelMember.work_group)
        .join(User, User.id == PanelMember.user_id)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.PANELLIST.value))
        .where(PanelMember.withdrawn_at.is_(None), User.is_active.is_(True))
        .order_by(PanelMember.user_id))]


def draw_sample(pool: Sequence[tuple[int, str]], size: int, *, stratify: bool,
                rng: random.Random) -> list[int]:
    """`size` user ids drawn at random from `pool` ((id, work group) pairs). Stratified, each
    work group gets its proportional share (largest remainder for the leftover places)."""
    size = max(0, min(size, len(pool)))
    if not stratify:
        return sorted(rng.sample([uid for uid, _ in pool], size))
    groups: dict[str, list[int]] = {}
    for uid, group in pool:
        groups.setdefault(group, []).append(uid)
    exact = {g: size * len(ids) / len(pool) for g, ids in groups.items()}
    shares = {g: int(v) for g, v in exact.items()}
    leftover = size - sum(shares.values())
    for g in sorted(exact, key=lambda g: (-(exact[g] - shares[g]), g))[:leftover]:
        shares[g] += 1
    return sorted(uid for g in sorted(groups) for uid in rng.sample(groups[g], shares[g]))
