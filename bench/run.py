"""Benchmarks (not tests): print tables, write JSON, assert nothing. `make bench` runs this.

    .venv/bin/python bench/run.py [--projects 100,10000] [--repeat 20]
                                  [--database-url URL] [--json bench/results.json]

1. bench/pages.py: for each N, the main pages and API reads on a fresh database with the demo
   and N generated projects: SQL statements, median and p95 in process, ratio to a floor page.
2. The decision memo at the largest N: build context + render HTML + PDF, against WeasyPrint
   rendering the same finished HTML in the same process (goal: within 1.2x); and in a fresh
   process that warms up as a gunicorn worker does, its first memo against its second
   (bench/memo_first.py).
3. This process's peak RSS after the run.
bench/exports.py measures the table exports and the portfolio (run it on its own)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memo_first import stored_memo_html
from bench.pages import build, measure, print_table
from reviewtool.memo.render import render_pdf


def memo_bench(app, repeat: int) -> dict[str, float]:
    """Our memo (context + HTML + PDF) against WeasyPrint alone on the same HTML, alternated."""
    with app.app_context():
        memo_html = stored_memo_html(app)

        def full() -> bytes:
            return render_pdf(memo_html())

        html = memo_html()
        full()  # warm (this process rendered memos as it built the data set)
        ours, raw = [], []
        for _ in range(repeat):
            # A full collection before each render: WeasyPrint allocates so much that Python's
            # collector otherwise ran in every other render (about 250 ms in this process's
            # large heap), always in the same arm of the alternation.
            gc.collect()
            start = time.perf_counter()
            full()
            ours.append(time.perf_counter() - start)
            gc.collect()
            start = time.perf_counter()
            render_pdf(html)
            raw.append(time.perf_counter() - start)
    o, r = statistics.median(ours), statistics.median(raw)
    return {"ours_ms": round(o * 1000), "weasyprint_ms": round(r * 1000),
            "ratio": round(o / r, 2)}


def first_memo(url: str) -> dict[str, float]:
    """The first memo of a fresh process that warmed up as a worker does (bench/memo_first)."""
    out = subprocess.run([sys.executable, str(Path(__file__).parent / "memo_first.py"), url],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", default="100,10000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL (emptied first)")
    parser.add_argument("--json", default=str(Path(__file__).parent / "results.json"))
    parser.add_argument("--keep", default="", metavar="DIR",
                        help="SQLite: keep the largest N's database as DIR/bench-N.sqlite3 "
                             "(bench/serve.py serves it: 10,000 projects take minutes to build)")
    args = parser.parse_args()
    results = {"machine": f"{platform.machine()}, {platform.processor() or '?'}, "
                          f"{len(os.sched_getaffinity(0))} cores",
               "python": platform.python_version(), "runs": []}
    app = None
    for n in [int(x) for x in args.projects.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
            if args.database_url:
                _empty(url)
            app, seconds = build(url, n, tmp)
            print(f"N = {n}: demo + generated projects loaded in {seconds:.1f} s "
                  f"({app.extensions['reviewtool.db'].engine.dialect.name})")
            rows = measure(app, args.repeat)
            print_table(n, rows)
            run = {"projects": n, "load_seconds": round(seconds, 1), "pages": rows,
                   "database": app.extensions["reviewtool.db"].engine.dialect.name}
            if n == max(int(x) for x in args.projects.split(",")):
                run["memo"] = {**memo_bench(app, max(3, args.repeat // 4)), **first_memo(url)}
                m = run["memo"]
                print(f"\nmemo render (context + HTML + PDF): {m['ours_ms']} ms median; "
                      f"WeasyPrint alone on the same HTML: {m['weasyprint_ms']} ms; ratio "
                      f"{m['ratio']}x (goal <= 1.2x)\nfresh process: warm-up (as a worker) "
                      f"{m['warm_up_ms']} ms, then its first memo {m['first_ms']} ms and its "
                      f"second {m['second_ms']} ms (goal: the first no slower)")
            results["runs"].append(run)
            app.extensions["reviewtool.db"].engine.dispose()
            if args.keep and not args.database_url and n == max(
                    int(x) for x in args.projects.split(",")):
                kept = keep_sqlite(f"{tmp}/bench.sqlite3", Path(args.keep), n)
                print(f"kept the N = {n} database as {kept}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["peak_rss_mib"] = round(rss, 1)
    print(f"\npeak RSS of this process (data set built and served in it): {rss:.0f} MiB")
    Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.json}")


def keep_sqlite(path: str, folder: Path, n: int) -> Path:
    """Copy the SQLite database at `path` to folder/bench-n.sqlite3 with SQLite's backup API
    (a consistent copy whatever its journal mode), replacing an older one."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"bench-{n}.sqlite3"
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)
    partial.replace(target)
    return target


def _empty(url: str) -> None:
    """Drop and recreate the public schema of the PostgreSQL database at `url`."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    main()
