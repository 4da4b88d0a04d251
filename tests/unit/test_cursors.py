"""Page cursors: a token says which way to read from which (updated_at, id), and anything
not made by `encode` is a 404 that says so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reviewtool.errors import NotFound
from reviewtool.services.read.cursors import AFTER, BAD_CURSOR, BEFORE, Position, decode, encode

AT = Position(datetime(2026, 12, 2, 14, 5, 6, 123456, tzinfo=UTC), 4711)


@pytest.mark.parametrize("way", [AFTER, BEFORE])
def test_cursor_round_trip_keeps_way_time_to_the_microsecond_and_id(way):
    assert decode(encode(way, AT)) == (way, AT)


def test_cursor_token_is_url_safe_without_padding():
    token = encode(AFTER, AT)
    assert (set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789-_"), token.endswith("=")) == (True, False)


def _flipped(token: str, at: int) -> str:
    return token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1:]


@pytest.mark.parametrize("bad", [
    "", "last-but-one", "!!!!", "YS4xLjE", "²",
    encode(AFTER, AT)[:-2],                      # truncated
    encode(AFTER, AT) + "QQ",                    # lengthened
    _flipped(encode(AFTER, AT), 6),              # a character of the time changed
    _flipped(encode(BEFORE, AT), 20),            # a character of the id or check changed
])
def test_cursor_damaged_or_made_up_token_is_404_saying_so(bad):
    with pytest.raises(NotFound) as refused:
        decode(bad)
    assert refused.value.messages == [BAD_CURSOR]


def test_cursor_of_an_id_out_of_range_is_404():
    with pytest.raises(NotFound):
        decode(encode(AFTER, Position(AT.updated_at, 2 ** 80)))
