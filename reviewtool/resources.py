"""Where the bundled folders (templates, workflows, migrations) are, installed or not."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`reviewtool/<name>` in a wheel (force-included), else `<checkout>/<name>`."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name
