"""Memo downloads from the pages: stored bytes served identically and matching the hash the
project page shows, who may read them, the draft preview, and that user text can make the
renderer fetch nothing (no request to a listener, no local file read or embedded)."""

from __future__ import annotations

import hashlib
import re
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from weasyprint import HTML

from reviewtool.memo.render import render_pdf
from reviewtool.models import Memo
from reviewtool.services.decisions import stored_memo
from tests.decision_factories import at_decision, decide_go, pdf_text
from tests.factories import UserFactory

SLUG = "mentoring-for-new-ai-safety-researchers"
PASSWD_LINE = "root:x:0:0"


class Listener:
    """An HTTP server on 127.0.0.1 that answers 404 and remembers every path asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                paths.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A counting HTTP listener, running for the test."""
    spy = Listener()
    thread = threading.Thread(target=spy.server.serve_forever, daemon=True)
    thread.start()
    yield spy
    spy.server.shutdown()
    thread.join(timeout=5)
    spy.server.server_close()


def payloads(url: str) -> str:
    """User text that would make a careless renderer fetch URLs and embed a local file."""
    return (f'![x]({url}/img.png) <img src="{url}/a"> file:///etc/passwd '
            '<link rel="attachment" href="file:///etc/passwd"> '
            f'<style>@import url({url}/c.css);</style> <iframe src="{url}/frame"></iframe> '
            '<object data="file:///etc/passwd"></object>')


def memo_rows(session, project) -> int:
    return session.scalar(select(func.count()).select_from(Memo)
                          .where(Memo.project_id == project.id))


def shown_sha(page: bytes) -> str:
    """The memo SHA-256 the project page shows."""
    return re.search(rb'id="memo-sha256">([0-9a-f]{64})<', page).group(1).decode()


def test_memo_pdf_downloads_are_identical_and_match_shown_hash(session, workflow, login):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    project = journey.project
    client = login(journey.grantmaker)
    first = client.get(f"/projects/{project.id}/memo.pdf")
    second = client.get(f"/projects/{project.id}/memo.pdf")
    page = client.get(f"/projects/{project.id}")
    digest = hashlib.sha256(first.data).hexdigest()
    assert (first.status_code, second.status_code, page.status_code) == (200, 200, 200)
    assert first.data == second.data == stored_memo(session, project).pdf
    assert first.headers["X-Memo-SHA256"] == second.headers["X-Memo-SHA256"] == digest
    assert shown_sha(page.data) == digest
    assert first.content_type == "application/pdf"
    assert first.headers["Content-Disposition"] == (
        f'attachment; filename="{project.id}-{SLUG}.pdf"')
    assert b"Download memo (PDF)" in page.data and b"Download memo (HTML)" in page.data


def test_memo_html_for_owner_is_stored_html_attachment(session, workflow, login):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    project = journey.project
    response = login(project.owner).get(f"/projects/{project.id}/memo.html")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == stored_memo(session, project).html
    assert response.content_type == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{project.id}-{SLUG}.html"')
    assert "X-Memo-SHA256" not in response.headers


def test_memo_for_proposer_of_another_project_is_404(session, workflow, login):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    client = login(UserFactory())
    for kind in ("pdf", "html"):
        assert client.get(f"/projects/{journey.project.id}/memo.{kind}").status_code == 404


def test_memo_for_assigned_reviewer_is_403_and_page_has_no_links(session, workflow, login):
    journey = at_decision(workflow)
    decide_go(workflow, journey)
    client = login(journey.reviewers[0])
    page = client.get(f"/projects/{journey.project.id}")
    assert client.get(f"/projects/{journey.project.id}/memo.pdf").status_code == 403
    assert page.status_code == 200
    assert b"Download memo" not in page.data and b"memo-sha256" not in page.data


def test_memo_signed_out_redirects_to_login(session, workflow, client):
    journey = at_decision(workflow)
    response = client.get(f"/projects/{journey.project.id}/memo.pdf")
    assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/login")


def test_memo_before_decision_is_draft_marked_and_not_stored(session, workflow, login):
    journey = at_decision(workflow)
    project = journey.project
    client = login(journey.grantmaker)
    page = client.get(f"/projects/{project.id}")
    response = client.get(f"/projects/{project.id}/memo.pdf")
    assert response.status_code == 200
    assert "DRAFT: not a decision." in pdf_text(response.data)
    assert "X-Memo-SHA256" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{project.id}-{SLUG}-draft.pdf"')
    assert b"Preview draft memo" in page.data
    assert memo_rows(session, project) == 0


def test_memo_of_hostile_user_text_makes_no_request_and_embeds_nothing(
        session, workflow, listener):
    journey = at_decision(workflow, text=payloads(listener.url))
    decide_go(workflow, journey)
    pdf = stored_memo(session, journey.project).pdf
    text = pdf_text(pdf)
    assert listener.paths == []
    assert PASSWD_LINE not in text
    assert b"/EmbeddedFile" not in pdf
    assert "file:///etc/passwd" in text  # the payload is shown as text, not followed


def test_render_pdf_refuses_every_url_of_hostile_html(listener):
    url = listener.url
    html = (f'<html><head><link rel="stylesheet" href="{url}/s.css">'
            '<link rel="attachment" href="file:///etc/passwd">'
            f'<style>@import url({url}/c.css); body {{ background: url({url}/bg.png) }}</style>'
            f'</head><body><img src="{url}/a"><iframe src="{url}/frame"></iframe>'
            f'<object data="file:///etc/passwd"></object><embed src="{url}/embed">'
            f'<svg><image href="{url}/svg.png" width="9" height="9"/></svg>'
            '<img src="file:///etc/passwd"></body></html>')
    pdf = render_pdf(html)
    assert listener.paths == []
    assert PASSWD_LINE not in pdf_text(pdf)
    assert b"/EmbeddedFile" not in pdf


def test_listener_counts_requests_and_default_fetcher_would_embed(listener):
    """The control: the listener does count, and WeasyPrint's own fetcher would have fetched
    and embedded, so the two tests above can fail."""

    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{listener.url}/probe", timeout=5)
    pdf = HTML(string=f'<img src="{listener.url}/a"><link rel="attachment" '
                      'href="file:///etc/passwd">', base_url=None).write_pdf()
    assert listener.paths == ["/probe", "/a"]
    assert b"/EmbeddedFile" in pdf
