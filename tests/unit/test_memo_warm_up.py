"""Fonts are loaded when a process starts: warm_up renders a real PDF, and
gunicorn.conf.py's post_fork calls it."""

from __future__ import annotations

import runpy
from pathlib import Path

from reviewtool.memo.render import warm_up


def test_memo_warm_up_renders_a_pdf():
    pdf = warm_up()
    assert pdf.startswith(b"%PDF-")

def test_memo_warm_up_is_called_by_gunicorn_post_fork():
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert config["warm_up"] is warm_up
    assert config["post_fork"](None, None) is None
