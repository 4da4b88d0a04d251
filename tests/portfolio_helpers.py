"""Portfolio test data made through the real services, and readers of what the page, the
API and the CSV downloads show, so that tests can compare the three."""

from __future__ import annotations

import copy
import csv
import io
from html.parser import HTMLParser
from typing import Any

from reviewtool.models import Project, User
from reviewtool.services.read.portfolio_tables import TABLES
from reviewtool.services.transitions import fire
from tests.factories import COMPLETE, _session, grantmaker, reviewed


def closed_project(workflow, reviews: list[dict[str, Any]], *, project_type: str = "events",
                   work_groups: tuple[str, ...] = ("technical",),
                   outcome: str = "contributors", by: User | None = None,
                   title: str = COMPLETE["title"], **project_fields: Any) -> Project:
    """A project whose round 1 (one reviewer per entry of `reviews`) closed when a
    grantmaker skipped the pilot: it waits for a decision."""
    by = by or grantmaker()
    proposal = {**copy.deepcopy(COMPLETE), "title": title, "project_type": project_type,
                "work_groups": list(work_groups),
                "outcomes": [{"outcome": outcome, "measure": "Counted."}]}
    project, _ = reviewed(workflow, reviews, by=by, proposal=proposal, **project_fields)
    fire(_session(), workflow, project, "skip_pilot", actor=by, comment="Nothing to trial.")
    return project


NN = {"net_negative": True, "stance": "pessimistic"}
OPTIMISTIC = {"net_negative": False, "stance": "optimistic"}
NEUTRAL = {"net_negative": False, "stance": "neutral"}


class PortfolioPage(HTMLParser):
    """The portfolio page's tables: name -> rows, each {column key: cell text}."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[dict[str, str]]] = {}
        self._table: str | None = None
        self._row: dict[str, str] | None = None
        self._key: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and "data-table" in found:
            self._table = found["data-table"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = {}
        elif tag in ("td", "th") and self._row is not None and "data-key" in found:
            self._key = found["data-key"]
            self._row[self._key] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._key = None
        elif tag == "tr" and self._row:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._key is not None:
            self._row[self._key] += data


def shown(value: Any) -> str:
    """A value as the page shows it."""
    if value is None:
        return "—"
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def page_rows(html: str, name: str) -> list[dict[str, str]]:
    """The rows of table `name` on the page, each cell's text stripped of the too-few note."""
    return [{k: v.replace("(too few to compare)", "").strip() for k, v in row.items()}
            for row in PortfolioPage(html).tables[name]]


def csv_rows(body: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a CSV download (asserting its BOM)."""
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    return header, rows


def agree(page_html: str, api_json: dict[str, Any], csv_bodies: dict[str, bytes]) -> int:
    """Assert that every table's numbers are the same on the page, in the API and in its
    CSV; return how many cells were compared."""
    compared = 0
    for name, table in TABLES.items():
        rows = table.rows(api_json)
        header, body = csv_rows(csv_bodies[name])
        assert header == table.keys, name
        on_page = page_rows(page_html, name)
        assert len(body) == len(rows) == len(on_page), name
        for api_row, csv_row, page_row in zip(rows, body, on_page, strict=True):
            for key, text in zip(table.keys, csv_row, strict=True):
                value = api_row.get(key)
                expected = ("" if value is None else "true" if value is True else
                            "false" if value is False else
                            "; ".join(map(str, value)) if isinstance(value, list) else
                            str(value))
                assert text == expected, (name, key)
                if key in page_row:
                    assert page_row[key] == shown(value), (name, key)
                compared += 1
    return compared
