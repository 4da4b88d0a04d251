"""Files both faces send: a table of the portfolio as CSV, and a streamed export."""

from __future__ import annotations

from flask import Response

from reviewtool import db
from reviewtool.http.pipeline import actor
from reviewtool.services.read.exports import FORMATS, check_export, stream


def attachment(body, content_type: str, filename: str) -> Response:
    """`body` (text, or an iterator of text chunks) as a download named `filename`."""
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def csv_file(text: str, filename: str) -> Response:
    """A small CSV document, already made, as a download."""
    return attachment(text, FORMATS["csv"], filename)


def export(table: str, fmt: str) -> Response:
    """The streamed export of `table` as `fmt` (csv or json) for the request's actor: refused
    (403, 404) before the first byte; the rows are read by the generator in a reading session
    of its own, after this request's transaction has ended."""
    viewer = actor()
    check_export(viewer, table, fmt)
    body = stream(db.get_db(), viewer.id, table, fmt)
    return attachment(body, FORMATS[fmt], f"reviewtool-{table}.{fmt}")
