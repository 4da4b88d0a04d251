"""Creating and editing proposals (services/proposals.py) against the real catalogues."""

import copy

import pytest
from sqlalchemy import func, select

from reviewtool.errors import Conflict, Forbidden, Invalid
from reviewtool.models import Project, Revision
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import (
    create_project,
    missing_fields,
    proposal_values,
    risky_needs,
    update_proposal,
)
from tests.factories import COMPLETE, EMPTY, ProjectFactory, UserFactory

MISSING_ALL = [
    "Title is missing.",
    "Summary is missing.",
    "Project type is missing.",
    "Target outcomes are missing: name at least one and how you would measure it.",
    "Roles needed are missing: name at least one profession or skill.",
]


@pytest.fixture
def cats(session):
    return load_catalogues(session)


def complete(**changes):
    """A deep copy of the complete proposal with `changes` applied."""
    return {**copy.deepcopy(COMPLETE), **changes}


def role(**changes):
    """One needed role (a fractional mentorship skill) with `changes` applied."""
    return {**copy.deepcopy(COMPLETE["roles_needed"][0]), **changes}


def problems_of(session, cats, data, owner=None):
    """The problems create_project reports for `data` (which must be invalid)."""
    with pytest.raises(Invalid) as caught:
        create_project(session, owner or UserFactory(), data, cats)
    return caught.value.problems


def test_create_project_complete_proposal_makes_draft_with_revision_1(session, cats):
    owner = UserFactory()
    project = create_project(session, owner, complete(), cats)
    session.expire_all()
    stored = session.get(Project, project.id)
    assert (stored.state, stored.version, stored.owner_id) == ("draft", 1, owner.id)
    assert [(r.number, r.is_current) for r in stored.revisions] == [(1, True)]
    assert proposal_values(stored.current_revision) == COMPLETE


def test_create_project_partial_proposal_keeps_defaults(session, cats):
    project = create_project(session, UserFactory(), {"title": "  Reading group  "}, cats)
    values = proposal_values(project.current_revision)
    assert values == {"title": "Reading group", "summary": "", "project_type": None,
                      "work_groups": [], "activity": None, "outcomes": [], "roles_needed": [],
                      "location": "", "budget": "", "timeline": ""}


@pytest.mark.parametrize("roles", [("grantmaker",), ("reviewer", "builder"), ("admin",)])
def test_create_project_without_proposer_role_raises_forbidden(session, cats, roles):
    with pytest.raises(Forbidden) as caught:
        create_project(session, UserFactory(roles=roles), complete(), cats)
    assert caught.value.messages == ["This needs the proposer role."]
    assert session.scalar(select(func.count()).select_from(Project)) == 0


def test_create_project_unknown_project_type_names_field(session, cats):
    assert problems_of(session, cats, complete(project_type="space_program")) == [{
        "field": "project_type",
        "message": "project_type: 'space_program' is not one of the project types."}]


def test_create_project_unknown_role_key_names_field(session, cats):
    data = complete(roles_needed=[role(kind="profession", key="mentorship")])
    assert problems_of(session, cats, data) == [{
        "field": "roles_needed.0.key",
        "message": "roles_needed.0.key: 'mentorship' is not one of the professions."}]


def test_create_project_unknown_keys_are_all_reported(session, cats):
    data = complete(project_type="nope", work_groups=["technical", "astrology"],
                    outcomes=[{"outcome": "fame", "measure": "likes"}])
    assert [p["field"] for p in problems_of(session, cats, data)] == [
        "project_type", "work_groups.1", "outcomes.0.outcome"]


def test_create_project_duplicate_outcome_raises_invalid(session, cats):
    data = complete(outcomes=[{"outcome": "contributors", "measure": "a"},
                              {"outcome": "contributors", "measure": "b"}])
    assert problems_of(session, cats, data) == [{
        "field": "outcomes.1.outcome",
        "message": "outcomes.1: 'contributors' is listed twice."}]


def test_create_project_title_number_raises_invalid(session, cats):
    assert problems_of(session, cats, complete(title=5)) == [
        {"field": "title", "message": "title should be text."}]


def test_create_project_technical_string_raises_invalid(session, cats):
    problems = problems_of(session, cats, complete(roles_needed=[role(technical="yes")]))
    assert problems == [{"field": "roles_needed.0.technical",
                         "message": "roles_needed.0.technical should be true or false."}]


def test_create_project_hours_as_string_raises_invalid(session, cats):
    problems = problems_of(session, cats, complete(roles_needed=[role(hours_per_month="6")]))
    assert [p["field"] for p in problems] == ["roles_needed.0.hours_per_month"]


@pytest.mark.parametrize("hours", [0, 745])
def test_create_project_hours_out_of_range_raises_invalid(session, cats, hours):
    problems = problems_of(session, cats, complete(roles_needed=[role(hours_per_month=hours)]))
    assert [p["field"] for p in problems] == ["roles_needed.0.hours_per_month"]


def test_create_project_extra_field_raises_unknown_field(session, cats):
    assert problems_of(session, cats, complete(colour="blue")) == [
        {"field": "colour", "message": "colour is not a known field."}]


