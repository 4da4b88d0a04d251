"""Benchmark (not a test): the first memo a fresh process renders, against its second.

    .venv/bin/python bench/memo_first.py DATABASE_URL

Run in a process of its own (bench/run.py starts it), because the process that built the
data set has rendered memos already and has its fonts loaded. It does what a gunicorn worker
does as it starts (gunicorn.conf.py's post_worker_init: `warm_worker(app)`, the fonts, the
memo's templates and the pipeline-wide figures), then renders one stored
project's memo twice (context + HTML + PDF). Prints one line of JSON: the warm-up, the first
and the second render in ms (goal: the first no slower than the rest)."""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviewtool import create_app, db
from reviewtool.app import warm_worker
from reviewtool.memo.render import render_html, render_pdf
from reviewtool.models import Memo, Project
from reviewtool.services.decisions import latest_decision
from reviewtool.services.read.memo import build_context


def _ms(call) -> float:
    start = time.perf_counter()
    call()
    return round((time.perf_counter() - start) * 1000, 1)


def stored_memo_html(app):
    """A function that builds the first stored memo's context and HTML (call it inside an app
    context): what bench/run.py and this script both render."""
    session = db.session()
    project = session.get(Project, session.scalar(select(Memo.project_id)
                                                  .order_by(Memo.id).limit(1)))
    settings = app.extensions["reviewtool.workflow"].settings
    decision = latest_decision(session, project)
    return lambda: render_html(build_context(session, project, settings, decision,
                                             draft=False))


def main(url: str) -> dict[str, float]:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                      "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": "/tmp"})
    warm = _ms(lambda: warm_worker(app))
    with app.app_context():
        memo_html = stored_memo_html(app)

        def render() -> bytes:
            return render_pdf(memo_html())

        # Each render starts from a full collection, as in bench/run.py: otherwise whichever
        # render Python's collector lands in is 250 ms slower, whatever it renders.
        gc.collect()
        first = _ms(render)
        gc.collect()
        second = _ms(render)

    return {"warm_up_ms": warm, "first_ms": first, "second_ms": second}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
