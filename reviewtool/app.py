"""The application factory: configuration, database, login, CSRF, blueprints, error pages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, Request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.middleware.proxy_fix import ProxyFix

from reviewtool import db
from reviewtool.api import bp as api_bp
from reviewtool.config import NUMBERS, ConfigError, load_settings
from reviewtool.extensions import csrf, login_manager
from reviewtool.http import transaction
from reviewtool.http.errors import register_error_handlers
from reviewtool.memo.render import warm_up
from reviewtool.resources import data_dir
from reviewtool.services.accounts import load_session_user
from reviewtool.services.read.warm_up import warm_memo_statements, warm_pipeline_figures
from reviewtool.services.workflows import load_app_workflow
from reviewtool.web import register as register_web
from reviewtool.worker import install_inline
from reviewtool.workflow import WorkflowError

# Keys of `config` that are settings read from the environment; the rest go to app.config.
SETTING_KEYS = ("DATABASE_URL", "SECRET_KEY", "REVIEWTOOL_ENV", "REVIEWTOOL_WORKFLOW",
                "SMTP_HOST", "SMTP_PORT", "MAIL_FROM", "BASE_URL", "REVIEWTOOL_INLINE_WORKER",
                *(name for name, *_ in NUMBERS))

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class NulFreeMultiDict(ImmutableMultiDict):
    """Query and form parameters with NUL characters dropped.

    No browser sends one and PostgreSQL text cannot hold one: a crafted request must neither
    fail in the database (500) nor jump ahead of the 401/404/403 checks with a 422."""

    def __init__(self, mapping: Any = None):
        if mapping is not None:
            mapping = [(_drop_nul(k), _drop_nul(v)) for k, v in iter_multi_items(mapping)]
        super().__init__(mapping)


def _drop_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeRequest(Request):
    """Flask's request, with NUL-free `args`, `form` and `values`."""

    parameter_storage_class = NulFreeMultiDict


class ReviewtoolFlask(Flask):
    """Flask, with the one transaction per request: every view of both faces answers through
    `dispatch_request`, so this is the one place that commits (or rolls back)."""

    request_class = NulFreeRequest

    def dispatch_request(self):
        """Run the view, then commit its work if it answered with a success."""
        return transaction.finish(self.make_response(super().dispatch_request()))


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build an app from the environment, with `config` overriding it (tests pass one)."""
    config = dict(config or {})
    app = ReviewtoolFlask("reviewtool", template_folder=str(data_dir("templates")),
                          static_folder=str(Path(__file__).parent / "static"),
                          instance_path=config.pop("INSTANCE_PATH", None))
    env = {**os.environ, **{k: str(config.pop(k)) for k in SETTING_KEYS if k in config}}
    if not env.get("DATABASE_URL"):
        os.makedirs(app.instance_path, exist_ok=True)
    settings = load_settings(env, instance_path=Path(app.instance_path))
    try:
        workflow = load_app_workflow(settings.workflow)
    except WorkflowError as exc:
        raise ConfigError(f"REVIEWTOOL_WORKFLOW: {exc}") from None
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        REMEMBER_COOKIE_DURATION=0,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, no surprise expiry
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        TESTING=settings.environment == "testing",
    )
    app.config.update(config)
    app.json.sort_keys = False  # keep the documented key order
    app.extensions["reviewtool.settings"] = settings
    app.extensions["reviewtool.workflow"] = workflow
    if settings.trusted_proxies:
        # request.remote_addr, which the sign-in limits count by, is then the client's address
        # as the trusted proxies in front of us saw it, not the last proxy's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies)
    db.init_app(app, settings.database_url)
    _init_login(app)
    csrf.init_app(app)
    _register_blueprints(app)
    # Browsers ask for /favicon.ico whatever the page says: the same icon, from the static files.
    app.add_url_rule("/favicon.ico", endpoint="static", defaults={"filename": "favicon.svg"},
                     view_func=app.view_functions["static"])
    _security_headers(app)
    if settings.inline_worker:  # development: `make run` delivers mail without a worker
        install_inline(app)
    return app


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(cookie_id: str):
        return load_session_user(db.session(), cookie_id)


def warm_worker(app: Flask) -> list[str]:
    """What a serving process loads before its first request (gunicorn.conf.py's
    post_worker_init): the PDF fonts and memo templates, then the pipeline-wide figures and
    a memo's statements (services/read/warm_up.py); the project types warmed. A database that
    cannot answer yet leaves them to the first page that needs them, as without a warm-up."""
    warm_up()
    session = app.extensions["reviewtool.db"].sessionmaker()
    try:
        types = warm_pipeline_figures(session)
        warm_memo_statements(session, app.extensions["reviewtool.workflow"].settings)
        return types
    except SQLAlchemyError as exc:
        app.logger.warning("Pipeline figures and memo statements not warmed at start: %s", exc)
        return []
    finally:
        session.rollback()
        session.close()


def _register_blueprints(app: Flask) -> None:
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never with cookies
    app.register_blueprint(api_bp)
    register_web(app)
    register_error_handlers(app)


def _security_headers(app: Flask) -> None:
    secure = app.extensions["reviewtool.settings"].base_url.startswith("https://")

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if secure:  # served over HTTPS: browsers must never fall back to plain HTTP
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response
