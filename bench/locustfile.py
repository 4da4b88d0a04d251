"""Locust users of the served benchmark (bench/serve.py starts locust with this file).

Each user signs in the grantmaker and the reviewer of the plan (BENCH_PLAN: a JSON file that
serve.py writes with the pages, who opens each, and API tokens), then walks the pages in
order, each followed by the floor page, over and over: as in bench/pages.py, page and floor
requests alternate, so whatever else runs on the machine slows both alike."""

from __future__ import annotations

import json
import os

from locust import HttpUser, constant, task
from locust.clients import HttpSession

from bench.locust_common import sign_in

with open(os.environ["BENCH_PLAN"]) as _f:
    PLAN = json.load(_f)
FLOOR = "floor page"


class PageWalker(HttpUser):
    """Requests back to back (no think time): the load is the number of users."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.as_ = {}
        for k, email in enumerate(sorted({who for _, who, _ in PLAN["pages"]})):
            client = self.client if k == 0 else HttpSession(
                self.host, self.environment.events.request, self)
            sign_in(client, email)
            self.as_[email] = client

    def _get(self, name: str, who: str, url: str) -> None:
        headers = ({"Authorization": f"Bearer {PLAN['tokens'][who]}"}
                   if url.startswith("/api/") else {})
        with self.as_[who].get(url, name=name, headers=headers, allow_redirects=False,
                               catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task
    def walk(self) -> None:
        floor = next(p for p in PLAN["pages"] if p[0] == FLOOR)
        for name, who, url in PLAN["pages"]:
            if name != FLOOR:
                self._get(name, who, url)
                self._get(*floor)
