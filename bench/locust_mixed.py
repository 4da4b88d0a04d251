"""Locust users of the scale-out run (bench/scaleout.py starts locust with this file): a mixed
workload over two gunicorn servers that share one PostgreSQL database.

BENCH_PLAN (a JSON file that scaleout.py writes from the database) names the servers, the
reviewers with pending reviews, the builders with running pilots, the projects at the
decision step, and projects to browse. Each user takes the next server in turn (a tiny
round robin in place of a load balancer) and, where it plays a person, the next person, so
that no two users submit the same review. A write that finds nothing left to do (no pending
review left, a pilot or decision already moved on) is counted as skipped, not as a failure."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date

import gevent
from locust import HttpUser, between, constant_pacing, task

from bench.locust_common import csrf_token, sign_in, skip

with open(os.environ["BENCH_PLAN"]) as _f:
    PLAN = json.load(_f)
_hosts = itertools.cycle(PLAN["hosts"])
# the reviewers with the most pending reviews first: the run's few users have work to do
_reviewers = itertools.cycle(sorted(PLAN["reviewers"], key=lambda e: -len(PLAN["reviewers"][e])))
_builders = itertools.cycle(sorted(PLAN["builders"]))
_decisions = list(PLAN["decisions"])
RISK_ID = re.compile(r'name="(scores-\d+-risk_id)" type="hidden" value="(\d+)"')
SCORE = re.compile(r'name="(scores-\d+)-likelihood"')
CRITERIA = re.compile(r'name="criterion_id">(.*?)</select>', re.S)
OPTION = re.compile(r'<option[^>]*value="(\d+)"')
GO_VERSION = re.compile(r'class="trigger trigger-go">.*?name="version" value="(\d+)"', re.S)
DONE = (302, 303)
THINK = [float(x) for x in os.environ.get("BENCH_THINK", "0.5,2").split(",")]


class Person(HttpUser):
    """A signed-in person on the next server; BENCH_THINK seconds between actions (a person
    clicking through; 0,0 measures capacity instead)."""

    abstract = True
    wait_time = between(*THINK)

    def __init__(self, environment):
        self.host = next(_hosts)  # before HttpUser makes its client for self.host
        super().__init__(environment)

    def page(self, url: str, name: str, ok=(200,)):
        """GET `url`; a status outside `ok` is a failure; returns the response."""
        with self.client.get(url, name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code not in ok:
                response.failure(str(response.status_code))
        return response

    def send(self, url: str, name: str, data: dict, csrf_from: str):
        """POST a form with the page's CSRF token; 302/303 is success, 404/409 (the thing
        moved on meanwhile) is a skip, anything else a failure. True when it was done."""
        data = {**data, "csrf_token": csrf_token(csrf_from)}
        with self.client.post(url, name=name, data=data, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code in DONE:
                return True
            if response.status_code in (404, 409):
                response.success()
                skip(name)
            else:
                response.failure(f"{response.status_code}")
        return False


class Reviewer(Person):
    """Opens their dashboard, then reviews the next pending assignment (score 3 everywhere)."""

    weight = 4

    def on_start(self) -> None:
        self.pending: list[int] = []
        self._next_reviewer()

    def _next_reviewer(self) -> None:
        """Become the next reviewer with reviews left (the lists are shared by all users, so
        no two users submit the same review); stay the current one when none has any left."""
        for _ in range(len(PLAN["reviewers"])):
            email = next(_reviewers)
            if PLAN["reviewers"][email]:
                self.client.cookies.clear()
                sign_in(self.client, email)
                self.pending = PLAN["reviewers"][email]
                return

    @task
    def review(self) -> None:
        if not self.pending:
            self._next_reviewer()
        self.page("/", "reviewer: dashboard")
        if not self.pending:
            skip("reviewer: submit review")
            return
        project = self.pending.pop(0)
        url = f"/projects/{project}/review"
        form = self.page(url, "reviewer: review page", ok=(200, 404, 409))
        if form.status_code != 200:
            skip("reviewer: submit review")
            return
        data = {"stance": "neutral", "net_negative": "no", "confidence": "3",
                "expertise": "familiar", "no_conflict": "y",
                "suggested_safeguards": "Screen mentors"}
        data.update(dict(RISK_ID.findall(form.text)))
        for score in SCORE.findall(form.text):
            data[f"{score}-likelihood"] = data[f"{score}-severity"] = "3"
        self.send(url, "reviewer: submit review", data, form.text)


class Grantmaker(Person):
    """Browses: dashboard, queue, project pages, portfolio, the project list."""

    weight = 4

    def on_start(self) -> None:
        sign_in(self.client, PLAN["grantmaker"])

    @task(3)
    def dashboard(self) -> None:
        self.page("/", "grantmaker: dashboard")

    @task(2)
    def queue(self) -> None:
        self.page("/queue", "grantmaker: queue")

    @task(4)
    def project(self) -> None:
        self.page(f"/projects/{random.choice(PLAN['browse'])}", "grantmaker: project page")

    @task(1)
    def portfolio(self) -> None:
        self.page("/portfolio", "grantmaker: portfolio")

    @task(2)
    def projects(self) -> None:
        self.page("/projects", "grantmaker: project list")


class Builder(Person):
    """Records an observation for a criterion of one of their running pilots."""

    weight = 3

    def on_start(self) -> None:
        self.email = next(_builders)
        sign_in(self.client, self.email)

    @task
    def observe(self) -> None:
        project = random.choice(PLAN["builders"][self.email])
        url = f"/projects/{project}/pilot/observations"
        form = self.page(url, "builder: observation form", ok=(200, 403, 404, 409))
        found = CRITERIA.search(form.text) if form.status_code == 200 else None
        criteria = OPTION.findall(found.group(1)) if found else []
        if not criteria:
            skip("builder: record observation")
            return
        self.send(url, "builder: record observation",
                  {"criterion_id": random.choice(criteria), "value": str(random.randint(1, 20)),
                   "observed_on": date.today().isoformat(), "note": "Load test"}, form.text)


class Decider(Person):
    """One go decision a minute (the memo is rendered and stored in the request)."""

    fixed_count = 1
    wait_time = constant_pacing(60)

    def on_start(self) -> None:
        sign_in(self.client, PLAN["grantmaker"])
        gevent.sleep(float(os.environ.get("BENCH_WARMUP", "0")))  # decide inside the window

    @task
    def decide(self) -> None:
        while _decisions:
            project = _decisions.pop(0)
            page = self.page(f"/projects/{project}", "decider: project page")
            version = GO_VERSION.search(page.text) if page.status_code == 200 else None
            if version is None:
                skip("decider: go decision")
                continue
            self.send(f"/projects/{project}/transitions", "decider: go decision",
                      {"trigger": "go", "version": version.group(1),
                       "comment": "Go: the load test decided."}, page.text)
            return
        skip("decider: go decision")
