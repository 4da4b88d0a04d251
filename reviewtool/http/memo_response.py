"""The HTTP answer for a memo, shared by the JSON API and the pages: an attachment of the
right type, with the stored memo's SHA-256 in a header."""

from __future__ import annotations

from flask import Response

from reviewtool.services.memos import MemoFile


def memo_response(memo: MemoFile, *, as_pdf: bool) -> Response:
    """Serve a memo as an attachment, with its SHA-256 in a header when stored."""
    body = memo.pdf if as_pdf else memo.html
    response = Response(body, mimetype="application/pdf" if as_pdf else "text/html")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{memo.filename}.{"pdf" if as_pdf else "html"}"')
    response.headers["Cache-Control"] = "private, no-store" if memo.draft else "private"
    if memo.sha256 and as_pdf and not memo.draft:  # a draft is not the signed memo
        response.headers["X-Memo-SHA256"] = memo.sha256
    if not as_pdf:
        # The memo's HTML carries its own inline stylesheet and no script.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    return response
