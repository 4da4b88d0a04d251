"""Repeating rows without JavaScript: the "Add another" button submits the form with
`add_row=<key>`, and the page comes back with everything typed plus one blank row.

Nothing is validated or saved on that round trip; static/repeat-rows.js does the same in
place when scripts run (see templates/macros.html `add_another`)."""

from __future__ import annotations

from collections.abc import Collection

from flask import request

ADD_ROW = "add_row"
INDEX = "__index__"  # the placeholder the script replaces with the next list index


def added_row(keys: Collection[str]) -> str | None:
    """The key of the list whose "Add another" button sent the form, if one did."""
    key = request.form.get(ADD_ROW, "") if request.method == "POST" else ""
    return key if key in keys else None


def template_prefix(list_name: str) -> str:
    """The name prefix of a row template: `risks-__index__-`."""
    return f"{list_name}-{INDEX}-"
