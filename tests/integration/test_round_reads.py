"""A project's rounds are read once per unit of work and answer the permission rules the same
way as the indexed lookup they replace; a change in the session makes them read again."""

from __future__ import annotations

from reviewtool.models.round_reads import open_rounds, project_rounds, rounds_if_read
from reviewtool.permissions import is_assigned_reviewer
from reviewtool.services.reviews import unassign_reviewer
from tests.factories import assign, grantmaker, project_in_review, reviewer
from tests.queries import statements_of


def _statements(session, call):
    return statements_of(session.get_bind(), call)


def test_round_reads_twice_in_one_unit_of_work_issue_no_second_statement(session, workflow):
    project = project_in_review(workflow)
    assign(project, reviewer())
    session.commit()
    first, n_first = _statements(session, lambda: project_rounds(session, project.id))
    again, n_again = _statements(session, lambda: open_rounds(session, project.id))
    # the rounds, then their assignments, then the assignments' reviews
    assert (n_first, n_again) == (3, 0)
    assert [r.number for r in first] == [1]
    assert again == first


def test_round_reads_forget_the_rounds_after_a_change(session, workflow):
    gm = grantmaker()
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user, by=gm)
    session.commit()
    project_rounds(session, project.id)
    assert rounds_if_read(session, project.id) is not None
    unassign_reviewer(session, gm, project, user.id)
    assert rounds_if_read(session, project.id) is None


def test_is_assigned_reviewer_agrees_with_and_without_the_rounds_read(session, workflow):
    gm = grantmaker()
    project = project_in_review(workflow)
    live, withdrawn, stranger = reviewer(), reviewer(), reviewer()
    assign(project, live, by=gm)
    assign(project, withdrawn, by=gm)
    unassign_reviewer(session, gm, project, withdrawn.id)
    session.commit()
    users = (live, withdrawn, stranger)
    cold = [is_assigned_reviewer(u, project) for u in users]
    assert rounds_if_read(session, project.id) is None
    project_rounds(session, project.id)
    warm, n = _statements(session, lambda: [is_assigned_reviewer(u, project) for u in users])
    assert (cold, warm, n) == ([True, False, False], [True, False, False], 0)
