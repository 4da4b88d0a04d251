"""The grantmaker's queue, one kind of waiting work at a time, a page of rows after another:
the dashboard shows each kind's first rows and links here for the rest."""

from __future__ import annotations

from flask import render_template, request

from reviewtool import db
from reviewtool.errors import NotFound
from reviewtool.http.pipeline import actor
from reviewtool.inputs import NUMBER_MAX, whole_number
from reviewtool.permissions import require
from reviewtool.services.read.queue import KINDS, Slice, grantmaker_queue
from reviewtool.web.pipeline import pages

bp = pages("queue", __name__)
PER_PAGE = 50


@bp.get("/queue")
def index():
    """One kind of the queue (`kind`, default the first), paginated with `page`."""
    require(actor(), "read_queue")
    kind = request.args.get("kind", KINDS[0])
    page = whole_number(request.args.get("page", "1"), low=1, high=NUMBER_MAX)
    if kind not in KINDS:
        raise NotFound(f"No such kind of waiting work: {kind!r}.")
    if page is None:
        raise NotFound("No such page: page should be a whole number from 1.")
    queue = grantmaker_queue(db.session(), actor(), part=Slice(
        PER_PAGE, (page - 1) * PER_PAGE, (kind,)))
    total = queue["totals"][kind]
    pages_ = max(1, -(-total // PER_PAGE))
    if page > pages_:
        raise NotFound(f"No page {page}: {kind.replace('_', ' ')} has {pages_}.")
    return render_template("queue/index.html", kind=kind, rows=queue[kind], total=total,
                           page=page, pages=pages_)
