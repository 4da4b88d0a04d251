"""The access matrix: every route of the URL map x method x identity x project state.

The expected outcome of each route is one line of ROUTES below, naming who may use it; the
people of each kind and what they see are spelled out in VISIBLE and MAY, independently of
the code under test. A route added to the app without a line here fails the first test; a
permission rule made permissive fails the last one. Every request runs inside a savepoint
that is rolled back, so the writes of one probe never change the next one's data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from reviewtool import permissions
from reviewtool.models import ApiToken, OutboxMessage
from reviewtool.services.accounts import issue_token
from tests.access_data import IDENTITIES, STATES, AccessData, build_access_data
from tests.db_sessions import rolled_back_session
from tests.factories import PASSWORD

SUBMITTED = set(STATES) - {"draft"}
WITH_ROUNDS = {"review", "revision", "pilot", "decision", "go", "no_go"}
WITH_PILOT = {"pilot", "decision", "go"}
WITH_MEMO = {"decision", "go", "no_go"}  # a draft while deciding, the stored one after
EDITABLE = {"draft", "risk_model", "revision"}
# What each kind of person may see (CONTRACT.md, "Who sees what").
VISIBLE = {
    "anonymous": set(), "owner": set(STATES), "proposer": set(),
    "reviewer": WITH_ROUNDS, "reviewer_unassigned": set(), "reviewer_withdrawn": set(),
    "grantmaker": SUBMITTED, "grantmaker_conflicted": SUBMITTED, "admin": SUBMITTED,
    "builder": WITH_PILOT, "builder_other": set(),
    "panellist": set(), "panellist_uninvited": set(),
}
# Who passes each rule among those who see the project. The owner is also a grantmaker:
# owning it rules out every grantmaker action on it.
MAY = {
    "edit": {"owner"},
    "steward": {"grantmaker"},
    "plan_pilot": {"grantmaker"},
    "record_pilot": {"builder"},
    "review": {"reviewer"},
    "forecast": {"reviewer", "grantmaker"},  # invited when the pilot started, no conflict
    "record_outcome": {"grantmaker", "admin"},
    "read_memo": {"owner", "grantmaker", "admin"},
    "withdraw": {"owner"},
    "named": {"grantmaker", "admin"},
    "no_reviews": {"grantmaker_conflicted"},
}
THROUGH = {"ok", "409"}  # past every permission check (a state may still refuse: 409)
ALL_BUT_ANONYMOUS = set(IDENTITIES) - {"anonymous"}


def _global(may: set[str] | None, refused: set[str] | None = None
            ) -> Callable[[str, str, str], set[str]]:
    """A route that names no project: `may` use it (None: everyone signed in); the others
    are `refused` (403 unless said otherwise)."""
    def expect(face: str, who: str, state: str) -> set[str]:
        if who == "anonymous":
            return {"login" if face == "page" else "401"}
        return THROUGH if may is None or who in may else (refused or {"403"})
    return expect


def _public(face: str, who: str, state: str) -> set[str]:
    return THROUGH


def _project(allowed: Callable[[str, str], set[str]]) -> Callable[[str, str, str], set[str]]:
    """A project route: the anonymous sign in, who cannot see it get 404, the rest `allowed`."""
    def expect(face: str, who: str, state: str) -> set[str]:
        if who == "anonymous":
            return {"login" if face == "page" else "401"}
        if state not in VISIBLE[who]:
            return {"404"}
        return allowed(who, state)
    return expect


def _rule(name: str) -> Callable[[str, str, str], set[str]]:
    return _project(lambda who, state: THROUGH if who in MAY[name] else {"403"})


SEE = _project(lambda who, state: THROUGH)
REVIEWS = _project(lambda who, state: {"403"} if who in MAY["no_reviews"] else THROUGH)
NAMED = _project(lambda who, state: {"403"} if who in MAY["no_reviews"] else
                 {"named"} if who in MAY["named"] and state in WITH_ROUNDS else THROUGH)
PILOT = _project(lambda who, state: THROUGH if state in WITH_PILOT else {"404"})
MEMO = _project(lambda who, state: {"403"} if who not in MAY["read_memo"] else
                THROUGH if state in WITH_MEMO else {"404"})
# The proposer cannot declare a conflict with their own project (409); whoever already did
# is told so (409); the others get past the rule to the form's own checks.
DECLARE = _project(lambda who, state: {"409"} if who in ("owner", "grantmaker_conflicted")
                   else THROUGH)
ALERT = _project(lambda who, state: {"403"} if who not in MAY["steward"] else
                 THROUGH if state == "pilot" else {"404"})

# Forecasts: for whoever sees the reviews, once a pilot started; a forecast by those invited.
FORECASTS = _project(lambda who, state: {"403"} if who in MAY["no_reviews"] else
                     THROUGH if state in WITH_PILOT else {"404"})
FORECAST_PAGE = _project(lambda who, state: {"403"} if who in MAY["no_reviews"] else
                         {"404"} if state not in WITH_PILOT else
                         THROUGH if who in MAY["forecast"] else {"403"})
FORECAST_API = _project(lambda who, state: THROUGH if who in MAY["forecast"] and
                        state in WITH_PILOT else {"403"})
CALIBRATION = {"owner", "reviewer", "reviewer_unassigned", "reviewer_withdrawn", "grantmaker",
               "grantmaker_conflicted", "admin"}


def _calibration(face: str, who: str, state: str) -> set[str]:
    """The calibration figures: the matrix's reviewer has scored forecasts, so their name is in
    what oversight roles see; other reviewers see their own figures only (the reviewer sees
    their own name in the page's header)."""
    if who == "anonymous":
        return {"login" if face == "page" else "401"}
    if who not in CALIBRATION:
        return {"403"}
    if who in OVERSIGHT:
        return {"named"}
    return {"ok", "named"} if who == "reviewer" else {"ok"}


def _forecasts_csv(face: str, who: str, state: str) -> set[str]:
    """The CSV of forecasts: like the figures, but a project one declared a conflict with is
    left out, so the conflicted grantmaker (conflicted with every project) sees no name."""
    return {"ok"} if who == "grantmaker_conflicted" else _calibration(face, who, state)

# The owner's API token: theirs to revoke, a 404 for anyone else. A reset link nobody was sent
# is a 404 for everyone.
OWN_TOKEN = _global({"owner"}, refused={"404"})
UNKNOWN_LINK = lambda face, who, state: {"404"}  # noqa: E731

# Grantmakers and admins (the owner is a grantmaker too): the portfolio and the exports.
OVERSIGHT = {"owner", "grantmaker", "grantmaker_conflicted", "admin"}
# Consultations: grantmakers and admins run them; panellists answer the waves they were invited
# to (another's wave is a 404, as another user's project is) and keep their panel details.
PANELLISTS = {"panellist", "panellist_uninvited"}


def _answer(face: str, who: str, state: str) -> set[str]:
    if who == "anonymous":
        return {"login" if face == "page" else "401"}
    if who not in PANELLISTS:
        return {"403"}
    return THROUGH if who == "panellist" else {"404"}


RUN = (_global(OVERSIGHT), ("run_consultations",))
PANEL = (_global(PANELLISTS), ("panel_member",))
ANSWER = (_answer, ("answer_consultations",))
K = "/consultations/<int:consultation_id>"
P = "/projects/<int:project_id>"
A = "/api/v1/projects/<int:project_id>"
ROUTES: dict[tuple[str, str], tuple[Callable, tuple[str, ...]]] = {
    # (method, rule): (expected outcome, the permission rules it rests on)
    ("GET", "/"): (_global(None), ()),
    ("GET", "/projects"): (_global(None), ()),
    # One's own work lists in full: no rule, someone without the role has an empty list.
    ("GET", "/dashboard/assignments"): (_global(None), ()),
    ("GET", "/dashboard/pilots"): (_global(None), ()),
    ("GET", "/projects/new"): (_global({"owner", "proposer"}), ("create_project",)),
    ("POST", "/projects/new"): (_global({"owner", "proposer"}), ("create_project",)),
    ("GET", "/audit"): (_global({"owner", "grantmaker", "grantmaker_conflicted", "admin"}),
                        ("read_audit",)),
    ("GET", "/queue"): (_global({"owner", "grantmaker", "grantmaker_conflicted"}),
                        ("read_queue",)),
    ("GET", "/portfolio"): (_global(OVERSIGHT), ("read_portfolio",)),
    ("GET", "/portfolio/<table>.csv"): (_global(OVERSIGHT), ("read_portfolio",)),
    ("GET", "/exports/<table>.csv"): (_global(OVERSIGHT), ("export_tables",)),
    ("GET", "/exports/<table>.json"): (_global(OVERSIGHT), ("export_tables",)),
    ("GET", "/consultations"): RUN,
    ("GET", "/consultations/new"): RUN,
    ("POST", "/consultations/new"): RUN,
    ("GET", K): RUN,
    ("GET", f"{K}/results.csv"): RUN,
    ("GET", f"{K}/waves/new"): RUN,
    ("POST", f"{K}/waves/new"): RUN,
    ("POST", f"{K}/waves/<int:number>/close"): RUN,
    ("POST", f"{K}/waves/<int:number>/reminders"): RUN,
    ("GET", f"{K}/waves/<int:number>/answer"): ANSWER,
    ("POST", f"{K}/waves/<int:number>/answer"): ANSWER,
    ("GET", "/panel"): PANEL,
    ("POST", "/panel"): PANEL,
    ("GET", "/api/v1/consultations"): RUN,
    ("POST", "/api/v1/consultations"): RUN,
    ("GET", f"/api/v1{K}"): RUN,
    ("GET", f"/api/v1{K}/results.csv"): RUN,
    ("POST", f"/api/v1{K}/waves"): RUN,
    ("POST", f"/api/v1{K}/waves/<int:number>/close"): RUN,
    ("POST", f"/api/v1{K}/waves/<int:number>/reminders"): RUN,
    ("GET", f"/api/v1{K}/waves/<int:number>/answers"): ANSWER,
    ("POST", f"/api/v1{K}/waves/<int:number>/answers"): ANSWER,
    ("GET", "/api/v1/panel"): PANEL,
    ("PUT", "/api/v1/panel"): PANEL,
    ("GET", "/login"): (_public, ()),
    ("POST", "/login"): (_public, ()),
    ("POST", "/logout"): (_global(None), ()),
    ("GET", P): (SEE, ()),
    ("GET", f"{P}/edit"): (_rule("edit"), ("edit",)),
    ("POST", f"{P}/edit"): (_rule("edit"), ("edit",)),
    ("GET", f"{P}/risks/edit"): (_rule("edit"), ("edit",)),
    ("POST", f"{P}/risks/edit"): (_rule("edit"), ("edit",)),
    ("GET", f"{P}/safeguards"): (_rule("edit"), ("edit",)),
    ("POST", f"{P}/safeguards"): (_rule("edit"), ("edit",)),
    ("POST", f"{P}/transitions"): (_rule("withdraw"), ("fire",)),
    ("GET", f"{P}/reviewers"): (_rule("steward"), ("steward",)),
    ("POST", f"{P}/reviewers"): (_rule("steward"), ("steward",)),
    ("GET", f"{P}/review"): (_rule("review"), ("review",)),
    ("POST", f"{P}/review"): (_rule("review"), ("review",)),
    ("POST", f"{P}/conflicts"): (DECLARE, ("declare_conflict",)),
    ("GET", f"{P}/revisions"): (SEE, ()),
    ("GET", f"{P}/revisions/<int:number>"): (SEE, ()),
    ("GET", f"{P}/diff"): (SEE, ()),
    ("GET", f"{P}/pilot"): (PILOT, ()),
    ("GET", f"{P}/pilot/plan"): (_rule("plan_pilot"), ("plan_pilot",)),
    ("POST", f"{P}/pilot/plan"): (_rule("plan_pilot"), ("plan_pilot",)),
    ("GET", f"{P}/pilot/observations"): (_rule("record_pilot"), ("record_pilot",)),
    ("POST", f"{P}/pilot/observations"): (_rule("record_pilot"), ("record_pilot",)),
    ("GET", f"{P}/pilot/incidents"): (_rule("record_pilot"), ("record_pilot",)),
    ("POST", f"{P}/pilot/incidents"): (_rule("record_pilot"), ("record_pilot",)),
    ("POST", f"{P}/alerts/<int:alert_id>/resolve"): (ALERT, ("steward",)),
    ("GET", f"{P}/memo.pdf"): (MEMO, ("read_memo",)),
    ("GET", f"{P}/memo.html"): (MEMO, ("read_memo",)),
    ("GET", f"{P}/forecasts"): (FORECASTS, ("see_reviews",)),
    ("POST", f"{P}/forecasts"): (FORECAST_PAGE, ("see_reviews", "forecast")),
    ("GET", f"{A}/forecasts"): (FORECASTS, ("see_reviews",)),
    ("POST", f"{A}/forecasts"): (FORECAST_API, ("forecast",)),
    ("POST", f"{P}/decision/outcome"): (_rule("record_outcome"), ("record_outcome",)),
    ("POST", f"{A}/decision/outcome"): (_rule("record_outcome"), ("record_outcome",)),
    ("GET", "/calibration"): (_calibration, ("read_calibration", "read_panel_calibration")),
    ("GET", "/calibration/forecasts.csv"): (_forecasts_csv, ("read_calibration",
                                                           "read_panel_calibration")),
    ("GET", "/api/v1/calibration"): (_calibration, ("read_calibration",
                                                    "read_panel_calibration")),
    # Accounts: one's own (a token of someone else's is a 404), the admins' pages, resets.
    ("GET", "/account"): (_global(None), ()),
    ("GET", "/account/password"): (_global(None), ()),
    ("POST", "/account/password"): (_global(None), ()),
    ("GET", "/account/tokens"): (_global(None), ()),
    ("POST", "/account/tokens"): (_global(None), ()),
    ("POST", "/account/tokens/<int:token_id>/revoke"): (OWN_TOKEN, ()),
    ("GET", "/admin/users"): (_global({"admin"}), ("manage_users",)),
    ("GET", "/admin/users/<int:user_id>"): (_global({"admin"}), ("manage_users",)),
    ("POST", "/admin/users/<int:user_id>/roles"): (_global({"admin"}), ("manage_users",)),
    ("POST", "/admin/users/<int:user_id>/disable"): (_global({"admin"}), ("manage_users",)),
    ("POST", "/admin/users/<int:user_id>/enable"): (_global({"admin"}), ("manage_users",)),
    ("GET", "/admin/users/invite"): (_global({"admin"}), ("manage_users",)),
    ("POST", "/admin/users/invite"): (_global({"admin"}), ("manage_users",)),
    # Running the programme: the workflow drawn, catalogues, the outbox; one's mail choices.
    ("GET", "/admin/workflow"): (_global(OVERSIGHT), ("read_workflow",)),
    ("GET", "/admin/catalogues"): (_global({"admin"}), ("edit_catalogues",)),
    ("POST", "/admin/catalogues"): (_global({"admin"}), ("edit_catalogues",)),
    ("GET", "/admin/outbox"): (_global({"admin"}), ("manage_outbox",)),
    ("POST", "/admin/outbox/<int:message_id>/retry"): (_global({"admin"}), ("manage_outbox",)),
    ("GET", "/account/notifications"): (_global(None), ()),
    ("POST", "/account/notifications"): (_global(None), ()),
    ("GET", "/password/forgot"): (_public, ()),
    ("POST", "/password/forgot"): (_public, ()),
    ("GET", "/password/reset/<token>"): (UNKNOWN_LINK, ()),
    ("POST", "/password/reset/<token>"): (UNKNOWN_LINK, ()),
    ("GET", "/api/v1/tokens"): (_global(None), ()),
    ("DELETE", "/api/v1/tokens/<int:token_id>"): (OWN_TOKEN, ()),
    ("POST", "/api/v1/me/password"): (_global(None), ()),
    ("PATCH", "/api/v1/users/<int:user_id>"): (_global({"admin"}), ("manage_users",)),
    ("GET", "/api/v1/openapi.json"): (_public, ()),
    ("POST", "/api/v1/tokens"): (_public, ()),
    ("GET", "/api/v1/me"): (_global(None), ()),
    ("GET", "/api/v1/catalogues"): (_global(None), ()),
    ("POST", "/api/v1/catalogues/<name>"): (_global({"admin"}), ("edit_catalogues",)),
    ("GET", "/api/v1/users"): (_global({"owner", "grantmaker", "grantmaker_conflicted",
                                        "admin"}), ("list_users",)),
    ("GET", "/api/v1/audit"): (_global({"owner", "grantmaker", "grantmaker_conflicted",
                                        "admin"}), ("read_audit",)),
    ("GET", "/api/v1/portfolio"): (_global(OVERSIGHT), ("read_portfolio",)),
    ("GET", "/api/v1/exports/<table>.csv"): (_global(OVERSIGHT), ("export_tables",)),
    ("GET", "/api/v1/exports/<table>.json"): (_global(OVERSIGHT), ("export_tables",)),
    ("GET", "/api/v1/projects"): (_global(None), ()),
    ("POST", "/api/v1/projects"): (_global({"owner", "proposer"}), ("create_project",)),
    ("GET", A): (SEE, ()),
    ("PATCH", A): (_rule("edit"), ("edit",)),
    ("POST", f"{A}/transitions"): (_rule("withdraw"), ("fire",)),
    ("GET", f"{A}/history"): (SEE, ()),
    ("GET", f"{A}/risks"): (SEE, ()),
    ("PUT", f"{A}/risks"): (_rule("edit"), ("edit",)),
    ("GET", f"{A}/reviewers"): (_rule("steward"), ("steward",)),
    ("POST", f"{A}/reviewers"): (_rule("steward"), ("steward",)),
    ("DELETE", f"{A}/reviewers/<int:user_id>"): (_rule("steward"), ("steward",)),
    ("POST", f"{A}/reviews"): (_rule("review"), ("review",)),
    ("GET", f"{A}/rounds"): (NAMED, ("see_reviews", "see_reviewers")),
    ("GET", f"{A}/trajectory"): (NAMED, ("see_reviews", "see_reviewers")),
    ("POST", f"{A}/conflicts"): (DECLARE, ("declare_conflict",)),
    ("GET", f"{A}/revisions"): (SEE, ()),
    ("POST", f"{A}/revisions"): (_rule("edit"), ("edit",)),
    ("GET", f"{A}/revisions/<int:number>"): (SEE, ()),
    ("GET", f"{A}/diff"): (SEE, ()),
    ("GET", f"{A}/pilot"): (PILOT, ()),
    ("PUT", f"{A}/pilot"): (_rule("plan_pilot"), ("plan_pilot",)),
    ("GET", f"{A}/pilot/evaluation"): (PILOT, ()),
    ("POST", f"{A}/pilot/observations"): (_rule("record_pilot"), ("record_pilot",)),
    ("POST", f"{A}/pilot/incidents"): (_rule("record_pilot"), ("record_pilot",)),
    ("POST", f"{A}/alerts/<int:alert_id>/resolve"): (ALERT, ("steward",)),
    ("GET", f"{A}/memo.pdf"): (MEMO, ("read_memo",)),
    ("GET", f"{A}/memo.html"): (MEMO, ("read_memo",)),
}
# What a write sends: an empty form or object (the rules answer before the input is read),
# except a transition, which must name one to be checked: "withdraw", the owner's.
BODIES = {f"{P}/transitions": {"trigger": "withdraw"},
          f"{A}/transitions": {"trigger": "withdraw"}}


def routes_of(app) -> set[tuple[str, str]]:
    """Every (method, rule) of the URL map but the static files."""
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def outcome(response, face: str, named: str | None) -> str:
    """The class of an answer: login, 401, 403, 404, 409, 5xx, named (the reviewer's name is
    in it, where `named` is asked about) or ok."""
    status = response.status_code
    if face == "page" and status == 302 and "/login?next=" in response.headers["Location"]:
        return "login"
    if status >= 500:
        return "5xx"
    if status in (401, 403, 404, 409):
        return str(status)
    if named and named.encode() in response.get_data():
        return "named"
    return "ok"


class Prober:
    """Sends one request of the matrix as one identity, in a savepoint rolled back after."""

    def __init__(self, app, session, tokens: dict[str, dict[str, str]], data: AccessData):
        self.app, self.session, self.data, self.tokens = app, session, data, tokens
        self.cookies = {}
        for who, user in data.users.items():
            client = app.test_client()
            client.post("/login", data={"email": user.email, "password": PASSWORD})
            self.cookies[who] = client.get_cookie("session").value

    def url(self, rule: str, state: str) -> str:
        project = self.data.projects[state]
        return (rule.replace("<int:project_id>", str(project.id))
                .replace("<int:alert_id>", str(self.data.alert_id))
                .replace("<int:consultation_id>", str(self.data.consultation_id))
                .replace("<int:number>", "1")
                .replace("<int:user_id>", str(self.data.users["reviewer"].id))
                .replace("<name>", "project_types")
                .replace("<int:token_id>", str(self.data.owner_token_id))
                .replace("<int:message_id>", str(self.data.outbox_id))
                .replace("<token>", "no-such-link")
                .replace("<table>", "by_project_type" if rule.startswith("/portfolio/")
                         else "reviews"))

    def send(self, method: str, rule: str, who: str, state: str) -> str:
        face = "api" if rule.startswith("/api/") else "page"
        client = self.app.test_client()
        headers = {}
        if who != "anonymous":
            if face == "api":
                headers = self.tokens[who]
            else:
                client.set_cookie("session", self.cookies[who])
        url, body = self.url(rule, state), BODIES.get(rule, {})
        # On the connection itself: a session's nested transaction would emit its SAVEPOINT
        # only when that session next used the connection, which it does not here.
        savepoint = self.session.connection().begin_nested()
        try:
            if face == "api":
                response = client.open(url, method=method, headers=headers,
                                       json=body if method != "GET" else None)
            else:
                response = client.open(url, method=method, data=body)
            names = {"see_reviewers", "read_panel_calibration"} & set(ROUTES[(method, rule)][1])
            found = outcome(response, face, self.data.users["reviewer"].name if names else None)
            response.close()  # a streamed export ends its own reading session here
            return found
        finally:
            savepoint.rollback()


def mismatches(prober: Prober, routes, *, first_only: bool = False) -> list[str]:
    """Every (route, identity, state) whose outcome is not the expected one (or the first)."""
    found = []
    for (method, rule) in sorted(routes):
        expect = ROUTES[(method, rule)][0]
        states = STATES if "<int:project_id>" in rule else ("draft",)
        for who in IDENTITIES:
            for state in states:
                face = "api" if rule.startswith("/api/") else "page"
                wanted = expect(face, who, state)
                got = prober.send(method, rule, who, state)
                if got not in wanted:
                    found.append(f"{method} {rule} as {who} on {state}: {got}, expected "
                                 f"{'/'.join(sorted(wanted))}")
                    if first_only:
                        return found
    return found


@pytest.fixture(scope="module")
def prober(app, db_kind) -> Iterator[Prober]:
    """The matrix's data, made once for the module inside a transaction rolled back after it
    (as tests/conftest.py's `session` does for one test)."""
    if db_kind != "sqlite":
        pytest.skip("the rules do not depend on the database; SQLite keeps the matrix fast")
    with rolled_back_session(app) as session:
        data = build_access_data(app.extensions["reviewtool.workflow"])
        tokens = {who: {"Authorization": f"Bearer {issue_token(session, user)}"}
                  for who, user in data.users.items()}
        session.flush()
        data.owner_token_id = session.scalars(select(ApiToken.id).where(
            ApiToken.user_id == data.users["owner"].id)).first()
        data.outbox_id = session.scalars(select(OutboxMessage.id)).first()  # a reviewer's
        yield Prober(app, session, tokens, data)


def test_access_matrix_has_a_line_for_every_route(app):
    assert sorted(routes_of(app) - set(ROUTES)) == []
    assert sorted(set(ROUTES) - routes_of(app)) == []


def test_access_matrix_every_route_identity_and_state(prober):
    assert mismatches(prober, ROUTES) == []
    probes = sum(len(IDENTITIES) * (len(STATES) if "<int:project_id>" in rule else 1)
                 for _, rule in ROUTES)
    print(f"\naccess matrix: {len(ROUTES)} routes x {len(IDENTITIES)} identities, {probes} "
          "requests, 0 mismatches")


@pytest.mark.parametrize("rule", sorted(permissions.RULES))
def test_access_matrix_fails_when_a_rule_is_made_permissive(rule, prober, monkeypatch):
    guarded = [key for key, (_, rules) in ROUTES.items() if rule in rules]
    assert guarded, f"no route of the matrix rests on the rule {rule!r}"
    monkeypatch.setitem(permissions.RULES, rule,
                        replace(permissions.RULES[rule], check=lambda *a, **k: True))
    assert mismatches(prober, guarded, first_only=True) != []
