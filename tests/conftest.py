"""Fixtures: a real database (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), each
test inside a transaction that is rolled back, the app, API and browser-less web clients."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from reviewtool import create_app
from reviewtool.db import Base, make_engine
from reviewtool.migrate import upgrade
from reviewtool.services.accounts import issue_token
from tests import factories
from tests.db_sessions import rolled_back_session

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
DATABASES = ["sqlite", *(["postgresql"] if PG_URL else [])]
SECRET = "test-secret-key-0123456789abcdef"


# The longest files, started first: `make test` hands whole files to two workers in
# collection order, so a long file collected last leaves one worker idle while it runs.
LONG_FILES = ("tests/web/test_access_matrix.py", "tests/web/test_query_counts.py",
              "tests/fuzz/test_api_schema.py", "tests/web/test_every_page.py",
              "tests/browser/test_accessibility.py", "tests/browser/test_full_journey.py",
              "tests/integration/test_mail_end_to_end.py",
              "tests/integration/test_database_restart.py",
              "tests/integration/test_demo_scale.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run LONG_FILES first (a stable sort: each file's own order is kept)."""
    rank = {path: i for i, path in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say, in one line each, which databases and browser the run covers."""
    lines = [f"databases: {', '.join(DATABASES)}"]
    if not PG_URL:
        lines.append("PostgreSQL: SKIPPED, TEST_DATABASE_URL is not set "
                     "(`make test` sets it when PostgreSQL answers on 127.0.0.1:5432)")
    return lines


def _reset(engine: Engine) -> None:
    """Drop everything (including Alembic's own table), then migrate from scratch."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(engine)


def database_url(kind: str, tmp_dir: str) -> str:
    """The URL of this test run's database of `kind` (one per xdist worker)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if kind == "sqlite":
        return f"sqlite:///{tmp_dir}/test{worker}.sqlite3"
    url = make_url(PG_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if worker:
        url = url.set(database=f"{url.database}_{worker}")
        _admin(url, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        _admin(url, f'CREATE DATABASE "{url.database}"')
    return url.render_as_string(hide_password=False)


def _admin(url, sql: str) -> None:
    """Run `sql` on the server's maintenance database (CREATE/DROP DATABASE)."""
    admin = make_engine(url.set(database="postgres").render_as_string(False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(sql))
    admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def db_kind(request: pytest.FixtureRequest) -> str:
    """Which database this test runs on ('sqlite' or 'postgresql')."""
    return request.param


@pytest.fixture(scope="session")
def app(db_kind: str, tmp_path_factory: pytest.TempPathFactory):
    """One app per database, migrated to head once."""
    tmp = tmp_path_factory.mktemp(db_kind)
    application = create_app({
        "DATABASE_URL": database_url(db_kind, str(tmp)), "SECRET_KEY": SECRET,
        "REVIEWTOOL_ENV": "testing", "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": str(tmp),
    })
    engine = application.extensions["reviewtool.db"].engine
    _reset(engine)
    yield application
    engine.dispose()
    if db_kind == "postgresql" and os.environ.get("PYTEST_XDIST_WORKER"):
        # A worker's own database is ours to drop; the run's main one belongs to its creator.
        _admin(engine.url, f'DROP DATABASE IF EXISTS "{engine.url.database}" WITH (FORCE)')


@pytest.fixture
def session(app) -> Iterator[Session]:
    """One test's rolled-back session (see rolled_back_session)."""
    with rolled_back_session(app) as test_session:
        yield test_session


@pytest.fixture
def workflow(app):
    """The app's workflow."""
    return app.extensions["reviewtool.workflow"]


@pytest.fixture
def client(app, session):
    """A test client whose requests share the test's rolled-back transaction."""
    return app.test_client()


class ApiClient:
    """A test client that sends one user's bearer token."""

    def __init__(self, client, token: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method: str):
        call = getattr(self.client, method)
        return lambda url, **kw: call(f"/api/v1{url}", headers=self.headers, **kw)


@pytest.fixture
def api(client, session):
    """`api(user)` → a client calling /api/v1 as `user`."""

    return lambda user: ApiClient(client, issue_token(session, user))


@pytest.fixture
def login(client):
    """`login(user)` signs `user` in on the shared test client."""

    def sign_in(user):
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302, response.data
        return client

    return sign_in
