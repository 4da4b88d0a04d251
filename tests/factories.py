"""factory-boy factories. No surprises: a ProjectFactory is a draft with a complete proposal
owned by a fresh proposer; say `proposal=EMPTY` or `state=...` when a test needs otherwise."""

from __future__ import annotations

import copy
from typing import Any

import factory
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from reviewtool.models import Project, Revision, Risk, TransitionEvent, User, UserRole

PASSWORD = "correct-horse-battery"
_HASH = PasswordHasher().hash(PASSWORD)  # hashed once: argon2 is slow on purpose

COMPLETE: dict[str, Any] = {
    "title": "Mentoring for new AI-safety researchers",
    "summary": "Pair **ten** early-career researchers with senior mentors for three months.",
    "project_type": "fellowship_mentoring",
    "work_groups": ["technical"],
    "activity": "start",
    "outcomes": [{"outcome": "contributors", "measure": "Mentees in safety roles after a year"}],
    "roles_needed": [{"kind": "skill", "key": "mentorship", "technical": True,
                      "commitment": "fractional", "hours_per_month": 6}],
    "location": "Online",
    "budget": "USD 12,000",
    "timeline": "March to May",
}
EMPTY: dict[str, Any] = {}


class _Holder:
    session: Session | None = None


def bind(session: Session | None) -> None:
    """Point every factory at the test's session (the `session` fixture does this)."""
    _Holder.session = session


def _session() -> Session:
    assert _Holder.session is not None, "use the `session` fixture before the factories"
    return _Holder.session


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = _session
        sqlalchemy_session_persistence = "flush"


class UserFactory(Base):
    """A user with the roles given (default: proposer) and the password PASSWORD."""

    class Meta:
        model = User
        exclude = ("roles",)

    roles = ("proposer",)
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    organisation = None
    password_hash = _HASH
    session_token = factory.Faker("hexify", text="^" * 32)
    is_active = True
    role_rows = factory.LazyAttribute(lambda o: [UserRole(role=r) for r in o.roles])


class ProjectFactory(Base):
    """A project in `state` (default draft) whose revision 1 holds `proposal` (default COMPLETE)."""

    class Meta:
        model = Project
        exclude = ("proposal",)

    owner = factory.SubFactory(UserFactory)
    state = "draft"
    version = 1
    proposal = COMPLETE
    revisions = factory.LazyAttribute(
        lambda o: [Revision(number=1, is_current=True, **copy.deepcopy(o.proposal))])


class EventFactory(Base):
    """A transition event (for history tests that do not fire real triggers)."""

    class Meta:
        model = TransitionEvent

    project = None
    project_id = factory.LazyAttribute(lambda o: o.project.id)
    actor_id = factory.LazyAttribute(lambda o: o.project.owner_id)
    from_state = "draft"
    to_state = "risk_model"
    trigger = "submit"
    comment = ""


class RiskFactory(Base):
    """A risk on `revision` (required), scored 3 x 3 with no safeguard unless told otherwise."""

    class Meta:
        model = Risk

    revision = None
    category = "capabilities"
    position = 0
    description = factory.Sequence(lambda n: f"Risk number {n}")
    likelihood = 3
    severity = 3
    reversibility = "reversible"
    pilot_reveals = "yes"
    knowledge = "medium"
    mitigation = ""
    residual_likelihood = factory.LazyAttribute(lambda o: o.likelihood)
    residual_severity = factory.LazyAttribute(lambda o: o.severity)


def complete_risk_model(revision: Revision) -> Revision:
    """Give `revision` one 2 x 2 risk in every category of the latest risk catalogue version,
    pinned to that version: a model `request_review` accepts."""
    from reviewtool.services.catalogues import latest_risk_catalogue

    session = _session()
    catalogue = latest_risk_catalogue(session)
    for category in catalogue.categories:
        RiskFactory(revision=revision, category=category["key"], likelihood=2, severity=2,
                    description=f"A modest {category['key']} risk.")
    revision.risk_catalogue_version = catalogue
    session.flush()
    return revision
