"""The HTML face: blueprints of server-rendered pages over the same services as the API."""

from __future__ import annotations

from flask import Flask

from reviewtool.charts import heat_map
from reviewtool.markdown import render as render_markdown
from reviewtool.web import (
    assignments,
    audit,
    auth,
    memos,
    pilot_plans,
    pilot_records,
    pilots,
    portfolio,
    projects,
    reviews,
    revisions,
    risks,
)
from reviewtool.web.pipeline import nav_flags

BLUEPRINTS = (auth, projects, risks, assignments, reviews, revisions, pilots, pilot_plans,
              pilot_records, memos, audit, portfolio)


def register(app: Flask) -> None:
    """Register the page blueprints and template helpers on `app`."""
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["heat_map"] = heat_map
    app.context_processor(lambda: {"nav": nav_flags()})
