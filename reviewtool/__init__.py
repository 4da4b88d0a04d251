"""reviewtool: validate community projects before anyone scales them."""

from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None):
    """The application factory (`gunicorn 'reviewtool:create_app()'`)."""
    from reviewtool.app import create_app as _create_app

    return _create_app(config)
