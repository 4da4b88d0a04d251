"""User Markdown becomes safe HTML: no scripts, no javascript: links, headings below the page's."""

import pytest
from markupsafe import Markup

from reviewtool.markdown import render


def test_render_returns_markup():
    assert isinstance(render("hi"), Markup)


def test_render_none_gives_empty_markup():
    assert render(None) == Markup("")


def test_render_script_tag_is_escaped():
    assert render("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")


def test_render_inline_html_with_event_handler_is_escaped():
    assert render("<img src=x onerror=alert(1)>") == (
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD4="])
def test_render_dangerous_link_is_dropped(url):
    html = render(f"[click]({url})")
    assert html == f"<p>[click]({url})</p>\n"
    assert "<a" not in html


def test_render_raw_html_javascript_link_is_escaped():
    assert render('<a href="javascript:alert(1)">x</a>') == (
        '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>\n')


def test_render_link_gets_rel_nofollow():
    assert render("[site](https://example.org/a)") == (
        '<p><a href="https://example.org/a" rel="nofollow noopener noreferrer">site</a></p>\n')


def test_render_autolink_gets_rel_nofollow():
    assert render("<https://example.org>") == (
        '<p><a href="https://example.org" rel="nofollow noopener noreferrer">'
        "https://example.org</a></p>\n")


def test_render_mailto_link_is_kept():
    assert render("[mail](mailto:a@example.org)") == (
        '<p><a href="mailto:a@example.org" rel="nofollow noopener noreferrer">mail</a></p>\n')


@pytest.mark.parametrize(("source", "html"), [
    ("# One", "<h3>One</h3>\n"),
    ("## Two", "<h4>Two</h4>\n"),
    ("### Three", "<h5>Three</h5>\n"),
    ("#### Four", "<h6>Four</h6>\n"),
    ("###### Six", "<h6>Six</h6>\n"),
])
def test_render_headings_are_shifted_below_page_headings(source, html):
    assert render(source) == html


def test_render_heading_levels_in_one_document_are_each_shifted_once():
    assert render("# A\n\n## B\n\n# C") == "<h3>A</h3>\n<h4>B</h4>\n<h3>C</h3>\n"


def test_render_table_is_kept():
    assert render("| a | b |\n|---|---|\n| 1 | 2 |\n") == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n")


def test_render_emphasis_and_strikethrough_are_kept():
    assert render("**bold** *it* ~~gone~~") == (
        "<p><strong>bold</strong> <em>it</em> <s>gone</s></p>\n")


def test_render_image_is_removed():
    assert render("![alt](https://example.org/x.png)") == "<p></p>\n"


def test_render_code_block_and_blockquote_are_kept():
    assert render("```\nx = 1\n```\n\n> quoted") == (
        "<pre><code>x = 1\n</code></pre>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n")


def test_render_lists_are_kept():
    assert render("- a\n- b\n\n3. c") == (
        '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol start="3">\n<li>c</li>\n</ol>\n')
