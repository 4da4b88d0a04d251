"""The floor page of the benchmarks: what any page costs at least (one indexed query of 50
rows and a Jinja table). Kept apart from bench/pages.py so that a served worker (bench/wsgi.py)
imports only this, not the data-set builder: worker RSS should be the app's, not the bench's."""

from __future__ import annotations

from flask import Flask, render_template_string
from sqlalchemy import select

from reviewtool import db
from reviewtool.models import Project

FLOOR = """<table>{% for id, state in rows %}<tr><td>{{ id }}</td><td>{{ state }}</td></tr>
{% endfor %}</table>"""
FLOOR_URL = "/_floor"


def floor_page():
    """The floor: one indexed query of 50 rows, rendered by Jinja."""
    rows = db.session().execute(select(Project.id, Project.state).order_by(Project.id.desc())
                                .limit(50)).all()
    return render_template_string(FLOOR, rows=rows)


def add_floor(app: Flask) -> Flask:
    """Add the floor page to `app` (the benchmark's apps only, never the product's)."""
    app.add_url_rule(FLOOR_URL, "bench_floor", floor_page)
    return app