def test_create_project_extra_field_in_role_raises_unknown_field(session, cats):
    problems = problems_of(session, cats, complete(roles_needed=[role(salary=10)]))
    assert problems == [{"field": "roles_needed.0.salary",
                         "message": "roles_needed.0.salary is not a known field."}]


def test_create_project_fractional_role_without_hours_raises_invalid(session, cats):
    data = complete(roles_needed=[role(hours_per_month=None)])
    assert problems_of(session, cats, data) == [{
        "field": "roles_needed.0.hours_per_month",
        "message": "roles_needed.0: a fractional role needs its hours per month."}]


def test_create_project_full_time_role_without_hours_is_accepted(session, cats):
    need = {"kind": "profession", "key": "engineering", "technical": True,
            "commitment": "full_time"}
    project = create_project(session, UserFactory(), complete(roles_needed=[need]), cats)
    assert project.current_revision.roles_needed == [{**need, "hours_per_month": None}]


@pytest.mark.parametrize("data", [[], "title", None, 5])
def test_create_project_not_an_object_raises_invalid(session, cats, data):
    assert problems_of(session, cats, data) == [
        {"message": "Send the proposal fields as a JSON object."}]


def test_update_proposal_current_version_changes_fields_and_bumps_version(session, cats):
    project = ProjectFactory()
    update_proposal(session, project.owner, project, {"title": "Better title", "version": 1},
                    cats, expected_version=1)
    session.expire_all()
    stored = session.get(Project, project.id)
    assert (stored.version, stored.current_revision.title,
            stored.current_revision.summary) == (2, "Better title", COMPLETE["summary"])


def test_update_proposal_stale_version_raises_conflict_and_changes_nothing(session, cats):
    project = ProjectFactory(version=3)
    with pytest.raises(Conflict) as caught:
        update_proposal(session, project.owner, project, {"title": "Lost edit"}, cats,
                        expected_version=2)
    assert caught.value.details == {"current_version": 3}
    session.expire_all()
    stored = session.get(Project, project.id)
    assert (stored.version, stored.current_revision.title) == (3, COMPLETE["title"])


def test_update_proposal_non_owner_raises_forbidden(session, cats):
    project = ProjectFactory()
    other = UserFactory()
    with pytest.raises(Forbidden):
        update_proposal(session, other, project, {"title": "Hijacked"}, cats,
                        expected_version=1)
    session.expire_all()
    assert session.scalar(select(Revision.title)) == COMPLETE["title"]


def test_update_proposal_in_withdrawn_state_raises_conflict(session, cats):
    project = ProjectFactory(state="withdrawn")
    with pytest.raises(Conflict):
        update_proposal(session, project.owner, project, {"title": "Late"}, cats,
                        expected_version=1)


@pytest.mark.parametrize("version", [None, "1", True, 1.0])
def test_update_proposal_version_not_integer_raises_invalid(session, cats, version):
    project = ProjectFactory()
    with pytest.raises(Invalid) as caught:
        update_proposal(session, project.owner, project, {"title": "New"}, cats,
                        expected_version=version)
    assert [p["field"] for p in caught.value.problems] == ["version"]


def test_missing_fields_empty_draft_lists_every_missing_piece(session):
    project = ProjectFactory(proposal=EMPTY)
    assert missing_fields(project.current_revision) == MISSING_ALL


def test_missing_fields_complete_proposal_is_empty(session):
    assert missing_fields(ProjectFactory().current_revision) == []


def test_missing_fields_whitespace_title_and_outcome_without_measure(session):
    proposal = complete(title="   ", outcomes=[{"outcome": "coordination", "measure": " "}])
    project = ProjectFactory(proposal=proposal)
    assert missing_fields(project.current_revision) == [
        "Title is missing.", "Outcome 'coordination' needs a measure."]


def test_risky_needs_marketing_profession_is_flagged(session, cats):
    proposal = complete(roles_needed=[
        role(),
        {"kind": "profession", "key": "marketing_communications", "technical": False,
         "commitment": "full_time", "hours_per_month": None},
    ])
    project = ProjectFactory(proposal=proposal)
    assert risky_needs(project.current_revision, cats) == ["Marketing and communications"]


def test_risky_needs_safe_roles_gives_empty_list(session, cats):
    assert risky_needs(ProjectFactory().current_revision, cats) == []


def test_risky_needs_same_key_other_kind_is_not_flagged(session, cats):
    # "seo" is a risky skill; as a profession key it means nothing and must not be flagged.
    proposal = complete(roles_needed=[role(key="seo"), role(kind="profession", key="seo")])
    project = ProjectFactory(proposal=proposal)
    assert risky_needs(project.current_revision, cats) == ["Search-engine optimisation"]


def test_update_proposal_stale_version_with_invalid_data_raises_conflict(session, cats):
    # CONTRACT.md: when several checks fail, 409 answers before 422.
    project = ProjectFactory(version=2)
    with pytest.raises(Conflict):
        update_proposal(session, project.owner, project, {"title": 5, "colour": "blue"}, cats,
                        expected_version=1)


def test_update_proposal_current_version_with_invalid_data_raises_invalid(session, cats):
    project = ProjectFactory()
    with pytest.raises(Invalid):
        update_proposal(session, project.owner, project, {"title": 5}, cats,
                        expected_version=1)
    session.expire_all()
    assert session.get(Project, project.id).version == 1
