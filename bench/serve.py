"""Benchmark (not a test): the main pages served by gunicorn (2 workers), loaded by locust in a
second process. `make bench` runs it after bench/run.py, on the database run.py kept.

    .venv/bin/python bench/serve.py [--projects 10000] [--data-dir instance]
                                    [--database-url URL] [--users 2] [--seconds 120]
                                    [--json bench/serve_results.json]

1. The database: --database-url as it is (it must hold the demo and the generated projects),
   or the SQLite file DATA_DIR/bench-N.sqlite3 that `bench/run.py --keep DATA_DIR` leaves,
   built here (demo + N generated projects, as run.py does) when it is missing.
2. gunicorn -c gunicorn.conf.py -w 2 bench.wsgi:app on a free port: the product's app in
   production settings, plus the floor page (bench/floor.py).
3. locust headless (bench/locustfile.py), --users users with no think time, each signed in
   through the login form, walking the pages of bench/pages.py's `targets` with a floor
   request after each one, for --seconds.
4. Per page: median and p95 (from every request's exact time) and the ratio of the median to
   the floor page's median in the same run; requests and failures from locust's stats CSV;
   then VmRSS of each gunicorn worker, read after the run while they still run.
Logs and locust's CSVs go to bench/out/ (not committed)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import served
from bench.pages import build, targets
from reviewtool import create_app, db
from reviewtool.models import User
from reviewtool.services.accounts import issue_token

OUT = Path(__file__).parent / "out"


def database(args) -> str:
    """The URL of the database to serve, building the SQLite one when it is missing."""
    if args.database_url:
        return args.database_url
    path = Path(args.data_dir).resolve() / f"bench-{args.projects}.sqlite3"
    if not path.exists():
        print(f"{path} is missing: building it (demo + {args.projects} generated projects)")
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            app, seconds = build(f"sqlite:///{path}", args.projects, tmp)
            app.extensions["reviewtool.db"].engine.dispose()
        print(f"built in {seconds:.0f} s")
    return f"sqlite:///{path}"


def write_plan(url: str, path: Path) -> dict:
    """The pages to walk (name, who, URL) and an API token per person, as JSON at `path`."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": served.SECRET_KEY,
                          "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": tmp})
        pages = targets(app)
        with app.app_context():
            session = db.session()
            tokens = {who: issue_token(session, session.scalar(
                select(User).where(User.email == who))) for who, _ in pages.values()}
            session.commit()
        app.extensions["reviewtool.db"].engine.dispose()
    plan = {"pages": [[name, who, page] for name, (who, page) in pages.items()],
            "tokens": tokens}
    path.write_text(json.dumps(plan, indent=2))
    return plan


def summarise(plan: dict, times: dict[str, list[float]],
              stats: dict[str, dict[str, float]]) -> list[dict]:
    """One row per page: requests, failures, median, p95, ratio to the floor's median."""
    floor = statistics.median(times["floor page"])
    rows = []
    for name, _, url in plan["pages"]:
        got = times.get(name, [])
        if len(got) < 2:
            rows.append({"page": name, "url": url, "requests": len(got), "failures":
                         stats.get(name, {}).get("failures", 0)})
            continue
        median = statistics.median(got)
        rows.append({"page": name, "url": url, "requests": len(got),
                     "failures": stats.get(name, {}).get("failures", 0),
                     "median_ms": round(median, 2),
                     "p95_ms": round(statistics.quantiles(got, n=20)[18], 2),
                     "x_floor": round(median / floor, 2)})
    return rows


def print_table(rows: list[dict], rss: list[dict], total: dict) -> None:
    print(f"\n{'page':32} {'reqs':>6} {'fail':>5} {'median ms':>10} {'p95 ms':>8} {'x floor':>8}")
    for r in rows:
        if "median_ms" not in r:
            print(f"{r['page']:32} {r['requests']:>6} {r['failures']:>5}   (too few answers)")
            continue
        print(f"{r['page']:32} {r['requests']:>6} {r['failures']:>5} {r['median_ms']:>10.1f} "
              f"{r['p95_ms']:>8.1f} {r['x_floor']:>8.2f}")
    print(f"\nall requests: {total.get('requests', 0)}, {total.get('failures', 0)} failed, "
          f"{total.get('rps', 0)} requests/s")
    print("gunicorn worker RSS after the run: "
          + ", ".join(f"{w['rss_mib']:.0f} MiB (pid {w['pid']})" for w in rss))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10000)
    parser.add_argument("--data-dir", default=str(Path(__file__).parent.parent / "instance"))
    parser.add_argument("--database-url", default="", help="serve this database as it is")
    parser.add_argument("--users", type=int, default=2,
                        help="locust users; 2 = one request in flight per worker, no queueing")
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--json", default=str(Path(__file__).parent / "serve_results.json"))
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = database(args)
    plan_path, times_path, prefix = OUT / "serve_plan.json", OUT / "serve_times.json", \
        OUT / "serve"
    plan = write_plan(url, plan_path)
    port = served.free_port()
    print(f"gunicorn (2 workers) on 127.0.0.1:{port} serving {url}; locust: {args.users} "
          f"users for {args.seconds} s (logs in {OUT})")
    gunicorn = None
    try:
        gunicorn = served.start_gunicorn(url, port, OUT / "serve_gunicorn.log")
        # the first seconds (signing in, first requests of each worker) are not counted
        env = {**os.environ, "BENCH_PLAN": str(plan_path), "BENCH_TIMES": str(times_path),
               "BENCH_WARMUP": "5", "PYTHONPATH": str(served.ROOT)}
        times_path.unlink(missing_ok=True)
        served.run_locust("locustfile.py", f"http://127.0.0.1:{port}", args.users,
                          args.seconds, prefix, env, OUT / "serve_locust.log")
        rss = served.worker_rss(gunicorn)
    finally:
        served.stop(gunicorn)
    stats = served.read_stats(prefix)
    rows = summarise(plan, json.loads(times_path.read_text())["times"], stats)
    print_table(rows, rss, stats.get("all", {}))
    result = {"machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
              "python": platform.python_version(), "database": url.split(":")[0],
              "projects": args.projects if not args.database_url else None,
              "gunicorn_workers": 2, "locust_users": args.users, "seconds": args.seconds,
              "pages": rows, "all": stats.get("all", {}), "worker_rss": rss}
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
