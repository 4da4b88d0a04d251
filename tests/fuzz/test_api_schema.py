"""Schemathesis against /api/v1/openapi.json, as every identity of the demo data set (and
nobody): no answer is a server error, and every answer matches the schema the document gives
for its status. Valid and invalid requests both; bounded to about a minute."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from reviewtool import create_app
from reviewtool.demo import load_demo
from reviewtool.demo.data import USERS
from reviewtool.migrate import upgrade
from reviewtool.models import Project
from reviewtool.services.accounts import find_user, issue_token

SECRET = "fuzz-test-secret-0123456789abcdef0123"
# Examples per operation and generation mode; each example is sent as every identity.
EXAMPLES = 4
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """The app on a committed SQLite file holding the demo, with one token per demo user."""
    tmp = tmp_path_factory.mktemp("fuzz")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/fuzz.sqlite3", "SECRET_KEY": SECRET,
                      "REVIEWTOOL_ENV": "testing", "INSTANCE_PATH": str(tmp)})
    database = app.extensions["reviewtool.db"]
    upgrade(database.engine)
    with database.sessionmaker() as session:
        load_demo(session, app.extensions["reviewtool.workflow"])
        tokens = {email: issue_token(session, find_user(session, email))
                  for email, *_ in USERS}
        ids = sorted(session.scalars(select(Project.id)))
        session.commit()
    yield app, tokens, ids
    database.engine.dispose()


def fuzz_operation(operation, mode: GenerationMode, identities, ids) -> tuple[int, list[str]]:
    """Send EXAMPLES generated requests of `operation` as every identity; return how many
    were sent and the first failure found (as a sentence), if any."""
    sent, failures = 0, []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case):
        nonlocal sent
        if mode is GenerationMode.POSITIVE and isinstance(case.path_parameters, dict) \
                and "project_id" in case.path_parameters:
            # A real project most of the time, so the checks reach past the 404.
            case.path_parameters["project_id"] = ids[
                abs(hash(repr(case.path_parameters))) % len(ids)]
        for who, headers in identities:
            sent += 1
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except FailureGroup as found:  # collected: one report names every operation's
                failures.append(f"{operation.label} ({mode.value}) as {who}: "
                                f"{found.exceptions[0]}")
                return

    fuzz()
    return sent, failures


def test_api_answers_match_the_schema_for_every_identity(demo_app):
    app, tokens, ids = demo_app
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    identities = [("anonymous", {}), *((email, {"Authorization": f"Bearer {token}"})
                                       for email, token in tokens.items())]
    failures: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            count, found = fuzz_operation(result.ok(), mode, identities, ids)
            sent += count
            failures += found
    assert not failures, "\n\n".join(failures)
    print(f"\nschemathesis: {sent} requests over {len(ids)} projects, 0 failures")
    assert sent >= 1000  # the fuzz reached every operation as every identity
