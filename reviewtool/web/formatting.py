"""How pages write dates and states: "1 Dec 2026, 20:30 UTC", and the workflow's own labels."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app
from markupsafe import Markup, escape


def when_text(value: datetime | date | str | None) -> str:
    """A moment as people read it: "1 Dec 2026, 20:30 UTC" (a date alone: "1 Dec 2026")."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value \
            else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return f"{value.day} {value:%b %Y, %H:%M} UTC"
    return f"{value.day} {value:%b %Y}"


def when(value: datetime | date | str | None) -> Markup:
    """A <time> element holding the machine-readable moment and `when_text` of it."""
    if value is None or value == "":
        return Markup("—")
    stamp = value if isinstance(value, str) else value.isoformat()
    return Markup(f'<time datetime="{escape(stamp)}">{escape(when_text(value))}</time>')


def state_label(name: str) -> str:
    """The workflow's label of state `name` ("risk_model" → "Risk model")."""
    labels = current_app.extensions["reviewtool.workflow"].state_labels()
    return labels.get(name, name.replace("_", " ").capitalize())


def trigger_label(name: str) -> str:
    """The workflow's label of trigger `name` ("request_review" → "Request review")."""
    labels = current_app.extensions["reviewtool.workflow"].trigger_labels()
    return labels.get(name, name.replace("_", " ").capitalize())


def linked(problem: str) -> Markup:
    """A summary sentence as a link to the control it is about, when it names one."""
    anchor = getattr(problem, "anchor", None)
    if not anchor:
        return escape(problem)
    return Markup(f'<a href="#{escape(anchor)}">{escape(problem)}</a>')
