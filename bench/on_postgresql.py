"""Benchmark (not a test): `make bench`'s PostgreSQL part, run.py and then serve.py on one
PostgreSQL database, when a server answers.

    .venv/bin/python bench/on_postgresql.py

The database `reviewtool_bench` on 127.0.0.1:5432 (user postgres; BENCH_PG_ADMIN_DSN to
change) is created when missing; run.py empties it, fills it at N = 100 and then 10,000,
and serve.py serves what run.py left. JSON: bench/results_postgresql.json and
bench/serve_results_postgresql.json. Without a server it says so in one line and does
nothing, as `make test` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
NAME = "reviewtool_bench"
ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "host=127.0.0.1 port=5432 user=postgres "
                           "dbname=postgres connect_timeout=3")
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{NAME}"


def main() -> int:
    try:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (NAME,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{NAME}"')
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0]
        print(f"PostgreSQL part of the benchmark SKIPPED: no server to use ({reason})")
        return 0
    steps = [[str(HERE / "run.py"), "--database-url", URL,
              "--json", str(HERE / "results_postgresql.json")],
             [str(HERE / "serve.py"), "--database-url", URL,
              "--json", str(HERE / "serve_results_postgresql.json")]]
    for step in steps:
        print(f"\n{Path(step[0]).name} on PostgreSQL ({URL})", flush=True)
        code = subprocess.call([sys.executable, *step])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
