"""The HTML face: blueprints of server-rendered pages over the same services as the API."""

from __future__ import annotations

from flask import Flask

from reviewtool.markdown import render as render_markdown


def register(app: Flask) -> None:
    """Register the page blueprints and template helpers on `app`."""
    from reviewtool.charts import heat_map
    from reviewtool.web import auth, memos, pilots, projects, reviews, revisions, risks

    app.register_blueprint(auth.bp)
    app.register_blueprint(projects.bp)
    app.register_blueprint(risks.bp)
    app.register_blueprint(reviews.bp)
    app.register_blueprint(revisions.bp)
    app.register_blueprint(pilots.bp)
    app.register_blueprint(memos.bp)  # memo downloads (decision memo)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["heat_map"] = heat_map
