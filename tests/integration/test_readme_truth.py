"""The README's demo tables say what `reviewtool demo` really loads: every account with its
roles, every project with its proposer and state (issue 12's "truth in words")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from reviewtool.demo import load_demo
from reviewtool.models import Project, User

README = Path(__file__).resolve().parents[2] / "README.md"
# The README's words for where a project is, by the state it starts with.
STATE_WORDS = {"review": "review", "risk_model": "risk model", "draft": "an incomplete draft",
               "withdrawn": "withdrawn", "revision": "safeguard revision", "pilot": "pilot running",
               "decision": "decision", "go": "go", "no_go": "no-go"}


def _table_after(heading: str) -> list[list[str]]:
    """The rows of the first table after the line that starts with `heading`."""
    lines = README.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows, inside = [], False
    for line in lines[start + 1:]:
        if line.startswith("|"):
            inside = True
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not re.fullmatch(r"-+", cells[0]):
                rows.append(cells)
        elif inside:
            break
    return rows[1:]  # without the header


def test_readme_demo_tables_match_the_demo_exactly(session, workflow, db_kind):
    if db_kind != "sqlite":
        pytest.skip("the demo's accounts and projects do not depend on the database")
    load_demo(session, workflow)
    loaded = sorted((u.email, u.name, ", ".join(sorted(u.roles)))
                    for u in session.scalars(select(User)))
    listed = sorted((email, name, ", ".join(sorted(r.strip() for r in roles.split(","))))
                    for email, name, roles in _table_after("`make run` (or `reviewtool demo`)"))
    assert listed == loaded
    assert len(listed) == 15  # nine people with roles in projects, six panellists

    loaded = sorted((p.current_revision.title, p.owner.name.split()[0], p.state)
                    for p in session.scalars(select(Project)))
    listed = _table_after("and these projects")
    assert len(listed) == len(loaded) == 14
    by_title = {title: (who, where) for title, who, _type, where in listed}
    for title, who, state in loaded:
        assert by_title[title][0] == who, title
        assert by_title[title][1].startswith(STATE_WORDS[state]), (title, by_title[title][1])
