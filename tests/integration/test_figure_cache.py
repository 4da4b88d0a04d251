"""Pipeline-wide figures are kept per process until a write to what they are made of moves the
figures' stamp: every kind of such write moves it, other writes do not, a rollback brings the
old token back, and a transaction that moved it never keeps nor takes a figure."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from reviewtool.models import CatalogueItem, FigureStamp, Project
from reviewtool.services.figure_cache import cached
from reviewtool.services.read.normalised import reviewer_offsets
from reviewtool.services.reviews import unassign_reviewer
from reviewtool.services.rounds import close_round
from tests.factories import assign, grantmaker, project_in_review, reviewer, submit


def _token(session) -> int:
    return session.scalar(select(FigureStamp.stamp))


class Counter:
    """A figure that says how often it was computed."""

    def __init__(self):
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def test_figure_cache_keeps_a_figure_until_a_review_is_submitted(session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    session.commit()
    figure = Counter()
    key = ("test", id(figure))
    first = cached(session, key, figure)
    session.commit()  # a new unit of work: the token is read again, and has not moved
    again = cached(session, key, figure)
    submit(project, user)
    session.commit()
    after = cached(session, key, figure)
    assert (first, again, after, figure.calls) == (1, 1, 2, 2)


def _assign(session, project, user, gm):
    assign(project, user, by=gm)


def _submit(session, project, user, gm):
    submit(project, user)


def _unassign(session, project, user, gm):
    unassign_reviewer(session, gm, project, user.id)


def _close(session, project, user, gm):
    close_round(session, project)


def _retitle(session, project, user, gm):
    project.current_revision.title = "Renamed"
    session.flush()


def _orm_update(session, project, user, gm):
    session.execute(update(Project).where(Project.id == project.id)
                    .values(version=Project.version + 1))


@pytest.mark.parametrize("write", [_assign, _submit, _unassign, _close, _retitle, _orm_update],
                         ids=lambda w: w.__name__.strip("_"))
def test_figure_stamp_moves_on_each_write_the_figures_are_made_of(session, workflow, write):
    gm = grantmaker()
    project = project_in_review(workflow)
    user = reviewer()
    if write in (_submit, _unassign):
        assign(project, user, by=gm)
    session.commit()
    before = _token(session)
    write(session, project, user, gm)
    session.commit()
    assert _token(session) != before


def test_figure_stamp_stays_for_a_write_the_figures_are_not_made_of(session):
    before = _token(session)
    session.add(CatalogueItem(catalogue="skills", key="welding", label="Welding", position=99))
    session.commit()
    assert _token(session) == before


def test_figure_stamp_comes_back_after_a_rollback(session, workflow):
    project = project_in_review(workflow)
    session.commit()
    before = _token(session)
    nested = session.begin_nested()
    project.current_revision.title = "Renamed"
    session.flush()
    moved = _token(session)
    nested.rollback()
    assert (moved != before, _token(session)) == (True, before)


def test_figure_cache_neither_keeps_nor_takes_inside_a_writing_transaction(session, workflow):
    project = project_in_review(workflow)
    session.commit()
    figure = Counter()
    key = ("test", id(figure))
    assert cached(session, key, figure) == 1  # kept under the committed token
    project.current_revision.title = "Renamed"
    session.flush()  # this transaction moves the token: its figures are its own
    inside = [cached(session, key, figure), cached(session, key, figure)]
    session.commit()
    assert (inside, cached(session, key, figure), figure.calls) == ([2, 3], 4, 4)


def test_reviewer_offsets_follow_a_new_review_across_units_of_work(session, workflow):
    gm = grantmaker()
    harsh, lenient = reviewer(), reviewer()
    for _ in range(10):  # ten scored reviews each: enough for an offset
        elsewhere = project_in_review(workflow)
        risk = min(elsewhere.current_revision.risks, key=lambda r: r.position)
        for user, score in ((harsh, 5), (lenient, 1)):
            assign(elsewhere, user, by=gm)
            submit(elsewhere, user, risk_scores=[{"risk_id": risk.id, "likelihood": score,
                                                  "severity": 4}])
    session.commit()
    # harsh 10 x 20, lenient 10 x 4: panel mean 240 / 20 = 12; offsets +8 and -8
    before = reviewer_offsets(session, [harsh.id, lenient.id])
    session.commit()
    late = project_in_review(workflow)
    risk = min(late.current_revision.risks, key=lambda r: r.position)
    assign(late, lenient, by=gm)
    submit(late, lenient, risk_scores=[{"risk_id": risk.id, "likelihood": 5, "severity": 4}])
    session.commit()
    # lenient now 10 x 4 + 20 = 60 over 11 (5.454545); panel 260 over 21 (12.380952):
    # offsets 20 - 12.380952 = 7.619048 and 5.454545 - 12.380952 = -6.926407
    after = reviewer_offsets(session, [harsh.id, lenient.id])
    assert before == {harsh.id: 8.0, lenient.id: -8.0}
    assert {k: round(v, 6) for k, v in after.items()} == {harsh.id: 7.619048,
                                                         lenient.id: -6.926407}
