"""Benchmark (not a test): the table exports and the portfolio at N generated projects.

    .venv/bin/python bench/exports.py [--projects 10000] [--database-url URL]

Rows are generated in bulk (Core inserts, no services), in proportion to N: per project one
revision, two closed rounds with three reviews each, two safeguards; a pilot with two
criteria and two observations for every third project; a decision for every second. Then
each table is exported as CSV and as JSON through the app (bearer token, streamed, read
chunk by chunk and thrown away, as a client writing to disk would) with tracemalloc
measuring the peak of memory allocated while it ran; and GET /api/v1/portfolio is timed."""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from reviewtool import create_app
from reviewtool.migrate import upgrade
from reviewtool.models import (
    Assignment,
    Criterion,
    Decision,
    Observation,
    Pilot,
    Project,
    Review,
    ReviewRound,
    Revision,
    Safeguard,
    User,
    UserRole,
)
from reviewtool.services.accounts import create_user, issue_token
from reviewtool.services.read.exports import EXPORTS

TYPES = ("events", "communications", "community_group", "training_course", "career_advising")
NOW = datetime(2026, 6, 1, tzinfo=UTC)
FIGURES = {"n_reviews": 3, "concern_pct": 33.3, "optimism_pct": 66.7,
           "weighted_concern_pct": 30.0, "categories": [{"category": "capabilities",
                                                          "concern_pct": 33.3}],
           "disagreement": [{"risk_id": 1, "scores": [1, 9, 25], "n": 3, "spread": 24,
                             "stdev": 9.84}]}


def generate(session, n: int, owner_id: int, reviewer_ids: list[int]) -> None:
    """Insert n projects and their rows in bulk, 1000 projects at a time."""
    for start in range(0, n, 1000):
        ids = range(start + 1, min(n, start + 1000) + 1)
        session.execute(insert(Project), [
            {"id": i, "owner_id": owner_id, "state": ("review", "decision", "go")[i % 3],
             "version": 3, "created_at": NOW, "updated_at": NOW} for i in ids])
        session.execute(insert(Revision), [
            {"id": i, "project_id": i, "number": 1, "is_current": True,
             "title": f'=HYPERLINK("x") project {i}' if i % 97 == 0 else f"Project {i}",
             "summary": "A generated project for the export benchmark. " * 5,
             "project_type": TYPES[i % len(TYPES)], "work_groups": ["technical"],
             "activity": "start", "outcomes": [{"outcome": "contributors", "measure": "m"}],
             "roles_needed": [{"kind": "skill", "key": "networking", "technical": True,
                               "commitment": "fractional", "hours_per_month": 5}],
             "location": "Online", "budget": "USD 1,000", "timeline": "2027",
             "created_at": NOW, "submitted_at": NOW} for i in ids])
        session.execute(insert(ReviewRound), [
            {"id": 2 * i - r, "project_id": i, "revision_id": i, "number": 2 - r,
             "status": "closed", "opened_at": NOW, "closed_at": NOW, "figures": FIGURES}
            for i in ids for r in (1, 0)])
        session.execute(insert(Assignment), [
            {"id": 3 * (2 * i - r) - k, "round_id": 2 * i - r,
             "reviewer_id": reviewer_ids[k], "assigned_by_id": owner_id, "letter": "ABC"[k],
             "assigned_at": NOW} for i in ids for r in (1, 0) for k in range(3)])
        session.execute(insert(Review), [
            {"assignment_id": 3 * (2 * i - r) - k, "revision_id": i,
             "stance": ("optimistic", "neutral", "pessimistic")[k], "net_negative": k == 2,
             "rationale": "It could crowd out a better-placed effort." if k == 2 else "",
             "concern_categories": ["capabilities"] if k == 2 else [],
             "risk_scores": [], "suggested_safeguards": ["A supervisory team"],
             "confidence": 3, "expertise": "expert", "no_conflict_attested": True,
             "version": 1, "submitted_at": NOW, "updated_at": NOW}
            for i in ids for r in (1, 0) for k in range(3)])
        session.execute(insert(Safeguard), [
            {"revision_id": i, "position": p, "type": "supervisory_team",
             "description": "A board reviews every output.", "responsible": "Lead",
             "addresses": ["capabilities"], "concerns": [], "residual_likelihood": 1,
             "residual_severity": 2} for i in ids for p in (0, 1)])
        piloted = [i for i in ids if i % 3 == 0]
        session.execute(insert(Pilot), [
            {"id": i, "project_id": i, "starts_on": date(2026, 5, 1),
             "ends_on": date(2026, 7, 1), "budget": "USD 100", "frozen_at": NOW,
             "plan_sha256": hashlib.sha256(str(i).encode()).hexdigest()} for i in piloted])
        session.execute(insert(Criterion), [
            {"id": 2 * i - c, "pilot_id": i, "position": c, "kind": ("success", "kill")[c],
             "outcome": "contributors", "metric": "People attending", "comparator": ">=",
             "target": 5, "unit": "people", "measurement": "Sign-in sheet"}
            for i in piloted for c in (0, 1)])
        session.execute(insert(Observation), [
            {"criterion_id": 2 * i - c, "value": 7, "observed_on": date(2026, 5, 20),
             "note": "-5 dropped out" if c else "Fine.", "recorded_by_id": owner_id,
             "recorded_at": NOW} for i in piloted for c in (0, 1)])
        session.execute(insert(Decision), [
            {"project_id": i, "kind": "go", "rationale": "Generated.", "conditions": [],
             "decided_by_id": owner_id, "decided_at": NOW - timedelta(days=i % 30)}
            for i in ids if i % 2 == 0])


