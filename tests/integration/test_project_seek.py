"""Keyset pages of the project list (services/read/projects.project_seek): walking next from
the first page, previous from the last, reaches every row the viewer may see exactly once,
newest change first, ties on updated_at broken by id; the filters hold across cursors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import chain

from sqlalchemy import event

from reviewtool.services.read.cursors import AFTER, BEFORE, Position, decode
from reviewtool.services.read.projects import project_part, project_seek
from tests.factories import ProjectFactory, UserFactory, grantmaker

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _pages(session, viewer, *, backwards=False, **filters):
    """Every page's ids, following next from the first page (or previous from the last)."""
    page = project_seek(session, viewer, last=backwards, **filters)
    pages = [[p.id for p in page.items]]
    while (page.previous if backwards else page.next) is not None:
        way, position = decode(page.previous if backwards else page.next)
        assert way == (BEFORE if backwards else AFTER)
        page = project_seek(session, viewer, **{"before" if backwards else "after": position},
                            **filters)
        pages.append([p.id for p in page.items])
    return pages


def _flat(pages) -> list[int]:
    return list(chain.from_iterable(pages))


def _made(owner, minutes):
    """Projects of `owner` changed `minutes` after T0 (several at one minute: a tie)."""
    return [ProjectFactory(owner=owner, updated_at=T0 + timedelta(minutes=m)) for m in minutes]


def _newest_first(projects):
    return [p.id for p in sorted(projects, key=lambda p: (p.updated_at, p.id), reverse=True)]


def test_project_seek_next_from_first_reaches_every_row_once_ties_by_id(session):
    owner = UserFactory()
    made = _made(owner, [5, 1, 3, 3, 3, 3, 0])  # four changed at the same minute
    pages = _pages(session, owner, per_page=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert _flat(pages) == _newest_first(made)


def test_project_seek_previous_from_last_reaches_every_row_once(session):
    owner = UserFactory()
    made = _made(owner, [5, 1, 3, 3, 3, 3, 0])
    pages = _pages(session, owner, backwards=True, per_page=3)
    assert [len(p) for p in pages] == [3, 3, 1]  # the last page is full: the 3 oldest
    assert _flat(reversed(pages)) == _newest_first(made)


def test_project_seek_all_at_one_time_pages_by_id_alone(session):
    owner = UserFactory()
    made = _made(owner, [2] * 5)
    assert _pages(session, owner, per_page=2) == [
        _newest_first(made)[0:2], _newest_first(made)[2:4], _newest_first(made)[4:]]


def test_project_seek_first_and_last_pages_say_so(session):
    owner = UserFactory()
    _made(owner, range(5))
    first, last = project_seek(session, owner, per_page=2), project_seek(
        session, owner, per_page=2, last=True)
    assert (first.is_first, first.is_last, last.is_first, last.is_last) == (
        True, False, False, True)
    one = project_seek(session, owner, per_page=5)
    assert (one.is_first, one.is_last, len(one.items)) == (True, True, 5)


def test_project_seek_past_the_end_is_an_empty_page_without_links(session):
    owner = UserFactory()
    _made(owner, [1, 2])
    oldest = project_seek(session, owner, per_page=2).items[-1]
    beyond = project_seek(session, owner, per_page=2,
                          after=Position(oldest.updated_at, oldest.id))
    assert (beyond.items, beyond.previous, beyond.next) == ([], None, None)


def test_project_seek_state_and_whose_filters_hold_across_cursors(session):
    gm = grantmaker(roles=("grantmaker", "proposer"))
    others = [UserFactory(), UserFactory()]
    _made(gm, [1, 2, 3])  # drafts of the grantmaker's own: theirs to see, not in review
    mine_in_review = [ProjectFactory(owner=gm, state="review",
                                     updated_at=T0 + timedelta(minutes=m)) for m in (4, 5, 5)]
    theirs_in_review = [ProjectFactory(owner=others[i % 2], state="review",
                                       updated_at=T0 + timedelta(minutes=m))
                        for i, m in enumerate((1, 6, 6, 6, 7))]
    theirs_drafts = [ProjectFactory(owner=o) for o in others]  # never seen by the grantmaker
    assert _flat(_pages(session, gm, per_page=2, state="review", whose="others")) == (
        _newest_first(theirs_in_review))
    assert _flat(_pages(session, gm, per_page=2, state="review", whose="mine")) == (
        _newest_first(mine_in_review))
    everything = _flat(_pages(session, gm, per_page=4))
    assert (len(everything), set(p.id for p in theirs_drafts) & set(everything)) == (11, set())
    assert _flat(_pages(session, gm, backwards=True, per_page=2, state="review",
                      whose="others")[::-1]) == _newest_first(theirs_in_review)


def test_project_seek_reads_two_statements_whichever_page(session):
    owner = UserFactory()
    _made(owner, range(9))
    seen = []
    engine = session.get_bind()

    def note(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        counts = []
        for kwargs in ({}, {"last": True}):
            seen.clear()
            project_seek(session, owner, per_page=4, **kwargs)
            counts.append(len(seen))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert counts == [2, 2]


def test_project_part_is_the_first_rows_and_the_total(session):
    gm = grantmaker(roles=("grantmaker", "proposer"))
    mine = _made(gm, range(25))
    theirs = [ProjectFactory(owner=UserFactory(), state="review",
                             updated_at=T0 + timedelta(minutes=m)) for m in range(3)]
    rows, total = project_part(session, gm, whose="mine", limit=20)
    assert ([p.id for p in rows], total) == (_newest_first(mine)[:20], 25)
    rows, total = project_part(session, gm, whose="others", limit=20)
    assert ([p.id for p in rows], total) == (_newest_first(theirs), 3)
    assert project_part(session, UserFactory(), whose="mine") == ([], 0)
