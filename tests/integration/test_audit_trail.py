"""The tamper-evident audit trail: every transition and account event is chained by SHA-256;
`verify` names the first broken link; PostgreSQL refuses UPDATE and DELETE of audit rows; a
project with a history cannot be deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from reviewtool.models import AccountEvent, Project, TransitionEvent
from reviewtool.models.audit import event_hash
from reviewtool.services.audit import Verification, record_account_event, verify
from reviewtool.services.transitions import fire
from tests.factories import ProjectFactory, UserFactory, complete_risk_model, project_in_review


def events(session, project):
    return session.scalars(select(TransitionEvent).where(TransitionEvent.project_id == project.id)
                           .order_by(TransitionEvent.id)).all()


def test_transition_events_chain_each_to_the_one_before(session, workflow):
    project = ProjectFactory()
    fire(session, workflow, project, "submit", actor=project.owner)
    complete_risk_model(project.current_revision)
    fire(session, workflow, project, "request_review", actor=project.owner)
    first, second = events(session, project)
    assert first.sha256 == event_hash(first.prev_sha256, first.content())
    assert second.prev_sha256 == first.sha256
    assert second.sha256 == event_hash(first.sha256, second.content())
    assert len({first.sha256, second.sha256}) == 2


def test_verify_intact_trail_counts_every_event(session, workflow):
    project_in_review(workflow)  # submit + request_review
    record_account_event(session, "login", user=UserFactory(), address="127.0.0.1")
    session.flush()
    # submit and request_review, then the sign-in
    assert verify(session) == Verification(checked=3, broken=None)


def test_account_events_chain_in_the_order_they_were_added(session):
    user = UserFactory()
    one = record_account_event(session, "login_failed", email="x@example.org", address="10.0.0.1")
    two = record_account_event(session, "login", user=user, address="10.0.0.1")
    session.flush()
    assert two.prev_sha256 == one.sha256
    assert one.content() == {"at": one.at.isoformat(), "kind": "login_failed", "user_id": None,
                             "actor_id": None, "email": "x@example.org",
                             "address": "10.0.0.1", "data": {}}


def test_verify_finds_a_transition_event_changed_behind_the_apps_back(session, workflow,
                                                                        db_kind):
    if db_kind != "sqlite":
        pytest.skip("PostgreSQL refuses the change itself (see the trigger tests)")
    project = project_in_review(workflow)
    _, second = events(session, project)
    session.execute(text("UPDATE transition_events SET comment = 'edited' WHERE id = :id"),
                    {"id": second.id})
    session.expire_all()
    assert verify(session).broken == (f"transition_events {second.id}: its content does not "
                                      "match its hash (it was changed)")


def test_verify_finds_a_removed_event_at_the_next_link(session, workflow, db_kind):
    if db_kind != "sqlite":
        pytest.skip("PostgreSQL refuses the delete itself (see the trigger tests)")
    project = project_in_review(workflow)
    first, second = events(session, project)
    session.execute(text("DELETE FROM transition_events WHERE id = :id"), {"id": first.id})
    session.expire_all()
    assert verify(session).broken == (f"transition_events {second.id}: its link to the "
                                      "previous event does not match (an event before it was "
                                      "changed or removed)")


@pytest.mark.parametrize("statement", [
    "UPDATE transition_events SET comment = 'edited'",
    "DELETE FROM transition_events",
    "UPDATE account_events SET kind = 'login'",
    "DELETE FROM account_events",
])
def test_postgresql_refuses_changing_audit_rows(session, workflow, db_kind, statement):
    if db_kind != "postgresql":
        pytest.skip("the append-only triggers are PostgreSQL's")
    project_in_review(workflow)
    record_account_event(session, "login", user=UserFactory())
    session.flush()
    nested = session.begin_nested()
    with pytest.raises(DBAPIError) as caught:
        session.execute(text(statement))
    nested.rollback()
    assert "audit events cannot be changed or deleted" in str(caught.value)


def test_project_with_a_history_cannot_be_deleted(session, workflow):
    project = project_in_review(workflow)
    nested = session.begin_nested()
    with pytest.raises((IntegrityError, DBAPIError)):
        session.execute(delete(Project).where(Project.id == project.id))
    nested.rollback()
    session.expire_all()
    assert session.get(Project, project.id) is not None
    assert len(events(session, project)) == 2


def test_account_event_names_user_and_actor(session):
    admin, user = UserFactory(roles=("admin",)), UserFactory()
    row = record_account_event(session, "disabled", user=user, actor=admin,
                               data={"reason": "left"})
    session.flush()
    stored = session.scalars(select(AccountEvent).where(AccountEvent.id == row.id)).one()
    assert (stored.user.id, stored.actor.id, stored.data) == (user.id, admin.id,
                                                              {"reason": "left"})
