"""Rows as CSV text for spreadsheets, safely: UTF-8 with a byte-order mark (so spreadsheet
programs read the encoding right), one header row, RFC 4180 quoting with CRLF line ends,
ISO 8601 dates, and every text cell that a spreadsheet would run as a formula escaped.

Formula injection: a cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return,
which some programs skip before reading such a character) is a formula to Excel, LibreOffice
and Google Sheets, e.g. `=HYPERLINK("http://evil.example", "click")`. Such a text cell gets a
leading apostrophe (`'=HYPERLINK(...)`), which spreadsheets show as text and never run (the
OWASP advice). Numbers are written as numbers: a negative number is not text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def iso(value: date | datetime) -> str:
    """A date as YYYY-MM-DD; a datetime in UTC as YYYY-MM-DDTHH:MM:SSZ (microseconds kept)."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def escape_formula(text: str) -> str:
    """`text`, with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str:
    """One value as CSV cell text: None empty, booleans true/false, numbers as numbers,
    dates ISO, lists joined by '; ' (each item escaped), text escaped against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, date | datetime):
        return iso(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    return escape_formula(str(value))


def lines(rows: Iterable[Sequence[Any]]) -> str:
    """CSV text of `rows` (each a sequence of values), CRLF-terminated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def document(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A whole small CSV document: BOM, header row, rows."""
    return BOM + lines([header]) + lines(rows)
