"""Small helpers shared by the page blueprints."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from reviewtool import db


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no //host, /\\host, or schemes)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def workflow():
    """The app's workflow."""
    return current_app.extensions["reviewtool.workflow"]


def commit() -> None:
    """Commit the request's work (once, in the face)."""
    db.commit()
