"""Benchmark (not a test): the scale-out run. Two gunicorn servers (2 workers each, two ports)
and one mail worker (`reviewtool worker`) on one PostgreSQL database, loaded by locust with a
mixed workload (bench/locust_mixed.py): reviewers reviewing, grantmakers browsing, builders
recording pilot observations, one go decision a minute.

    .venv/bin/python bench/scaleout.py [--database-url URL] [--projects 1000] [--build]
                                       [--users 12] [--seconds 120]
                                       [--json bench/scaleout_results.json]

The database (default: reviewtool_scaleout on 127.0.0.1, which must exist) is built with the
CLI when it has no projects, or always with --build (its public schema dropped first):
`reviewtool db upgrade`, `reviewtool demo`, `reviewtool demo --projects N --seed 1`. The run
writes to it (reviews, observations, decisions), so each run without --build has less left to
do. Prints, per action, requests, failures, requests/s, median and p95, the writes skipped
because nothing was left to do, the outbox after the run, and each worker's RSS."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import served
from reviewtool.demo.data import GRANTMAKER
from reviewtool.models import (
    Assignment,
    OutboxMessage,
    Pilot,
    Project,
    Review,
    ReviewRound,
    User,
)
from reviewtool.models.pilot import pilot_builders

OUT = Path(__file__).parent / "out"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/reviewtool_scaleout"


def ensure_data(url: str, projects: int, rebuild: bool) -> None:
    """Load the demo and `projects` generated projects with the CLI, unless already there."""
    engine = create_engine(url)
    with engine.begin() as conn:
        empty = not inspect(conn).has_table("projects") or not conn.scalar(
            text("SELECT count(*) FROM projects"))
        if rebuild and not empty:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    if not (empty or rebuild):
        return
    env = served.app_env(url)
    for argv in (["db", "upgrade"], ["demo"], ["demo", "--projects", str(projects), "--seed",
                                               "1"]):
        print("reviewtool", *argv)
        subprocess.run([str(served.BIN / "reviewtool"), *argv], env=env, check=True,
                       cwd=served.ROOT)


def write_plan(url: str, hosts: list[str], path: Path) -> dict:
    """Who does what, read from the database: pending reviews per reviewer, running pilots per
    builder, projects at the decision step, projects to browse."""
    engine = create_engine(url)
    with Session(engine) as s:
        pending = s.execute(
            select(User.email, ReviewRound.project_id).join(Assignment.reviewer)
            .join(ReviewRound, ReviewRound.id == Assignment.round_id)
            .outerjoin(Review, Review.assignment_id == Assignment.id)
            .where(ReviewRound.status == "open", Assignment.withdrawn_at.is_(None),
                   Review.id.is_(None)).order_by(ReviewRound.project_id)).all()
        pilots = s.execute(
            select(User.email, Pilot.project_id)
            .join(pilot_builders, pilot_builders.c.user_id == User.id)
            .join(Pilot, Pilot.id == pilot_builders.c.pilot_id)
            .join(Project, Project.id == Pilot.project_id)
            # a pilot that starts later refuses observations (422): not a workload
            .where(Project.state == "pilot", Pilot.starts_on <= date.today())
            .order_by(Pilot.project_id)).all()
        deciding = s.scalars(select(Project.id).where(Project.state == "decision")
                             .order_by(Project.id)).all()
        browse = s.scalars(select(Project.id).where(Project.state != "draft")
                           .order_by(Project.id).limit(300)).all()
    engine.dispose()
    plan = {"hosts": hosts, "grantmaker": GRANTMAKER, "reviewers": {}, "builders": {},
            "decisions": list(deciding), "browse": list(browse)}
    for email, project in pending:
        plan["reviewers"].setdefault(email, []).append(project)
    for email, project in pilots:
        plan["builders"].setdefault(email, []).append(project)
    path.write_text(json.dumps(plan, indent=2))
    print(f"plan: {len(pending)} pending reviews of {len(plan['reviewers'])} reviewers, "
          f"{len(pilots)} running pilot builders' places, {len(deciding)} projects at the "
          f"decision step")
    return plan


def outbox(url: str) -> dict[str, int]:
    """How many outbox messages are sent and how many wait, after the run."""
    engine = create_engine(url)
    with Session(engine) as s:
        sent = s.scalar(select(func.count()).where(OutboxMessage.sent_at.is_not(None)))
        waiting = s.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
    engine.dispose()
    return {"sent": sent, "waiting": waiting}


def summarise(recorded: dict, stats: dict[str, dict]) -> tuple[list[dict], dict]:
    """Per action, after the warm-up: answers, requests/s, median and p95; failures over the
    whole run (locust's CSV). And the same for all actions but signing in."""
    times, seconds = recorded["times"], recorded["seconds"] or 1.0
    rows = []
    for name in sorted(set(times) | {n for n in stats if n != "all"}):
        got = sorted(times.get(name, []))
        row = {"action": name, "answers": len(got),
               "failures": stats.get(name, {}).get("failures", 0),
               "rps": round(len(got) / seconds, 2)}
        if got:
            row |= {"median_ms": round(statistics.median(got), 1),
                    "p95_ms": round(statistics.quantiles(got, n=20)[18] if len(got) > 1
                                    else got[0], 1)}
        rows.append(row)
    work = [r for r in rows if not r["action"].startswith("sign-in")]
    total = {"answers": sum(r["answers"] for r in work),
             "failures": sum(r["failures"] for r in work), "seconds": round(seconds, 1),
             "rps": round(sum(r["answers"] for r in work) / seconds, 2)}
    return rows, total


def print_table(rows, skipped, total, mail, rss) -> None:
    print(f"\n{'action':34} {'answers':>7} {'fail':>5} {'req/s':>6} {'median ms':>10} "
          f"{'p95 ms':>8}")
    for r in rows:
        print(f"{r['action']:34} {r['answers']:>7} {r['failures']:>5} {r['rps']:>6.2f} "
              f"{r.get('median_ms', 0):>10.1f} {r.get('p95_ms', 0):>8.1f}")
    print(f"\nall but sign-in: {total['answers']} answers in {total['seconds']} s after the "
          f"warm-up, {total['failures']} failed, {total['rps']} requests/s over both servers")
    print("skipped (nothing left to do): "
          + (", ".join(f"{k}: {v}" for k, v in sorted(skipped.items())) or "none"))
    print(f"outbox after the run: {mail['sent']} sent, {mail['waiting']} waiting")
    for server, workers in rss.items():
        print(f"RSS of {server}{' workers' if server.startswith('http') else ''}: "
              + ", ".join(f"{w['rss_mib']:.0f} MiB" for w in workers))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--build", action="store_true", help="drop and rebuild the data set")
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--think", default="0.5,2",
                        help="think time between actions, 'LOW,HIGH' seconds; 0,0 = capacity")
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=15,
                        help="seconds at the start not counted (every user signs in then)")
    parser.add_argument("--json", default=str(Path(__file__).parent / "scaleout_results.json"))
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = args.database_url
    ensure_data(url, args.projects, args.build)
    ports = [served.free_port(), served.free_port()]
    hosts = [f"http://127.0.0.1:{p}" for p in ports]
    plan_path, times_path, prefix = OUT / "scaleout_plan.json", OUT / "scaleout_times.json", \
        OUT / "scaleout"
    write_plan(url, hosts, plan_path)
    procs: list[subprocess.Popen] = []
    try:
        for k, port in enumerate(ports):
            procs.append(served.start_gunicorn(url, port, OUT / f"scaleout_gunicorn{k}.log"))
        procs.append(served.start([str(served.BIN / "reviewtool"), "worker", "--poll", "2"],
                                  served.app_env(url), OUT / "scaleout_worker.log"))
        print(f"servers {', '.join(hosts)} and a mail worker; locust: {args.users} users for "
              f"{args.seconds} s (logs in {OUT})")
        env = {**os.environ, "BENCH_PLAN": str(plan_path), "BENCH_TIMES": str(times_path),
               "BENCH_WARMUP": str(args.warmup), "BENCH_THINK": args.think,
               "PYTHONPATH": str(served.ROOT)}
        times_path.unlink(missing_ok=True)
        served.run_locust("locust_mixed.py", hosts[0], args.users, args.seconds, prefix, env,
                          OUT / "scaleout_locust.log")
        rss = {hosts[k]: served.worker_rss(procs[k]) for k in range(2)}
        rss["mail worker"] = [{"pid": procs[2].pid, "rss_mib": served.rss_mib(procs[2].pid)}]
    finally:
        for proc in procs:
            served.stop(proc)
    recorded = json.loads(times_path.read_text())
    rows, total = summarise(recorded, served.read_stats(prefix))
    mail = outbox(url)
    print_table(rows, recorded["skipped"], total, mail, rss)
    result = {"machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
              "python": platform.python_version(), "database": "postgresql",
              "servers": 2, "gunicorn_workers_each": 2, "mail_workers": 1,
              "locust_users": args.users, "think_seconds": args.think, "seconds": args.seconds,
              "actions": rows,
              "warmup_seconds": args.warmup, "skipped": recorded["skipped"], "all": total,
              "outbox": mail,
              "rss": rss}
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
