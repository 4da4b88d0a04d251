"""Revisions as plain values: a submitted one as its frozen snapshot, a draft as it is now."""

from __future__ import annotations

import json
from typing import Any

from reviewtool.errors import Invalid, NotFound
from reviewtool.models import Project, Revision
from reviewtool.services.read.rounds import iso
from reviewtool.services.revisions import content


def revision_body(revision: Revision) -> dict[str, Any]:
    """What the revision says: its frozen snapshot once submitted, else its live content."""
    return json.loads(revision.snapshot) if revision.snapshot else content(revision)


def revision_json(revision: Revision) -> dict[str, Any]:
    """A revision with its number, submission time and snapshot hash."""
    body = revision_body(revision)
    body.pop("number", None)
    return {"number": revision.number, "is_current": revision.is_current,
            "submitted_at": iso(revision.submitted_at),
            "snapshot_sha256": revision.snapshot_sha256, **body}


def find_revision(project: Project, number: Any) -> Revision:
    """Revision `number` of the project (a number or its text); 404 when it has none."""
    if isinstance(number, str):
        if not number.isdigit():
            raise Invalid("from and to should be revision numbers.")
        number = int(number)
    found = next((r for r in project.revisions if r.number == number), None)
    if found is None:
        raise NotFound(f"Project {project.id} has no revision {number}.")
    return found
