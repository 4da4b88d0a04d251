"""How long a browser stays signed in: at most SESSION_IDLE_HOURS without a request and
SESSION_MAX_DAYS in all. Both times live in the signed session cookie (sign-in time, and the
last request, written again at most every few minutes so that most answers carry no new
cookie); the session token checked at every request (services/accounts.py) still ends every
cookie at once when it rotates."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import login_url, login_user, logout_user

from reviewtool.config import Settings
from reviewtool.http.pipeline import settings
from reviewtool.models import User
from reviewtool.web.redirects import safe_next

bp = Blueprint("sessions", __name__)
SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"
TOUCH_SECONDS = 300  # the last-seen time is written again at most this often
USER_KEY = "_user_id"  # where Flask-Login keeps the signed-in user's id


def start_session(user: User) -> None:
    """Sign `user` in on this browser and start the clocks."""
    login_user(user)
    now = int(time.time())
    session[SIGNED_IN_AT] = session[SEEN_AT] = now


def _plural(number: int, unit: str) -> str:
    return f"{number} {unit}{'s' if number != 1 else ''}"


def expiry(stamps: Mapping[str, Any], now: int, config: Settings) -> str | None:
    """Why the session in `stamps` has ended at `now`, or None while it is alive."""
    signed_in, seen = stamps.get(SIGNED_IN_AT), stamps.get(SEEN_AT)
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return "Your session has ended; please sign in again."
    if now - signed_in >= config.session_max_days * 86400:
        return (f"Your session has ended: a sign-in lasts at most "
                f"{_plural(config.session_max_days, 'day')}. Please sign in again.")
    if now - seen >= config.session_idle_hours * 3600:
        return (f"Your session ended after {_plural(config.session_idle_hours, 'hour')} "
                "without activity. Please sign in again.")
    return None


@bp.before_app_request
def enforce_lifetime():
    """End a signed-in browser's session that is too old or idle for too long; send it to the
    sign-in page saying why. Otherwise note that it was seen."""
    if request.blueprint == "api" or request.endpoint in (None, "static"):
        return None
    if USER_KEY not in session:
        return None
    now = int(time.time())
    reason = expiry(session, now, settings())
    if reason is None:
        if now - session[SEEN_AT] >= TOUCH_SECONDS:
            session[SEEN_AT] = now
        return None
    logout_user()
    session.pop(SIGNED_IN_AT, None)
    session.pop(SEEN_AT, None)
    flash(reason, "error")
    back = (safe_next(request.full_path.rstrip("?")) if request.method == "GET"
            and request.blueprint != "auth" else None)
    return redirect(login_url("auth.login", next_url=back) if back else url_for("auth.login"))
