"""Benchmark (not a test): the main pages and API reads at N generated projects, in process.

For each N: a fresh database (SQLite in a temporary folder, or --database-url), the demo
plus `reviewtool demo --projects N` (demo/scale.py), then for each page the SQL statements of
one warm request (a SQLAlchemy event) and the median and p95 of --repeat requests through the
Flask test client, timed alternately with a floor page served by the same app in the same
run (one indexed query of 50 rows and a Jinja table: what any page costs at least), so load
from elsewhere on the machine hits both alike. Prints a table and returns the rows for JSON."""

from __future__ import annotations

import statistics
import time
from typing import Any

from sqlalchemy import event, select

from bench.floor import add_floor
from reviewtool import create_app, db
from reviewtool.demo import load_demo
from reviewtool.demo.scale import generate_projects
from reviewtool.migrate import upgrade
from reviewtool.models import Assignment, Memo, ReviewRound, User
from reviewtool.services.accounts import issue_token

PASSWORD = "demo-password"


def build(url: str, n: int, tmp: str):
    """An app on a fresh database with the demo and n generated projects; seconds taken."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-0123456789abcdef",
                      "REVIEWTOOL_ENV": "testing", "WTF_CSRF_ENABLED": False,
                      "INSTANCE_PATH": tmp})
    add_floor(app)
    upgrade(app.extensions["reviewtool.db"].engine)
    workflow = app.extensions["reviewtool.workflow"]
    started = time.perf_counter()
    with app.app_context():
        session = db.session()
        load_demo(session, workflow)
        session.commit()
        generate_projects(session, n, 1, workflow.settings)
        session.commit()
    return app, time.perf_counter() - started


def targets(app) -> dict[str, tuple[str, str]]:
    """Page name: (who, URL), the projects picked from the generated data."""
    with app.app_context():
        session = db.session()
        reviewer = session.scalar(select(User).where(User.email == "reviewer1@scale1.example"))
        in_review = session.scalar(
            select(ReviewRound.project_id).join(Assignment)
            .where(ReviewRound.status == "open", Assignment.reviewer_id == reviewer.id,
                   Assignment.withdrawn_at.is_(None)).order_by(ReviewRound.project_id).limit(1))
        decided = session.scalar(select(Memo.project_id).order_by(Memo.id.desc()).limit(1))
    gm, rv = "gus@longfund.example", reviewer.email
    return {
        "floor page": (gm, "/_floor"),
        "grantmaker dashboard": (gm, "/"),
        "project list, page 1": (gm, "/projects"),
        "project list, last page": (gm, "/projects?cursor=last"),
        "project page (go, memo)": (gm, f"/projects/{decided}"),
        "reviewer dashboard": (rv, "/"),
        "review page": (rv, f"/projects/{in_review}/review"),
        "API project list, per_page=50": (gm, "/api/v1/projects?per_page=50"),
        "API project": (gm, f"/api/v1/projects/{decided}"),
        "stored memo download": (gm, f"/api/v1/projects/{decided}/memo.pdf"),
    }


def _clients(app, people: set[str]) -> dict[str, tuple[Any, dict[str, str]]]:
    """A signed-in test client and an API token header per person."""
    out = {}
    for email in people:
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        with app.app_context():
            session = db.session()
            token = issue_token(session, session.scalar(select(User).where(User.email == email)))
            session.commit()
        out[email] = (client, {"Authorization": f"Bearer {token}"})
    return out


def _get(clients, who: str, url: str):
    client, headers = clients[who]
    response = client.get(url, headers=headers if url.startswith("/api/") else {})
    body = response.get_data()
    assert response.status_code == 200, (url, response.status_code)
    return body


def _noter(seen: list[str]):
    def note(conn, cursor, statement, *rest) -> None:
        seen.append(statement)
    return note


def measure(app, repeat: int) -> list[dict[str, Any]]:
    """One row per page: statements, bytes, median and p95 ms, and the ratio to the floor."""
    pages = targets(app)
    clients = _clients(app, {who for who, _ in pages.values()})
    engine = app.extensions["reviewtool.db"].engine
    rows = []
    for name, (who, url) in pages.items():
        size = len(_get(clients, who, url))  # warm
        seen: list[str] = []
        note = _noter(seen)
        event.listen(engine, "before_cursor_execute", note)
        try:
            _get(clients, who, url)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        ours, floor = [], []
        for _ in range(repeat):  # alternate: the same background load falls on both
            start = time.perf_counter()
            _get(clients, who, url)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            _get(clients, "gus@longfund.example", "/_floor")
            floor.append(time.perf_counter() - start)
        median, floor_median = statistics.median(ours), statistics.median(floor)
        rows.append({"page": name, "url": url, "statements": len(seen), "bytes": size,
                     "median_ms": round(median * 1000, 2),
                     "p95_ms": round(statistics.quantiles(ours, n=20)[18] * 1000, 2),
                     "floor_median_ms": round(floor_median * 1000, 2),
                     "x_floor": round(median / floor_median, 2)})
    return rows


def print_table(n: int, rows: list[dict[str, Any]]) -> None:
    print(f"\nN = {n} generated projects (+ the hand-written demo)")
    print(f"{'page':32} {'SQL':>4} {'KB':>6} {'median ms':>10} {'p95 ms':>8} {'x floor':>8}")
    for r in rows:
        print(f"{r['page']:32} {r['statements']:>4} {r['bytes'] / 1024:>6.0f} "
              f"{r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {r['x_floor']:>8.2f}")
