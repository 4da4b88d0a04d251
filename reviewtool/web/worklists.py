"""The signed-in user's own work lists in full, PER_PAGE rows a page: their review assignments
and the running pilots they build (the dashboard shows the first rows of each and links
here). Someone without the role has none, so they see an empty list; no rule is needed, since
each list holds only the user's own rows."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request

from reviewtool import db
from reviewtool.errors import NotFound
from reviewtool.http.pipeline import actor
from reviewtool.inputs import NUMBER_MAX, whole_number
from reviewtool.services.read.dashboard import reviewer_assignments
from reviewtool.services.read.pilot import builder_pilots
from reviewtool.web.pipeline import pages

bp = pages("worklists", __name__)
PER_PAGE = 50


def _page_of(read: Callable, what: str) -> dict:
    """The page `?page=` of `read(session, user, limit=, offset=)`: 404 saying why for a page
    that is not a whole number from 1, or past the last page."""
    page = whole_number(request.args.get("page", "1"), low=1, high=NUMBER_MAX)
    if page is None:
        raise NotFound("No such page: page should be a whole number from 1.")
    rows, total = read(db.session(), actor(), limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    if not rows and page > 1:  # past the end the window counts no rows: ask for the total
        _, total = read(db.session(), actor(), limit=1, offset=0)
    pages_ = max(1, -(-total // PER_PAGE))
    if page > pages_:
        raise NotFound(f"No page {page}: your {what} fill {pages_} page"
                       f"{'s' if pages_ != 1 else ''}.")
    return {"rows": rows, "total": total, "page": page, "pages": pages_}


@bp.get("/dashboard/assignments")
def assignments():
    """Every live review assignment of the user in open rounds, pending first."""
    return render_template("worklists/assignments.html",
                           **_page_of(reviewer_assignments, "review assignments"))


@bp.get("/dashboard/pilots")
def pilots():
    """Every running pilot the user builds, ending soonest first."""
    return render_template("worklists/pilots.html", **_page_of(builder_pilots, "pilots"))
