"""What both locust files share: signing in through the page form (GET /login for the CSRF
token, POST), and the exact time of every request, written as JSON when locust quits.

Locust's stats CSV rounds response times (to whole ms, to 10 ms above 100 ms), too coarse for
a 5 ms floor page, so the served benchmarks compute medians and p95s from these instead and
take only failures from the CSV. Write actions that find nothing left
to do are counted by `skip`, written beside the times."""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict

from locust import events

PASSWORD = "demo-password"  # reviewtool/demo/data.py DEMO_PASSWORD
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_times: dict[str, list[float]] = defaultdict(list)
_skipped: dict[str, int] = defaultdict(int)
# Seconds after the start when recording begins (BENCH_WARMUP): every user signs in at the
# start, and Argon2 hashing on a 2-core machine would otherwise own the p95s.
_window = {"from": 0.0, "to": 0.0}


def csrf_token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF.search(html)
    if found is None:
        raise ValueError("no csrf_token on the page")
    return found.group(1)


def sign_in(client, email: str) -> None:
    """Sign `email` in on `client` (a locust HttpSession) as a browser does."""
    page = client.get("/login", name="sign-in form")
    response = client.post("/login", name="sign-in", allow_redirects=False,
                           data={"email": email, "password": PASSWORD,
                                 "csrf_token": csrf_token(page.text)})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {email} answered {response.status_code}")


def skip(action: str) -> None:
    """A write action found nothing left to do (no pending review, the project moved on):
    counted apart, neither a request nor a failure."""
    if _recording():
        _skipped[action] += 1


def _recording() -> bool:
    return bool(_window["from"]) and time.monotonic() >= _window["from"]


@events.test_start.add_listener
def _start(environment, **_kw):
    _window["from"] = time.monotonic() + float(os.environ.get("BENCH_WARMUP", "0"))


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    if exception is None and _recording():
        _times[name].append(response_time)
        _window["to"] = time.monotonic()


@events.quitting.add_listener
def _dump(environment, **_kw):
    path = os.environ.get("BENCH_TIMES")
    if path:
        with open(path, "w") as f:
            json.dump({"times": _times, "skipped": _skipped,
                       "seconds": max(0.0, _window["to"] - _window["from"])}, f)
