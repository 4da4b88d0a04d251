"""Settings read from the environment and validated once, when the app is created."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_DRIVERS = ("sqlite", "postgresql+psycopg")
ENVIRONMENTS = ("production", "development", "testing")
SECRET_KEY_MIN = 32
SECRET_KEY_FILE = "secret_key"  # in the instance folder, for development without SECRET_KEY
log = logging.getLogger("reviewtool")


class ConfigError(Exception):
    """A bad or missing setting; its message is one line a person can act on."""


@dataclass(frozen=True)
class Settings:
    """The validated configuration of one app instance."""

    database_url: str
    secret_key: str
    environment: str
    workflow: str
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "reviewtool@localhost"
    base_url: str = "http://localhost:5000"
    # Deliver mail from a thread of the web process (development), instead of `reviewtool worker`.
    inline_worker: bool = False
    session_idle_hours: int = 8
    session_max_days: int = 7
    password_reset_hours: int = 1
    login_failures_per_account: int = 10
    login_failures_per_address: int = 50
    login_failure_window_minutes: int = 15
    trusted_proxies: int = 0


# Whole-number settings: (environment variable, Settings field, default, lowest, highest).
NUMBERS = (
    ("SESSION_IDLE_HOURS", "session_idle_hours", 8, 1, 24 * 366),
    ("SESSION_MAX_DAYS", "session_max_days", 7, 1, 366),
    ("PASSWORD_RESET_HOURS", "password_reset_hours", 1, 1, 24 * 7),
    ("LOGIN_FAILURES_PER_ACCOUNT", "login_failures_per_account", 10, 1, 100_000),
    ("LOGIN_FAILURES_PER_ADDRESS", "login_failures_per_address", 50, 1, 100_000),
    ("LOGIN_FAILURE_WINDOW_MINUTES", "login_failure_window_minutes", 15, 1, 24 * 60),
    ("TRUSTED_PROXIES", "trusted_proxies", 0, 0, 10),
)


def _database_url(raw: str | None, instance_path: Path) -> str:
    if not raw:
        return f"sqlite:///{instance_path / 'reviewtool.sqlite3'}"
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise ConfigError(f"DATABASE_URL is not a database URL: {raw!r}") from None
    if url.drivername == "postgresql":
        # Plain postgresql:// would pick psycopg2, which we do not ship; psycopg 3 is meant.
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in SUPPORTED_DRIVERS:
        raise ConfigError(
            f"DATABASE_URL uses {url.drivername!r}; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DB"
        )
    return url.render_as_string(hide_password=False)


def _number(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is True
        raise ConfigError(f"{name} must be a whole number, not {raw!r}")
    if not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


def development_secret_key(instance_path: Path) -> str:
    """The key kept in the instance folder, made on first use (mode 0600), so that every
    worker of a development server signs alike and a restart keeps the sessions.

    Made in a file of its own, then linked into place: os.link fails when another process
    got there first, and then everybody reads the winner's key."""
    target = instance_path / SECRET_KEY_FILE
    made = False
    if not target.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, target)
            made = True
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    if made:
        log.warning("SECRET_KEY is not set: made one and saved it in %s (development only)",
                    target)
    else:
        log.warning("SECRET_KEY is not set: using the one saved in %s (development only)",
                    target)
    key = target.read_text().strip()
    if len(key) < SECRET_KEY_MIN:
        raise ConfigError(f"{target} holds no usable key: delete it and start again")
    return key


def _secret_key(env: dict[str, str], environment: str, instance_path: Path) -> str:
    secret_key = env.get("SECRET_KEY", "")
    if secret_key and environment == "production":
        if len(secret_key) < SECRET_KEY_MIN:
            raise ConfigError(f"SECRET_KEY is too short: use at least {SECRET_KEY_MIN} "
                              "random characters")
        if len(set(secret_key)) == 1:
            raise ConfigError("SECRET_KEY is one character repeated: use a random string")
    if secret_key:
        return secret_key
    if environment == "production":
        raise ConfigError(
            "SECRET_KEY is not set; set it to a long random string "
            "(or REVIEWTOOL_ENV=development for a throwaway one)"
        )
    if environment == "development":
        try:
            return development_secret_key(instance_path)
        except OSError as exc:
            raise ConfigError(f"SECRET_KEY is not set and {instance_path / SECRET_KEY_FILE} "
                              f"cannot be used: {exc.strerror or exc}") from None
    log.warning("SECRET_KEY is not set: using a random one (testing only; sessions end on "
                "restart)")
    return secrets.token_urlsafe(32)


def load_settings(env: dict[str, str] | None = None, *, instance_path: Path) -> Settings:
    """Read settings from `env` (default: os.environ); raise ConfigError on a bad value."""
    env = dict(os.environ if env is None else env)
    environment = env.get("REVIEWTOOL_ENV", "production")
    if environment not in ENVIRONMENTS:
        raise ConfigError(
            f"REVIEWTOOL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}"
        )
    smtp_port = env.get("SMTP_PORT", "25")
    if not (smtp_port.isascii() and smtp_port.isdigit()):  # "²".isdigit() is True
        raise ConfigError(f"SMTP_PORT must be a number, not {smtp_port!r}")
    if not 1 <= int(smtp_port) <= 65535:
        raise ConfigError(f"SMTP_PORT must be a port number from 1 to 65535, not {smtp_port!r}")
    # On by default only where one `make run` process must do everything; in testing never:
    # the test fixtures share one connection that a thread must not use.
    inline = env.get("REVIEWTOOL_INLINE_WORKER", "")
    if inline not in ("", "0", "1"):
        raise ConfigError(f"REVIEWTOOL_INLINE_WORKER must be 0 or 1, not {inline!r}")
    if inline == "1" and environment == "testing":
        raise ConfigError("REVIEWTOOL_INLINE_WORKER=1 cannot be used with REVIEWTOOL_ENV=testing")
    numbers = {field: _number(env, name, default, low, high)
               for name, field, default, low, high in NUMBERS}
    return Settings(
        database_url=_database_url(env.get("DATABASE_URL"), instance_path),
        secret_key=_secret_key(env, environment, instance_path),
        environment=environment,
        workflow=env.get("REVIEWTOOL_WORKFLOW", "default") or "default",
        smtp_host=env.get("SMTP_HOST") or None,
        smtp_port=int(smtp_port),
        mail_from=env.get("MAIL_FROM", "reviewtool@localhost"),
        base_url=env.get("BASE_URL", "http://localhost:5000").rstrip("/"),
        inline_worker=inline == "1" if inline else environment == "development",
        **numbers,
    )
