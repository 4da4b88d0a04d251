"""reviewtool: validate community projects before anyone scales them."""

from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None):
    """The application factory (`gunicorn 'reviewtool:create_app()'`)."""
    # Imported here, not above: `import reviewtool.models` (migrations, the worker, scripts)
    # must not load both faces.
    from reviewtool.app import create_app as _create_app  # noqa: PLC0415

    return _create_app(config)
