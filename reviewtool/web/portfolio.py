"""The portfolio page (grantmakers and admins): every section as a table and a chart, each
table's CSV, and the download links of the table exports."""

from __future__ import annotations

from flask import render_template, request

from reviewtool import db, tabular
from reviewtool.enums import State
from reviewtool.errors import Invalid, NotFound
from reviewtool.http.downloads import csv_file, export
from reviewtool.http.pipeline import actor
from reviewtool.permissions import require
from reviewtool.portfolio_charts import bar_chart
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.read.consultations import community_by_type
from reviewtool.services.read.exports import EXPORTS
from reviewtool.services.read.portfolio import portfolio
from reviewtool.services.read.portfolio_query import FILTERS, parse_portfolio_query
from reviewtool.services.read.portfolio_tables import SECTIONS, TABLES, table_rows
from reviewtool.web.pipeline import pages

bp = pages("portfolio", __name__)


def _choices(cats: Catalogues) -> dict[str, list[tuple[str, str]]]:
    states = [(s.value, s.value.replace("_", " ")) for s in State if s != State.DRAFT]
    return {"project_type": cats.choices("project_types"),
            "work_group": cats.choices("work_groups"), "outcome": cats.choices("outcomes"),
            "state": states}


@bp.get("/portfolio")
def index():
    """The portfolio with the filters as typed; bad filters are a 422 that keeps them and
    names each wrong one."""
    require(actor(), "read_portfolio")
    session = db.session()
    cats = load_catalogues(session)
    shown = {"filters": {k: request.args.get(k, "") for k in FILTERS},
             "choices": _choices(cats), "exports": list(EXPORTS)}
    try:
        query = parse_portfolio_query(request.args, cats)
    except Invalid as refused:  # shown with the form, as typed
        return render_template("portfolio/index.html", **shown, data=None,
                               problems=refused.messages), 422
    data = portfolio(session, actor(), query, cats)
    charts = {name: bar_chart(t.caption, t.rows(data), t.series, unit=t.unit,
                              maximum=100 if t.unit == "%" else None, colours=t.colours)
              for name, t in TABLES.items() if t.series}
    return render_template("portfolio/index.html", **shown, data=data, problems=[],
                           tables=TABLES, sections=SECTIONS, charts=charts,
                           args=query.as_args(),
                           community=community_by_type(session, cats, data["by_project_type"]))


@bp.get("/portfolio/<table>.csv")
def table_csv(table: str):
    """One table of the portfolio, with the same filters, as CSV."""
    require(actor(), "read_portfolio")
    if table not in TABLES:
        raise NotFound(f"The portfolio has no table {table!r}.")
    session = db.session()
    cats = load_catalogues(session)
    data = portfolio(session, actor(), parse_portfolio_query(request.args, cats), cats)
    return csv_file(tabular.document(TABLES[table].keys, table_rows(data, table)),
                    f"portfolio-{table}.csv")


@bp.get("/exports/<table>.csv")
def export_csv(table: str):
    """A whole table as CSV, streamed (the page face of GET /api/v1/exports/{table}.csv)."""
    return export(table, "csv")


@bp.get("/exports/<table>.json")
def export_json(table: str):
    """A whole table as JSON, streamed."""
    return export(table, "json")