def build(url: str, n: int, tmp: str):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-0123456789",
                      "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": tmp})
    database = app.extensions["reviewtool.db"]
    upgrade(database.engine)
    with database.sessionmaker() as session:
        gm = create_user(session, email="gm@bench.example", password="bench-password",
                         roles=["grantmaker"], name="Grant Maker")
        reviewers = [create_user(session, email=f"r{k}@reviewer{k}.example",
                                 password="bench-password", roles=["reviewer"],
                                 name=f"Reviewer {k}") for k in range(3)]
        owner = session.execute(insert(User).returning(User.id), [{
            "email": "owner@bench.example", "name": "Owner", "password_hash": "x",
            "session_token": "x", "is_active": True, "created_at": NOW}]).scalar_one()
        session.execute(insert(UserRole), [{"user_id": owner, "role": "proposer"}])
        generate(session, n, owner, [r.id for r in reviewers])
        token = issue_token(session, gm)
        session.commit()
    return app, token


def measure(app, token: str, url: str) -> tuple[float, int, float]:
    """Peak MiB allocated, bytes sent, seconds, for one streamed GET of `url`."""
    client = app.test_client()
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url, headers={"Authorization": f"Bearer {token}"}, buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200, url
    return peak / 2**20, size, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/exports.sqlite3"
        started = time.perf_counter()
        app, token = build(url, args.projects, tmp)
        print(f"{args.projects} projects generated in {time.perf_counter() - started:.1f} s "
              f"({app.extensions['reviewtool.db'].engine.dialect.name})")
        for table in EXPORTS:
            for fmt in ("csv", "json"):
                peak, size, seconds = measure(app, token, f"/api/v1/exports/{table}.{fmt}")
                print(f"export {table}.{fmt}: {size / 2**20:.1f} MiB sent in {seconds:.1f} s, "
                      f"peak {peak:.1f} MiB allocated")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        start = time.perf_counter()
        response = client.get("/api/v1/portfolio", headers=headers)
        print(f"GET /api/v1/portfolio: {time.perf_counter() - start:.1f} s, status "
              f"{response.status_code}, {response.json['projects']} projects")
        app.extensions["reviewtool.db"].engine.dispose()


if __name__ == "__main__":
    main()
