"""The portfolio and the table exports (grantmakers and admins)."""

from __future__ import annotations

from flask import request

from reviewtool import db
from reviewtool.api.pipeline import bp
from reviewtool.http.downloads import export
from reviewtool.http.pipeline import actor
from reviewtool.permissions import require
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.portfolio import portfolio as build_portfolio
from reviewtool.services.read.portfolio_query import parse_portfolio_query


@bp.get("/portfolio")
def portfolio():
    """Every section of the portfolio, filtered (filters: project_type, work_group, outcome,
    state, decided_from, decided_to); a bad filter is a 422 naming it."""
    session, viewer = db.session(), actor()
    require(viewer, "read_portfolio")  # 403 before any 422 about the filters
    cats = load_catalogues(session)
    return build_portfolio(session, viewer, parse_portfolio_query(request.args, cats), cats)


@bp.get("/exports/<table>.csv")
def export_csv(table: str):
    """One table as CSV (UTF-8 with BOM, formula-safe), streamed."""
    return export(table, "csv")


@bp.get("/exports/<table>.json")
def export_json(table: str):
    """One table as JSON ({table, columns, items}), streamed."""
    return export(table, "json")
