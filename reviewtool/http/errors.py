"""Error answers for both faces: JSON under /api/, a readable page elsewhere. Never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from reviewtool.errors import ServiceError
from reviewtool.extensions import login_manager
from reviewtool.http.transaction import rollback

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood.",
    401: "Sign in first.",
    403: "You are not allowed to do that.",
    404: "There is nothing here, or you may not see it.",
    405: "That method is not allowed here.",
    409: "Someone else changed this first; reload and try again.",
    413: "That request is too large (at most 2 MB).",
    422: "The input is not valid.",
    429: "Too many attempts; try again later.",
    500: "Something went wrong on our side; nothing was saved. Please try again.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, problems: list[dict]):
    """Answer `status` with the problems, as JSON for the API and as a page otherwise."""
    rollback()  # nothing half-written: a refused request changes nothing
    if _wants_json():
        return {"errors": problems}, status
    return render_template("error.html", status=status,
                           messages=[p["message"] for p in problems]), status


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on `app`."""

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        response, status = error_response(exc.status, exc.problems)
        if "retry_after" in exc.details:  # a 429: say when to come back
            return response, status, {"Retry-After": str(exc.details["retry_after"])}
        return response, status

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, [{"message": "This form is missing its security token or "
                                     "it has expired; reload the page and try again."}])

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return error_response(status, [{"message": MESSAGES.get(status, exc.description)}])

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(exc: DBAPIError):
        # A temporary state, so say so (503 + Retry-After) instead of an error: SQLite's write
        # lock stayed taken past the busy timeout, or the database server cannot be reached
        # (restarting, network); the pool's pre-ping reconnects on the next request.
        locked = "database is locked" in str(exc.orig)
        log.warning("database %s on %s %s: %s", "busy" if locked else "unavailable",
                    request.method, request.path, str(exc.orig).strip().splitlines()[:1])
        g._login_user = login_manager.anonymous_user()  # the page must not ask the database
        message = ("The database is busy; nothing was saved. Try again in a moment." if locked
                   else "The database cannot be reached right now; nothing was saved. Try "
                        "again in a moment.")
        response, status = error_response(503, [{"message": message}])
        return response, status, {"Retry-After": "2" if locked else "5"}

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, [{"message": MESSAGES[500]}])
