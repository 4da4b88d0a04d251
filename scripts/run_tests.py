"""Run the whole test suite: on SQLite always, on PostgreSQL too when one is reachable.

If TEST_DATABASE_URL is not set and PostgreSQL answers on 127.0.0.1:5432 (user postgres), a
throwaway database is created for this run and dropped afterwards. What cannot run is said in
one line, never skipped silently."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import psycopg

ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN", "host=127.0.0.1 port=5432 user=postgres "
                           "dbname=postgres connect_timeout=3")


def _admin(sql: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    """Create the throwaway database if needed, run pytest, drop the database."""
    env = dict(os.environ)
    throwaway = None
    if not env.get("TEST_DATABASE_URL"):
        name = f"reviewtool_test_{secrets.token_hex(4)}"
        try:
            _admin(f'CREATE DATABASE "{name}"')
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0]
            print(f"PostgreSQL tests will be SKIPPED: no server to use ({reason})", flush=True)
        else:
            throwaway = name
            env["TEST_DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    if not os.path.exists("/usr/bin/chromium"):
        print("Browser tests will be SKIPPED: /usr/bin/chromium is missing "
              "(apt-get install chromium)", flush=True)
    try:
        # Two workers (the machines have two cores); whole files per worker, so that a
        # module's live server and demo data are built once.
        workers = ["-n", env.get("TEST_WORKERS", "2"), "--dist", "loadfile"]
        return subprocess.call([sys.executable, "-m", "pytest", *workers, *sys.argv[1:]],
                               env=env)
    finally:
        if throwaway:
            _admin(f'DROP DATABASE IF EXISTS "{throwaway}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
