"""Who sees which project (permissions.visible_projects / load_project / can_see)."""

import pytest

from reviewtool.errors import NotFound
from reviewtool.permissions import can_see, load_project, visible_projects
from reviewtool.services.transitions import fire
from tests.factories import ProjectFactory, UserFactory


def visible_ids(session, user):
    """The ids of the projects `user` may see, ascending."""
    return sorted(p.id for p in session.scalars(visible_projects(user)))


@pytest.fixture
def draft(session):
    return ProjectFactory(state="draft")


@pytest.fixture
def submitted(session):
    return ProjectFactory(state="risk_model")


def test_load_project_owner_sees_own_draft(session, draft):
    assert load_project(session, draft.owner, draft.id) is draft
    assert visible_ids(session, draft.owner) == [draft.id]
    assert can_see(session, draft.owner, draft.id) is True


def test_load_project_owner_sees_own_submitted_project(session, submitted):
    assert load_project(session, submitted.owner, submitted.id) is submitted


def test_load_project_other_proposer_gets_not_found(session, draft, submitted):
    other = UserFactory()
    for project in (draft, submitted):
        with pytest.raises(NotFound) as caught:
            load_project(session, other, project.id)
        assert caught.value.messages == [f"Project {project.id} not found."]
        assert can_see(session, other, project.id) is False
    assert visible_ids(session, other) == []


def test_load_project_missing_id_gets_same_not_found(session, draft):
    with pytest.raises(NotFound) as caught:
        load_project(session, draft.owner, draft.id + 1000)
    assert caught.value.messages == [f"Project {draft.id + 1000} not found."]


@pytest.mark.parametrize("role", ["grantmaker", "admin"])
def test_load_project_oversight_role_does_not_see_draft(session, draft, role):
    user = UserFactory(roles=(role,))
    with pytest.raises(NotFound):
        load_project(session, user, draft.id)
    assert can_see(session, user, draft.id) is False


@pytest.mark.parametrize("role", ["grantmaker", "admin"])
def test_load_project_oversight_role_sees_risk_model_project(session, draft, submitted, role):
    user = UserFactory(roles=(role,))
    assert load_project(session, user, submitted.id) is submitted
    assert visible_ids(session, user) == [submitted.id]
    assert can_see(session, user, submitted.id) is True


def test_visible_projects_grantmaker_who_proposes_sees_own_draft_only(session, draft, submitted):
    user = UserFactory(roles=("proposer", "grantmaker"))
    own = ProjectFactory(owner=user)
    assert visible_ids(session, user) == sorted([own.id, submitted.id])


@pytest.mark.parametrize("roles", [("reviewer",), ("builder",), ("reviewer", "builder")])
def test_visible_projects_reviewer_or_builder_without_relation_sees_nothing(
        session, draft, submitted, roles):
    user = UserFactory(roles=roles)
    assert visible_ids(session, user) == []
    for project in (draft, submitted):
        with pytest.raises(NotFound):
            load_project(session, user, project.id)
        assert can_see(session, user, project.id) is False


def test_visible_projects_draft_withdrawn_before_submit_stays_private(session, workflow):

    project = ProjectFactory()
    fire(session, workflow, project, "withdraw", actor=project.owner)
    grantmaker = UserFactory(roles=("grantmaker",))
    assert project.state == "withdrawn"
    assert visible_ids(session, grantmaker) == []
    with pytest.raises(NotFound):
        load_project(session, grantmaker, project.id)


def test_visible_projects_withdrawn_after_submit_is_seen_by_grantmaker(session, workflow):

    project = ProjectFactory()
    fire(session, workflow, project, "submit", actor=project.owner)
    fire(session, workflow, project, "withdraw", actor=project.owner)
    grantmaker = UserFactory(roles=("grantmaker",))
    assert visible_ids(session, grantmaker) == [project.id]
