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


def load_settings(env: dict[str, str] | None = None, *, instance_path: Path) -> Settings:
    """Read settings from `env` (default: os.environ); raise ConfigError on a bad value."""
    env = dict(os.environ if env is None else env)
    environment = env.get("REVIEWTOOL_ENV", "production")
    if environment not in ENVIRONMENTS:
        raise ConfigError(
            f"REVIEWTOOL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}"
        )
    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if environment == "production":
            raise ConfigError(
                "SECRET_KEY is not set; set it to a long random string "
                "(or REVIEWTOOL_ENV=development for a throwaway one)"
            )
        logging.getLogger("reviewtool").warning(
            "SECRET_KEY is not set: using a random one (development only; sessions end on "
            "restart)")
        secret_key = secrets.token_urlsafe(32)
    elif environment == "production" and len(secret_key) < 16:
        raise ConfigError("SECRET_KEY is too short: use at least 16 random characters")
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
    return Settings(
        database_url=_database_url(env.get("DATABASE_URL"), instance_path),
        secret_key=secret_key,
        environment=environment,
        workflow=env.get("REVIEWTOOL_WORKFLOW", "default") or "default",
        smtp_host=env.get("SMTP_HOST") or None,
        smtp_port=int(smtp_port),
        mail_from=env.get("MAIL_FROM", "reviewtool@localhost"),
        base_url=env.get("BASE_URL", "http://localhost:5000").rstrip("/"),
        inline_worker=inline == "1" if inline else environment == "development",
    )
