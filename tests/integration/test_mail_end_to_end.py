"""The issue's done-criterion for mail ("Straighten the house", point 5): on a fresh PostgreSQL
database, two gunicorn servers take 200 reviewer assignments over the JSON API (each queues
one mail) while two `reviewtool worker` processes deliver; the SMTP sink gets 200 messages,
each Message-ID exactly once, and every outbox row is marked sent."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import sessionmaker

from reviewtool.db import make_engine
from reviewtool.services.workflows import load_app_workflow
from tests.mail_helpers import (
    SECRET,
    Sink,
    free_port,
    fresh_database,
    ids_of,
    rows,
    seed_assignable,
)

PROJECTS, REVIEWERS = 4, 50  # 200 assignments; one project's round per client thread
CLI = [sys.executable, "-c", "from reviewtool.cli import main; main()"]
OURS = ("DATABASE_URL", "SECRET_KEY", "REVIEWTOOL_ENV", "REVIEWTOOL_WORKFLOW",
        "REVIEWTOOL_INLINE_WORKER", "REVIEWTOOL_DEBUG", "SMTP_HOST", "SMTP_PORT", "MAIL_FROM",
        "BASE_URL")
SUMMARY = re.compile(r"Delivered (\d+) message\(s\); 0 failed, 0 to retry\.")


def _post(port: int, path: str, token: str, body: dict) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait_until_serving(port: int, server: subprocess.Popen, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn on {port} exited: {server.communicate()[1][-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json",
                                        timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"gunicorn on {port} did not answer within {timeout} s")


@contextmanager
def started(commands: list[list[str]], env: dict[str, str]) -> Iterator[list[subprocess.Popen]]:
    """Start `commands`; on the way out, end whichever of them still run (ours only)."""
    running = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for c in commands]
    try:
        yield running
    finally:
        for process in running:
            if process.poll() is None:
                # INT, not KILL: gunicorn's quick shutdown takes its workers along (killed, the
                # master would leave them holding our pipes), and our worker stops cleanly.
                process.send_signal(signal.SIGINT)
        for process in running:
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate(timeout=30)


class _StderrWatch:
    """Reads a process's stderr in a thread (so the pipe never fills), noting when a line
    containing `marker` has appeared."""

    def __init__(self, process: subprocess.Popen, marker: str):
        self.lines: list[str] = []
        self.seen = threading.Event()
        self._marker = marker
        self._thread = threading.Thread(target=self._read, args=(process.stderr,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)
            if self._marker in line:
                self.seen.set()

    def text(self) -> str:
        self._thread.join(30)
        return "".join(self.lines)


def _assign_all(ports: list[int], seeded) -> list[int]:
    """One thread per project (a round's letters are handed out one at a time), each sending
    its assignments to the two servers in turn; the answers' status codes."""
    statuses: list[int] = []
    lock = threading.Lock()

    def assign(k: int) -> None:
        for j, (user_id, _) in enumerate(seeded.reviewers[k]):
            status = _post(ports[(j + k) % 2], f"/api/v1/projects/{seeded.project_ids[k]}"
                           "/reviewers", seeded.tokens[k], {"user_id": user_id})
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=assign, args=(k,)) for k in range(PROJECTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return statuses


@pytest.mark.slow
def test_two_servers_two_workers_deliver_each_of_200_mails_exactly_once(tmp_path):
    with fresh_database("postgresql", tmp_path) as url, Sink(delay=0.002) as sink:
        env = {**{k: v for k, v in os.environ.items() if k not in OURS},
               "DATABASE_URL": url, "REVIEWTOOL_ENV": "production", "SECRET_KEY": SECRET,
               "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port),
               "MAIL_FROM": "reviewtool@longfund.example"}
        upgraded = subprocess.run([*CLI, "db", "upgrade"], env=env, capture_output=True,
                                  text=True, timeout=120, check=False)
        assert upgraded.returncode == 0, upgraded.stderr
        engine = make_engine(url)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        ports = [free_port(), free_port()]
        # --preload: each server builds the app once and forks its two workers (less CPU at
        # start on a two-core machine; the app opens no connection before a request).
        servers = [[sys.executable, "-m", "gunicorn", "--preload", "--workers", "2", "--bind",
                    f"127.0.0.1:{port}", "--log-level", "warning", "reviewtool:create_app()"]
                   for port in ports]
        workers = [[*CLI, "worker", "--poll", "0.2"]] * 2
        try:
            with started(servers + workers, env) as running:
                # The data is committed while the processes start; none of them needs it yet.
                seeded = seed_assignable(factory, load_app_workflow("default"),
                                         projects=PROJECTS, reviewers=REVIEWERS,
                                         tokens=PROJECTS)
                for port, server in zip(ports, running, strict=False):
                    _wait_until_serving(port, server)
                watches = [_StderrWatch(process, ": delivering every ") for process in running[2:]]
                for watch in watches:  # both workers have looked once before any request
                    assert watch.seen.wait(60), watch.text()[-2000:]
                statuses = _assign_all(ports, seeded)
                arrived = sink.wait_for(PROJECTS * REVIEWERS, timeout=60)
                deadline = time.monotonic() + 20  # the sink has it before the row says sent
                while (any(r.sent_at is None for r in rows(factory))
                       and time.monotonic() < deadline):
                    time.sleep(0.1)
                for process in running[2:]:
                    process.send_signal(signal.SIGTERM)
                exits = [process.wait(timeout=30) for process in running[2:]]
                outputs = [(process.stdout.read(), watch.text())
                           for process, watch in zip(running[2:], watches, strict=True)]
            outbox = rows(factory)
        finally:
            engine.dispose()
    assert statuses == [201] * (PROJECTS * REVIEWERS)
    assert arrived, f"only {len(sink.messages)} messages arrived"
    assert exits == [0, 0], [err[-2000:] for _, err in outputs]
    assert len(outbox) == PROJECTS * REVIEWERS
    assert sorted(sink.counts().items()) == sorted((mid, 1) for mid in ids_of(
        [row.id for row in outbox]))
    assert {(row.attempts, row.sent_at is not None, row.failed_at) for row in outbox} == {
        (1, True, None)}
    emails = {email for group in seeded.reviewers for _, email in group}
    assert {m["To"] for m in sink.messages} == emails
    delivered = [int(SUMMARY.fullmatch(out.strip().splitlines()[-1]).group(1))
                 for out, _ in outputs]
    assert sum(delivered) == PROJECTS * REVIEWERS
    assert all(n > 0 for n in delivered), delivered  # both workers took part
