"""Small parsers for raw request text, shared by both faces."""

from __future__ import annotations

NUMBER_MAX = 1_000_000  # pages and sizes beyond this overflow the database's OFFSET integers


def whole_number(raw: str, *, low: int, high: int) -> int | None:
    """`raw` as an int within [low, high], else None.

    isascii() matters: str.isdigit() also accepts '²', which int() refuses; and the length cap
    keeps a 30-digit page number from overflowing the database's OFFSET."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))):
        return None
    value = int(raw)
    return value if low <= value <= high else None
