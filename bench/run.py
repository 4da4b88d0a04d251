"""Benchmarks (not tests): print figures, assert nothing.

    .venv/bin/python bench/run.py [--projects 50] [--repeat 5]

1. The project list page with N projects: median time and SQL queries per request.
2. The decision memo: build context + render HTML + PDF, against WeasyPrint rendering the same
   finished HTML in the same process (goal: within 1.2x), and downloading a stored memo."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from reviewtool import db
from reviewtool.memo.render import render_html, render_pdf
from reviewtool.models import Project
from reviewtool.services.decisions import latest_decision
from reviewtool.services.read.memo import build_context

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data import build_demo_db


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median seconds of `repeat` calls of fn, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def count_queries(engine, fn) -> int:
    """How many SQL statements fn issues."""
    seen = []
    listener = lambda *a, **k: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def main() -> None:
    """Build a data set, then time the page and the memo."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, ids = build_demo_db(Path(tmp), args.projects)
        engine = app.extensions["reviewtool.db"].engine
        client = app.test_client()
        client.post("/login", data={"email": "gm@bench.example", "password": "bench-password"})
        url = f"/projects?page=1&per_page={args.projects}"
        client.get(url)  # warm up templates and caches
        seconds, response = timed(lambda: client.get(url), args.repeat)
        queries = count_queries(engine, lambda: client.get(url))
        print(f"project list, {min(args.projects, 20)} rows shown of {args.projects}: "
              f"{seconds * 1000:.1f} ms median, {queries} SQL queries, "
              f"status {response.status_code}")


        with app.app_context():
            session = db.session()
            project = session.get(Project, ids["decided"])
            settings = app.extensions["reviewtool.workflow"].settings
            decision = latest_decision(session, project)

            def full() -> bytes:
                return render_pdf(render_html(build_context(session, project, settings,
                                                            decision, draft=False)))

            html = render_html(build_context(session, project, settings, decision, draft=False))
            full()  # warm up fonts
            # Alternate the two, so that load from elsewhere on the machine hits both alike.
            ours_times, raw_times, pdf = [], [], b""
            for _ in range(args.repeat):
                seconds_ours, pdf = timed(full, 1)
                seconds_raw, _ = timed(lambda: render_pdf(html), 1)
                ours_times.append(seconds_ours)
                raw_times.append(seconds_raw)
            ours, raw = statistics.median(ours_times), statistics.median(raw_times)
            print(f"memo render (context + HTML + PDF): {ours * 1000:.0f} ms median; "
                  f"WeasyPrint alone on the same HTML: {raw * 1000:.0f} ms; ratio "
                  f"{ours / raw:.2f}x (goal <= 1.2x); {len(pdf) / 1024:.0f} KiB")
        client.post("/logout")
        token = ids["token"]
        memo_url = f"/api/v1/projects/{ids['decided']}/memo.pdf"
        headers = {"Authorization": f"Bearer {token}"}
        download, response = timed(lambda: client.get(memo_url, headers=headers), args.repeat)
        print(f"stored memo download: {download * 1000:.1f} ms median, "
              f"{len(response.data) / 1024:.0f} KiB, status {response.status_code}")


if __name__ == "__main__":
    main()
