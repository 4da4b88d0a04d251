"""User text: Markdown rendered by markdown-it-py, then sanitised by nh3 with an allow-list."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# "js-default" follows CommonMark and refuses raw HTML and javascript: links by itself;
# nh3 is the second wall, with an explicit list of what may survive.
_md = MarkdownIt("js-default").enable("table").enable("strikethrough")
# markdown-it writes ~~struck~~ as <s>, so "s" must be allowed for strikethrough to survive.
ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def _shift_headings(html: str) -> str:
    # The page owns h1/h2; user headings start at h3 so they never outrank the page's own.
    for level in (4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>")
    return html


def render(text: str | None) -> Markup:
    """Markdown → safe HTML, ready to put in a template."""
    html = _shift_headings(_md.render(text or ""))
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes=ALLOWED_SCHEMES, link_rel="nofollow noopener noreferrer")
    return Markup(clean)
