"""Settings from the environment: defaults, URL rewriting, and one-line ConfigErrors."""

import logging
import multiprocessing
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from reviewtool.config import ConfigError, Settings, development_secret_key, load_settings

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


@pytest.mark.parametrize("key", ["short", "x" * 16, "0123456789abcdef0123456789abcde"])
def test_secret_key_under_32_characters_in_production_raises_config_error(key):
    assert config_error(SECRET_KEY=key) == (
        "SECRET_KEY is too short: use at least 32 random characters")


@pytest.mark.parametrize("key", ["a" * 32, "0" * 64])
def test_secret_key_one_repeated_character_in_production_raises_config_error(key):
    assert config_error(SECRET_KEY=key) == (
        "SECRET_KEY is one character repeated: use a random string")


def test_secret_key_of_32_characters_in_production_is_used():
    assert settings(SECRET_KEY="0123456789abcdef0123456789abcdef").secret_key == (
        "0123456789abcdef0123456789abcdef")


def test_secret_key_given_in_production_is_used():
    assert settings(SECRET_KEY=KEY).secret_key == KEY


def test_secret_key_short_in_development_is_used():
    assert settings(REVIEWTOOL_ENV="development", SECRET_KEY="dev").secret_key == "dev"


def test_secret_key_missing_in_development_is_made_once_and_kept_in_instance(tmp_path, caplog):
    instance = tmp_path / "instance"
    with caplog.at_level(logging.WARNING, logger="reviewtool"):
        first = load_settings({"REVIEWTOOL_ENV": "development"}, instance_path=instance)
        second = load_settings({"REVIEWTOOL_ENV": "development"}, instance_path=instance)
    stored = instance / "secret_key"
    assert (first.secret_key, second.secret_key) == (stored.read_text(), stored.read_text())
    assert len(first.secret_key) == 64  # token_urlsafe(48)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert [r.getMessage() for r in caplog.records] == [
        f"SECRET_KEY is not set: made one and saved it in {stored} (development only)",
        f"SECRET_KEY is not set: using the one saved in {stored} (development only)"]
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]


def test_secret_key_missing_in_development_reads_existing_file(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 10 + "an-existing-development-key-0123456\n")
    got = load_settings({"REVIEWTOOL_ENV": "development"}, instance_path=tmp_path)
    assert got.secret_key == "k" * 10 + "an-existing-development-key-0123456"


def test_secret_key_file_too_short_in_development_raises_config_error(tmp_path):
    (tmp_path / "secret_key").write_text("tiny")
    with pytest.raises(ConfigError) as caught:
        load_settings({"REVIEWTOOL_ENV": "development"}, instance_path=tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'secret_key'} holds no usable key: delete it and start again")


def test_secret_key_missing_in_development_unwritable_instance_raises_config_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError) as caught:
        load_settings({"REVIEWTOOL_ENV": "development"}, instance_path=blocker / "instance")
    assert str(caught.value).startswith(
        f"SECRET_KEY is not set and {blocker / 'instance' / 'secret_key'} cannot be used: ")


def test_secret_key_missing_in_testing_makes_random_key_with_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="reviewtool"):
        first = settings(REVIEWTOOL_ENV="testing").secret_key
        second = settings(REVIEWTOOL_ENV="testing").secret_key
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


def test_account_settings_defaults():
    got = settings(SECRET_KEY=KEY)
    assert (got.session_idle_hours, got.session_max_days, got.password_reset_hours,
            got.login_failures_per_account, got.login_failures_per_address,
            got.login_failure_window_minutes, got.trusted_proxies) == (8, 7, 1, 10, 50, 15, 0)


def test_account_settings_from_environment():
    got = settings(SECRET_KEY=KEY, SESSION_IDLE_HOURS="2", SESSION_MAX_DAYS="1",
                   PASSWORD_RESET_HOURS="3", LOGIN_FAILURES_PER_ACCOUNT="5",
                   LOGIN_FAILURES_PER_ADDRESS="20", LOGIN_FAILURE_WINDOW_MINUTES="30",
                   TRUSTED_PROXIES="1")
    assert (got.session_idle_hours, got.session_max_days, got.password_reset_hours,
            got.login_failures_per_account, got.login_failures_per_address,
            got.login_failure_window_minutes, got.trusted_proxies) == (2, 1, 3, 5, 20, 30, 1)


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", " 2", "\u00b2"])
def test_session_idle_hours_not_a_number_raises_config_error(value):
    assert config_error(SECRET_KEY=KEY, SESSION_IDLE_HOURS=value) == (
        f"SESSION_IDLE_HOURS must be a whole number, not {value!r}")


@pytest.mark.parametrize(("name", "value", "bounds"), [
    ("SESSION_IDLE_HOURS", "0", "1 to 8784"),
    ("SESSION_MAX_DAYS", "367", "1 to 366"),
    ("LOGIN_FAILURES_PER_ACCOUNT", "0", "1 to 100000"),
    ("LOGIN_FAILURE_WINDOW_MINUTES", "1441", "1 to 1440"),
    ("TRUSTED_PROXIES", "11", "0 to 10"),
])
def test_account_setting_out_of_range_raises_config_error(name, value, bounds):
    assert config_error(SECRET_KEY=KEY, **{name: value}) == (
        f"{name} must be a whole number from {bounds}, not {value!r}")


def test_development_secret_key_made_by_racing_workers_is_one_key(tmp_path):
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("fork")) as pool:
        keys = list(pool.map(development_secret_key, [tmp_path] * 8))
    assert len(set(keys)) == 1
    assert keys[0] == (tmp_path / "secret_key").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]
