"""A PostgreSQL restart under load: while it is down every request answers 503 with
Retry-After (never 500), and the first request after it is back succeeds (the pool's
pre-ping replaces the dead connections). The test runs a cluster of its own (initdb in a
temporary folder, a free port), so the shared server is never disturbed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from reviewtool import create_app
from reviewtool.migrate import upgrade
from reviewtool.services.accounts import create_user, issue_token
from tests.factories import PASSWORD

BIN = Path("/usr/lib/postgresql/15/bin")
SECRET = "restart-test-secret-0123456789abcdef"
CLIENTS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*args: str) -> None:
    # initdb and pg_ctl refuse to run as root; the Debian package's postgres user may.
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                   capture_output=True, timeout=120)


@pytest.fixture
def cluster() -> Iterator[tuple[str, list[str]]]:
    """(URL, pg_ctl command) of a PostgreSQL cluster of this test's own."""
    if not (BIN / "initdb").exists() or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL 15's initdb or runuser is missing")
    # Not pytest's tmp_path: its parents are root's alone, and postgres must reach the folder.
    root = Path(tempfile.mkdtemp(prefix="reviewtool-pg-"))
    shutil.chown(root, "postgres")
    data, port = root / "data", _free_port()
    _as_postgres(str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    ctl = [str(BIN / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-o",
           f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"]
    # -l: the server's output goes to a file, not to our pipes (which would then never close).
    ctl += ["-l", str(root / "log")]
    _as_postgres(*ctl, "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", ctl
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", *ctl, "-m", "immediate", "stop"],
                       capture_output=True, timeout=60, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
def test_postgresql_restart_under_load_is_503_then_recovers(cluster, tmp_path):
    url, ctl = cluster
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "testing",
                      "INSTANCE_PATH": str(tmp_path)})
    engine = app.extensions["reviewtool.db"].engine
    upgrade(engine)
    with Session(engine) as session:
        user = create_user(session, email="load@example.org", password=PASSWORD,
                           roles=["proposer"])
        token = issue_token(session, user)
        session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    seen: list[tuple[float, int, str | None]] = []
    stop = threading.Event()

    def load() -> None:
        client = app.test_client()
        while not stop.is_set():
            for path in ("/api/v1/me", "/api/v1/projects"):
                started = time.monotonic()
                response = client.get(path, headers=headers)
                seen.append((started, response.status_code, response.headers.get("Retry-After")))

    threads = [threading.Thread(target=load, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    _as_postgres(*ctl, "-m", "fast", "restart")
    back = time.monotonic()
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    engine.dispose()

    statuses = {status for _, status, _ in seen}
    assert statuses == {200, 503}, sorted(statuses)  # the fault was felt, and never as a 500
    assert all(retry == "5" for _, status, retry in seen if status == 503)
    after = sorted((at, status) for at, status, _ in seen if at > back)  # sent once it was up
    assert len(after) > 20 and after[0][1] == 200  # the first request after the restart works
    assert {status for _, status in after} == {200}
