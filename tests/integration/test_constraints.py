"""The database itself refuses bad rows, whatever the services do (a second wall)."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from reviewtool.models import Project, Revision, User, UserRole
from tests.factories import ProjectFactory, UserFactory


def refused(session, statement, params=None):
    """Run a raw statement in a SAVEPOINT and expect the database to refuse it."""
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(text(statement), params or {})


def test_users_duplicate_email_raises_integrity_error(session):
    first = UserFactory(email="dup@example.org")
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(User(email="dup@example.org", name="Copy", password_hash="x",
                         session_token="t"))
        session.flush()
    assert session.scalars(select(User.id).where(User.email == "dup@example.org")).all() == [
        first.id]


def test_users_uppercase_email_raises_integrity_error(session):
    user = UserFactory()
    refused(session, "UPDATE users SET email = 'Upper@Example.org' WHERE id = :id",
            {"id": user.id})
    assert session.scalar(select(User.email).where(User.id == user.id)) == user.email


def test_projects_invalid_state_raises_integrity_error(session):
    project = ProjectFactory()
    refused(session, "UPDATE projects SET state = 'approved' WHERE id = :id", {"id": project.id})
    assert session.scalar(select(Project.state).where(Project.id == project.id)) == "draft"


def test_projects_version_zero_raises_integrity_error(session):
    project = ProjectFactory()
    refused(session, "UPDATE projects SET version = 0 WHERE id = :id", {"id": project.id})


def test_projects_unknown_owner_raises_integrity_error(session):
    project = ProjectFactory()
    refused(session, "UPDATE projects SET owner_id = :bad WHERE id = :id",
            {"bad": project.owner_id + 10_000, "id": project.id})


def test_revisions_two_current_for_one_project_raises_integrity_error(session):
    project = ProjectFactory()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Revision(project_id=project.id, number=2, is_current=True))
        session.flush()
    assert session.scalars(select(Revision.number).where(
        Revision.project_id == project.id)).all() == [1]


def test_revisions_second_non_current_is_accepted(session):
    project = ProjectFactory()
    with session.begin_nested():
        session.add(Revision(project_id=project.id, number=2, is_current=False))
    assert session.scalar(select(func.count()).select_from(Revision)) == 2


def test_revisions_duplicate_number_raises_integrity_error(session):
    project = ProjectFactory()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Revision(project_id=project.id, number=1, is_current=False))
        session.flush()


def test_revisions_invalid_activity_raises_integrity_error(session):
    project = ProjectFactory()
    refused(session, "UPDATE revisions SET activity = 'dream' WHERE project_id = :id",
            {"id": project.id})


def test_user_roles_unknown_role_raises_integrity_error(session):
    user = UserFactory()
    refused(session, "INSERT INTO user_roles (user_id, role) VALUES (:id, 'overlord')",
            {"id": user.id})
    assert session.scalars(select(UserRole.role).where(UserRole.user_id == user.id)).all() == [
        "proposer"]


def test_user_roles_unknown_user_raises_integrity_error(session):
    user = UserFactory()
    refused(session, "INSERT INTO user_roles (user_id, role) VALUES (:id, 'admin')",
            {"id": user.id + 10_000})


def test_transition_events_unknown_project_raises_integrity_error(session):
    user = UserFactory()
    refused(session, "INSERT INTO transition_events (project_id, actor_id, at, from_state, "
                     "to_state, \"trigger\", comment) VALUES (:p, :a, CURRENT_TIMESTAMP, "
                     "'draft', 'risk_model', 'submit', '')",
            {"p": 999_999, "a": user.id})


def test_session_after_refused_savepoint_still_works(session):
    UserFactory(email="kept@example.org")
    refused(session, "INSERT INTO user_roles (user_id, role) VALUES (1, 'overlord')")
    UserFactory(email="also-kept@example.org")
    assert session.scalars(select(User.email).order_by(User.email)).all() == [
        "also-kept@example.org", "kept@example.org"]
