"""Fonts are loaded when a process starts: warm_up renders a real PDF, and
gunicorn.conf.py's post_worker_init calls it (through reviewtool.app.warm_worker)."""

from __future__ import annotations

import runpy
from pathlib import Path

from reviewtool.app import warm_worker
from reviewtool.memo.render import _environment, warm_up


def test_memo_warm_up_renders_a_pdf():
    pdf = warm_up()
    assert pdf.startswith(b"%PDF-")

def test_memo_warm_up_is_called_by_gunicorn_post_worker_init(app):
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert config["warm_worker"] is warm_worker

    class Worker:  # what gunicorn hands the hook: the worker, its app loaded as `wsgi`
        wsgi = app

    assert config["post_worker_init"](Worker()) is None


def test_memo_warm_up_compiles_the_memo_templates():
    _environment.cache_clear()  # a fresh environment, as in a new process
    warm_up()
    keys = _environment().cache.keys()  # (loader, template name) of each compiled template
    compiled = sorted(name for _, name in keys)
    assert "memo.html" in compiled
