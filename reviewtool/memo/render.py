"""Rendering the memo: one Jinja template for HTML and PDF, and a WeasyPrint URL fetcher that
refuses everything, so user text can make no request and embed no file."""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from reviewtool.resources import data_dir

log = logging.getLogger(__name__)


@cache
def _environment() -> Environment:
    # Our own environment (not Flask's): the memo renders the same in a request, in the CLI
    # and in a benchmark, and StrictUndefined makes a missing value an error, not a blank.
    env = Environment(loader=FileSystemLoader(str(data_dir("templates") / "memo")),
                      autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    env.filters["safe_html"] = Markup  # only for HTML we made: sanitised Markdown and SVG
    return env


@cache
def stylesheet() -> str:
    """The memo's print CSS, bundled with the templates."""
    return (data_dir("templates") / "memo" / "memo.css").read_text()


def render_html(context: dict[str, Any]) -> str:
    """The memo as a standalone HTML document (CSS inlined: it needs nothing else)."""
    return _environment().get_template("memo.html").render(**context, css=stylesheet())


class RefusedURL(ValueError):
    """WeasyPrint asked for a URL; the memo fetches none."""


def refuse_every_url(url: str, timeout: int = 10, ssl_context: Any = None) -> dict:
    """Refuse `url`: every resource the memo needs is inline, so any URL at all (file:,
    http:, an @import, an attachment) comes from user text and is refused."""
    log.warning("memo rendering refused to fetch %r", url[:200])
    raise RefusedURL(f"the memo fetches no URL ({url[:80]!r})")


@cache
def _refusing_fetcher() -> Any:
    """WeasyPrint's url_fetcher: a URLFetcher (WeasyPrint 70 needs an instance of it, not a
    plain function: it reads the fetcher's settings when a fetch fails) that opens nothing."""
    # WeasyPrint loads Pango and its fonts on import (about a second): only what renders pays.
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class RefusingFetcher(URLFetcher):
        """Refuses every URL, whichever way WeasyPrint asks for it."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            refuse_every_url(url)

        def open(self, url: Any, data: Any = None, timeout: Any = None) -> Any:
            refuse_every_url(getattr(url, "full_url", str(url)))

    return RefusingFetcher(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)


def render_pdf(html: str) -> bytes:
    """The memo as PDF bytes: identical bytes for identical HTML (metadata comes from it)."""
    from weasyprint import HTML  # noqa: PLC0415 - loaded on first render, see _refusing_fetcher

    return HTML(string=html, url_fetcher=_refusing_fetcher(), base_url=None).write_pdf()


# Something of each kind the memo holds (every face of the fonts it uses, a table, an inline
# SVG chart, the page's margin boxes), so that its first render loads nothing more.
WARM_UP_HTML = (
    "<!doctype html><html><head><style>{css}</style></head><body>"
    "<header class='running'>reviewtool</header><h1>reviewtool</h1><p class='title'>Warm-up"
    "</p><p>Fonts, <strong>Pango</strong> and <em>the stylesheet</em>, loaded once.</p>"
    "<table><thead><tr><th>Risk</th><th>Score</th></tr></thead><tbody><tr><td>One</td>"
    "<td><strong>12</strong></td></tr></tbody></table><p class='hash'>0123456789abcdef</p>"
    "<div class='figure'><svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 60 20' "
    "width='60' height='20'><rect x='1' y='1' width='20' height='10' fill='#d0d7de'/>"
    "<line x1='0' y1='19' x2='60' y2='19' stroke='#57606a'/><text x='24' y='10' "
    "font-size='8'>1 2</text></svg></div></body></html>")


def warm_up() -> bytes:
    """Render a one-paragraph PDF with the memo's stylesheet, so that WeasyPrint, Pango and the
    fonts are loaded when a process starts (gunicorn.conf.py's post_fork, `reviewtool worker`)
    and the first memo a user asks for is no slower than the rest. The memo's templates are
    compiled here too (about 100 ms the first time)."""
    _environment().get_template("memo.html")
    return render_pdf(WARM_UP_HTML.replace("{css}", stylesheet()))


def sha256(data: bytes) -> str:
    """The hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()
