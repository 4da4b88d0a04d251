"""factory-boy factories. No surprises: a ProjectFactory is a draft with a complete proposal
owned by a fresh proposer; say `proposal=EMPTY` or `state=...` when a test needs otherwise."""

from __future__ import annotations

import copy
from typing import Any

import factory
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from reviewtool.models import Project, Revision, Risk, TransitionEvent, User, UserRole
from reviewtool.services.catalogues import latest_risk_catalogue
from reviewtool.services.reviews import assign_reviewer, submit_review
from reviewtool.services.transitions import fire

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

    session = _session()
    catalogue = latest_risk_catalogue(session)
    for category in catalogue.categories:
        RiskFactory(revision=revision, category=category["key"], likelihood=2, severity=2,
                    description=f"A modest {category['key']} risk.")
    revision.risk_catalogue_version = catalogue
    session.flush()
    return revision


# --- senior review: a project in review, assignments and reviews, made through the services ---

def project_in_review(workflow, **project_fields: Any) -> Project:
    """A project moved draft → risk_model → review by firing the real triggers (`submit`, then
    `request_review` after filling a complete risk model), so round 1 is open on revision 1.
    `project_fields` go to ProjectFactory (e.g. `owner=...`)."""

    session = _session()
    project = ProjectFactory(**project_fields)
    fire(session, workflow, project, "submit", actor=project.owner)
    complete_risk_model(project.current_revision)
    fire(session, workflow, project, "request_review", actor=project.owner)
    return project


def reviewer(**fields: Any) -> User:
    """A user holding the reviewer role (and only it, unless `roles` says otherwise)."""
    fields.setdefault("roles", ("reviewer",))
    return UserFactory(**fields)


def grantmaker(**fields: Any) -> User:
    """A user holding the grantmaker role."""
    fields.setdefault("roles", ("grantmaker",))
    return UserFactory(**fields)


def assign(project: Project, user: User, *, by: User | None = None, **options: Any):
    """Assign `user` to the project's open round through services.reviews.assign_reviewer,
    as `by` (default: a fresh grantmaker); returns the Assignment."""

    return assign_reviewer(_session(), by or grantmaker(), project, user.id, **options)


def review_data(**fields: Any) -> dict[str, Any]:
    """A valid review body (neutral, not net negative, confidence 3); `fields` override it."""
    data: dict[str, Any] = {"stance": "neutral", "net_negative": False, "rationale": "",
                            "concern_categories": [], "risk_scores": [],
                            "suggested_safeguards": [], "confidence": 3,
                            "expertise": "familiar", "no_conflict": True}
    data.update(fields)
    if data["net_negative"] and not data["rationale"]:
        data["rationale"] = "It could crowd out a better-placed effort."
    return data


def submit(project: Project, user: User, **fields: Any):
    """Submit (or edit) `user`'s review of the open round through services.reviews.submit_review
    with review_data(**fields); returns the Review."""

    return submit_review(_session(), user, project, review_data(**fields))


def reviewed(workflow, reviews: list[dict[str, Any]], *, by: User | None = None,
             **project_fields: Any) -> tuple[Project, list[User]]:
    """A project in review with one assigned reviewer per entry of `reviews` (each the fields of
    that reviewer's review), every review submitted; returns (project, reviewers)."""
    project = project_in_review(workflow, **project_fields)
    by = by or grantmaker()
    users = []
    for fields in reviews:
        user = reviewer()
        assign(project, user, by=by)
        submit(project, user, **fields)
        users.append(user)
    return project, users
