"""What both locust files share: signing in through the page form (GET /login for the CSRF
token, POST), and the exact time of every request, written as JSON when locust quits.

Locust's stats CSV rounds response times (to whole ms, to 10 ms above 100 ms), too coarse for
a 5 ms floor page, so the served benchmarks compute medians and p95s from these instead and
take only counts, failures and requests/s from the CSV."""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict

from locust import events

PASSWORD = "demo-password"  # reviewtool/demo/data.py DEMO_PASSWORD
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_times: dict[str, list[float]] = defaultdict(list)


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


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    if exception is None:
        _times[name].append(response_time)


@events.quitting.add_listener
def _dump(environment, **_kw):
    path = os.environ.get("BENCH_TIMES")
    if path:
        with open(path, "w") as f:
            json.dump(_times, f)
