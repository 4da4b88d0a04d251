"""The issue's done criterion: the 11th failed sign-in within 15 minutes is refused (429 with
Retry-After) by another gunicorn worker too. Two gunicorn servers, each its own process, on a
fresh PostgreSQL database of their own, in production mode; ten failures on one, the eleventh
attempt on the other, with the right password, through the API and the sign-in page."""

from __future__ import annotations

import http.cookiejar
import json
import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from reviewtool.db import make_engine
from reviewtool.migrate import upgrade
from reviewtool.services.accounts import create_user

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
SECRET = "gunicorn-test-secret-0123456789abcdefXYZ"
EMAIL, PASSWORD = "worker-test@example.org", "a-long-enough-secret"
START_SECONDS = 30
WINDOW = 15 * 60
TOKEN_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """An empty PostgreSQL database for this test, dropped afterwards."""
    if not PG_URL:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"rt_workers_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def locked(retry_after: int) -> str:
    """What a locked account is told, for a Retry-After of `retry_after` seconds."""
    return (f"Too many failed sign-ins for this account; try again in "
            f"{math.ceil(retry_after / 60)} minutes.")


def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine)
        with Session(engine) as session:
            create_user(session, email=EMAIL, password=PASSWORD, roles=["proposer"])
            session.commit()
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(url: str, port: int, tmp_path) -> subprocess.Popen:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SESSION_")},
           "DATABASE_URL": url, "SECRET_KEY": SECRET, "REVIEWTOOL_ENV": "production",
           "BASE_URL": f"http://127.0.0.1:{port}"}
    log = open(tmp_path / f"gunicorn-{port}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
                             f"127.0.0.1:{port}", "reviewtool:create_app()"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_until_up(port: int, process: subprocess.Popen, log_path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn on {port} exited: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json",
                                        timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn on {port} did not answer within {START_SECONDS} s")


def _post_token(port: int, password: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/tokens", method="POST",
        data=json.dumps({"email": EMAIL, "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), json.load(refused)


def _sign_in_page(port: int, password: str) -> tuple[int, dict, str]:
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(f"http://127.0.0.1:{port}/login", timeout=10) as response:
        token = TOKEN_RE.search(response.read().decode()).group(1)
    form = urllib.parse.urlencode({"email": EMAIL, "password": password,
                                   "csrf_token": token}).encode()
    try:
        with browser.open(f"http://127.0.0.1:{port}/login", data=form, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read().decode()


@pytest.mark.slow
def test_eleventh_failed_sign_in_is_429_on_a_second_gunicorn_worker(fresh_postgres, tmp_path):
    _seed(fresh_postgres)
    ports = [_free_port(), _free_port()]
    servers = [_gunicorn(fresh_postgres, port, tmp_path) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_until_up(port, server, tmp_path / f"gunicorn-{port}.log")
        first, second = ports
        assert [_post_token(first, "wrong-password")[0] for _ in range(10)] == [401] * 10
        status, headers, body = _post_token(second, PASSWORD)
        wait = int(headers["Retry-After"])
        assert (status, body) == (429, {"errors": [{"message": locked(wait)}]})
        assert WINDOW - 120 <= wait <= WINDOW  # the first failure, seconds ago, ages out then
        status, headers, html = _sign_in_page(second, PASSWORD)
        assert status == 429
        assert locked(int(headers["Retry-After"])) in html
        assert _post_token(first, PASSWORD)[0] == 429
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()  # only the processes this test started
                server.wait()
