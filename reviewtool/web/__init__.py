"""The HTML face: blueprints of server-rendered pages over the same services as the API."""

from __future__ import annotations

from flask import Flask

from reviewtool.charts import heat_map
from reviewtool.markdown import render as render_markdown
from reviewtool.web import (
    account,
    admin_programme,
    admin_users,
    assignments,
    audit,
    auth,
    consultations,
    forecasts,
    memos,
    notification_prefs,
    panel,
    password_reset,
    pilot_plans,
    pilot_records,
    pilots,
    portfolio,
    projects,
    queue,
    reviews,
    revisions,
    risks,
    sessions,
    worklists,
)
from reviewtool.web.formatting import linked, state_label, trigger_label, when, when_text
from reviewtool.web.pipeline import nav_flags

BLUEPRINTS = (sessions, auth, projects, risks, assignments, reviews, revisions, pilots,
              pilot_plans, pilot_records, forecasts, memos, audit, portfolio, queue, account,
              password_reset, admin_users, admin_programme, notification_prefs, consultations,
              panel, worklists)


def register(app: Flask) -> None:
    """Register the page blueprints and template helpers on `app`."""
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["heat_map"] = heat_map
    app.jinja_env.globals["state_label"] = state_label
    app.jinja_env.globals["trigger_label"] = trigger_label
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["linked"] = linked
    app.jinja_env.filters["when_text"] = when_text
    app.context_processor(lambda: {"nav": nav_flags()})
