"""When a browser's session ends: idle for SESSION_IDLE_HOURS, or SESSION_MAX_DAYS after the
sign-in (web/sessions.py: expiry)."""

from pathlib import Path

import pytest

from reviewtool.config import load_settings
from reviewtool.web.sessions import expiry

NOW = 1_800_000_000
HOUR, DAY = 3600, 86400
IDLE = "Your session ended after 8 hours without activity. Please sign in again."
OLD = "Your session has ended: a sign-in lasts at most 7 days. Please sign in again."


def config(**env):
    return load_settings({"SECRET_KEY": "k" * 16 + "0123456789abcdef", **env},
                         instance_path=Path("/nonexistent"))


@pytest.mark.parametrize(("signed_in", "seen", "reason"), [
    (NOW - HOUR, NOW - HOUR, None),
    (NOW - 8 * HOUR + 1, NOW - 8 * HOUR + 1, None),
    (NOW - 8 * HOUR, NOW - 8 * HOUR, IDLE),
    (NOW - 7 * DAY + 1, NOW - 60, None),
    (NOW - 7 * DAY, NOW - 60, OLD),
    (NOW - 30 * DAY, NOW - 30 * DAY, OLD),
])
def test_expiry_with_default_settings(signed_in, seen, reason):
    assert expiry({"signed_in_at": signed_in, "seen_at": seen}, NOW, config()) == reason


def test_expiry_with_configured_hours_and_days():
    short = config(SESSION_IDLE_HOURS="1", SESSION_MAX_DAYS="1")
    assert expiry({"signed_in_at": NOW - 2 * HOUR, "seen_at": NOW - HOUR}, NOW, short) == (
        "Your session ended after 1 hour without activity. Please sign in again.")
    assert expiry({"signed_in_at": NOW - DAY, "seen_at": NOW - 60}, NOW, short) == (
        "Your session has ended: a sign-in lasts at most 1 day. Please sign in again.")


@pytest.mark.parametrize("stamps", [{}, {"signed_in_at": NOW}, {"signed_in_at": "x",
                                                                 "seen_at": NOW}])
def test_expiry_without_both_times_ends_the_session(stamps):
    assert expiry(stamps, NOW, config()) == "Your session has ended; please sign in again."
