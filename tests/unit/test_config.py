"""Settings from the environment: defaults, URL rewriting, and one-line ConfigErrors."""

import logging
from pathlib import Path

import pytest

from reviewtool.config import ConfigError, Settings, load_settings

INSTANCE = Path("/srv/reviewtool/instance")
KEY = "a-production-secret-of-32-chars!"


def settings(**env: str) -> Settings:
    """load_settings over exactly `env` (never the real environment)."""
    return load_settings(env, instance_path=INSTANCE)


def config_error(**env: str) -> str:
    """The message of the ConfigError that `env` raises (checked to be one line)."""
    with pytest.raises(ConfigError) as caught:
        settings(**env)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_database_url_unset_defaults_to_sqlite_in_instance_folder():
    assert settings(SECRET_KEY=KEY).database_url == (
        "sqlite:////srv/reviewtool/instance/reviewtool.sqlite3")


def test_database_url_empty_defaults_to_sqlite_in_instance_folder():
    assert settings(SECRET_KEY=KEY, DATABASE_URL="").database_url == (
        "sqlite:////srv/reviewtool/instance/reviewtool.sqlite3")


def test_database_url_postgresql_is_rewritten_to_psycopg():
    url = settings(SECRET_KEY=KEY, DATABASE_URL="postgresql://rt:s3cret@db.internal:5433/rt")
    assert url.database_url == "postgresql+psycopg://rt:s3cret@db.internal:5433/rt"


def test_database_url_postgresql_psycopg_is_kept():
    url = settings(SECRET_KEY=KEY, DATABASE_URL="postgresql+psycopg://rt@localhost/rt")
    assert url.database_url == "postgresql+psycopg://rt@localhost/rt"


def test_database_url_sqlite_file_is_kept():
    url = settings(SECRET_KEY=KEY, DATABASE_URL="sqlite:////var/lib/rt/db.sqlite3")
    assert url.database_url == "sqlite:////var/lib/rt/db.sqlite3"


@pytest.mark.parametrize(("raw", "driver"), [
    ("mysql://rt@localhost/rt", "mysql"),
    ("postgresql+psycopg2://rt@localhost/rt", "postgresql+psycopg2"),
    ("http://example.org/", "http"),
])
def test_database_url_unsupported_driver_raises_config_error(raw, driver):
    assert config_error(SECRET_KEY=KEY, DATABASE_URL=raw) == (
        f"DATABASE_URL uses {driver!r}; use sqlite:///PATH or "
        "postgresql+psycopg://USER@HOST/DB")


@pytest.mark.parametrize("raw", ["garbage", "://", "not a url\nsecond line"])
def test_database_url_garbage_raises_config_error(raw):
    assert config_error(SECRET_KEY=KEY, DATABASE_URL=raw) == (
        f"DATABASE_URL is not a database URL: {raw!r}")


def test_database_url_bad_port_raises_config_error():
    raw = "postgresql://rt@localhost:notaport/rt"
    assert config_error(SECRET_KEY=KEY, DATABASE_URL=raw) == (
        f"DATABASE_URL is not a database URL: {raw!r}")


def test_secret_key_missing_in_production_raises_config_error():
    assert config_error() == (
        "SECRET_KEY is not set; set it to a long random string "
        "(or REVIEWTOOL_ENV=development for a throwaway one)")


def test_secret_key_empty_in_explicit_production_raises_config_error():
    assert config_error(REVIEWTOOL_ENV="production", SECRET_KEY="").startswith(
        "SECRET_KEY is not set;")


def test_secret_key_short_in_production_raises_config_error():
    assert config_error(SECRET_KEY="short") == (
        "SECRET_KEY is too short: use at least 16 random characters")


def test_secret_key_given_in_production_is_used():
    assert settings(SECRET_KEY=KEY).secret_key == KEY


def test_secret_key_missing_in_development_makes_random_key_with_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="reviewtool"):
        first = settings(REVIEWTOOL_ENV="development").secret_key
        second = settings(REVIEWTOOL_ENV="development").secret_key
    assert len(first) == 43  # token_urlsafe(32)
    assert first != second
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING"]
    assert caplog.records[0].getMessage().startswith("SECRET_KEY is not set: using a random one")


@pytest.mark.parametrize("value", ["prod", "Production", "", "test"])
def test_reviewtool_env_unknown_value_raises_config_error(value):
    assert config_error(REVIEWTOOL_ENV=value, SECRET_KEY=KEY) == (
        f"REVIEWTOOL_ENV must be one of production, development, testing, not {value!r}")


@pytest.mark.parametrize("value", ["abc", "25.0", "-1", "", " 25", "²"])
def test_smtp_port_not_a_number_raises_config_error(value):
    assert config_error(SECRET_KEY=KEY, SMTP_PORT=value) == (
        f"SMTP_PORT must be a number, not {value!r}")


@pytest.mark.parametrize("value", ["0", "65536"])
def test_smtp_port_out_of_range_raises_config_error(value):
    assert config_error(SECRET_KEY=KEY, SMTP_PORT=value) == (
        f"SMTP_PORT must be a port number from 1 to 65535, not {value!r}")


def test_smtp_port_number_is_parsed():
    assert settings(SECRET_KEY=KEY, SMTP_PORT="587").smtp_port == 587


def test_settings_defaults_without_optional_variables():
    got = settings(SECRET_KEY=KEY)
    assert (got.environment, got.workflow, got.smtp_host, got.smtp_port, got.mail_from,
            got.base_url) == ("production", "default", None, 25, "reviewtool@localhost",
                              "http://localhost:5000")


def test_base_url_trailing_slash_is_removed():
    assert settings(SECRET_KEY=KEY, BASE_URL="https://rt.example.org/").base_url == (
        "https://rt.example.org")
