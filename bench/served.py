"""Helpers of the served benchmarks (bench/serve.py, bench/scaleout.py): start gunicorn and
locust as process groups and always stop them, read locust's stats CSV, read worker RSS.

Every process is started in a session of its own (start_new_session), so stopping it stops
the whole group (gunicorn's master and workers, locust) and nothing is left running when a
benchmark fails half-way: the callers stop them in `finally`."""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from gunicorn import config as gunicorn_config

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_KEY = "bench-served-secret-key-0123456789abcdef"  # sessions must survive worker restarts


def free_port() -> int:
    """A TCP port nobody listens on now (the kernel picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a served app or worker: production settings, no inline mail thread
    (the scale-out run has a real worker; the served bench measures pages only)."""
    env = {**os.environ, "DATABASE_URL": database_url, "REVIEWTOOL_ENV": "production",
           "SECRET_KEY": SECRET_KEY, "REVIEWTOOL_INLINE_WORKER": "0",
           "PYTHONPATH": str(ROOT), **extra}
    env.pop("SMTP_HOST", None)  # the worker logs mail instead of sending it
    return env


def start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `argv` in a new session (its own process group), output to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def start_gunicorn(database_url: str, port: int, log: Path, workers: int = 2) -> subprocess.Popen:
    """gunicorn with the repository's gunicorn.conf.py (fonts loaded in post_fork) serving
    bench.wsgi:app on 127.0.0.1:port; returns once both workers answer."""
    argv = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(workers),
            "-b", f"127.0.0.1:{port}", "--timeout", "120", "bench.wsgi:app"]
    if any(s.name == "control_socket_disable" for s in gunicorn_config.KNOWN_SETTINGS):
        # newer gunicorn (27 here) opens a control socket at one fixed path per user: the two
        # servers of the scale-out run would take it from each other, and a benchmark needs none
        argv.insert(1, "--no-control-socket")
    proc = start(argv, app_env(database_url), log)
    try:
        wait_ready(proc, f"http://127.0.0.1:{port}/login", workers, log)
    except BaseException:  # the caller never gets `proc` to stop: stop it here
        stop(proc)
        raise
    return proc


def wait_ready(proc: subprocess.Popen, url: str, workers: int, log: Path,
               timeout: float = 120) -> None:
    """Wait until the master has `workers` children and `url` answers 200 several times."""
    deadline = time.monotonic() + timeout
    answered = 0
    while answered < 2 * workers:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                answered += response.status == 200 and len(children(proc.pid)) >= workers
        except OSError:
            time.sleep(0.5)


def stop(proc: subprocess.Popen | None, grace: float = 20) -> None:
    """SIGTERM the process group (gunicorn stops its workers; the mail worker finishes the
    message at hand), then SIGKILL what is left after `grace` seconds."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def children(pid: int) -> list[int]:
    """The child processes of `pid` (gunicorn's workers of a master), from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # the second field, (comm), may hold spaces: the ppid is the 2nd field after it
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return sorted(out)


def rss_mib(pid: int) -> float:
    """VmRSS of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise ValueError(f"no VmRSS for {pid}")


def worker_rss(master: subprocess.Popen) -> list[dict[str, Any]]:
    """RSS of each worker of a gunicorn master, read while they still run."""
    return [{"pid": pid, "rss_mib": rss_mib(pid)} for pid in children(master.pid)]


def run_locust(locustfile: str, host: str, users: int, seconds: int, csv_prefix: Path,
               env: dict[str, str], log: Path) -> None:
    """locust headless in a process of its own: `users` users, all started at once, for
    `seconds`; stats to csv_prefix_stats.csv. Stopped with its group if it overruns."""
    proc = start([str(BIN / "locust"), "-f", str(ROOT / "bench" / locustfile), "--headless",
                  "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
                  "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "30",
                  "--loglevel", "WARNING"], env, log)
    try:
        proc.wait(seconds + 120)
    finally:
        stop(proc)


def read_stats(csv_prefix: Path) -> dict[str, dict[str, float]]:
    """Per request name: count, failures, median, p95, requests/s (locust's stats CSV)."""
    out = {}
    with Path(f"{csv_prefix}_stats.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            name = "all" if row["Name"] == "Aggregated" else row["Name"]
            out[name] = {"requests": int(row["Request Count"]),
                         "failures": int(row["Failure Count"]),
                         "median_ms": float(row["Median Response Time"]),
                         "p95_ms": float(row["95%"]) if row["95%"] != "N/A" else 0.0,
                         "rps": round(float(row["Requests/s"]), 2)}
    return out
