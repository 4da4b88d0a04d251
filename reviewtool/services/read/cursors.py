"""Opaque page cursors for keyset pagination: a URL-safe token for a position in a list
sorted by (updated_at, id), and which way to read from it.

A token is base64url of "<way>.<microseconds since the epoch>.<id>.<check>", where the check
is the first 8 hex digits of the SHA-256 of the rest: it is not a secret (a cursor grants
nothing, every read still applies the visibility rule), it only makes an edited or truncated
token a clear 404 instead of a page from a position nobody gave out."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from reviewtool.errors import NotFound
from reviewtool.models.types import is_valid_id

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
AFTER, BEFORE = "a", "b"  # the rows after the position (next page) or before it (previous)
BAD_CURSOR = ("No such page: the cursor in this link is damaged or was not made by this list. "
              "Start again from the first page.")


@dataclass(frozen=True)
class Position:
    """Where a page starts or ends: the (updated_at, id) of a row of the list."""

    updated_at: datetime
    id: int


def _check(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:8]


def encode(way: str, position: Position) -> str:
    """The token for reading the rows `way` (AFTER or BEFORE) `position`."""
    micros = (position.updated_at - EPOCH) // timedelta(microseconds=1)
    body = f"{way}.{micros}.{position.id}"
    return base64.urlsafe_b64encode(f"{body}.{_check(body)}".encode()).decode().rstrip("=")


def decode(token: str) -> tuple[str, Position]:
    """(way, position) of a token from `encode`; NotFound (404, saying why) for anything else."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        way, micros, row_id, check = text.split(".")
        if way not in (AFTER, BEFORE) or check != _check(f"{way}.{micros}.{row_id}"):
            raise ValueError(text)
        position = Position(EPOCH + timedelta(microseconds=int(micros)), int(row_id))
    except (ValueError, UnicodeDecodeError, binascii.Error, OverflowError) as bad:
        raise NotFound(BAD_CURSOR) from bad
    if not is_valid_id(position.id):
        raise NotFound(BAD_CURSOR)
    return way, position
