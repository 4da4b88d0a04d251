"""The decision form of the project page: the go decision's conditions and re-review date.

Validation stays in services/decisions.py; this module only reads the form and says which
condition rows the form shows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

CONDITION_KEY = re.compile(r"^condition-(\d{1,2})(-due)?$")  # condition-3, condition-3-due


def _typed_rows(form: Mapping[str, str]) -> list[int]:
    """The condition row numbers the form sent, in order (the script may leave gaps)."""
    return sorted({int(m.group(1)) for key in form if (m := CONDITION_KEY.match(key))})


def decision_extra(form: Mapping[str, str]) -> dict[str, Any]:
    """The `extra` a go decision carries: the filled condition rows and the re-review date.

    Empty rows are left out; a row with only a text or only a date goes on, so the service
    says what is missing."""
    conditions = []
    for row in _typed_rows(form):
        text = form.get(f"condition-{row}", "").strip()
        due_on = form.get(f"condition-{row}-due", "").strip()
        if text or due_on:
            conditions.append({"text": text, "due_on": due_on})
    extra: dict[str, Any] = {"conditions": conditions} if conditions else {}
    review_by = form.get("review_by", "").strip()
    if review_by:
        extra["review_by"] = review_by
    probability = form.get("outcome_probability", "").strip()
    if probability:  # digits as a number; anything else as typed, so the service names it
        extra["outcome_probability"] = int(probability) if probability.isdigit() else probability
    return extra


def condition_rows(typed: Mapping[str, str], *, add: bool = False) -> list[int]:
    """The condition rows the go form shows: those typed before a refusal (or row 1), and
    one more after "Add another condition" without the script."""
    rows = _typed_rows(typed) if typed.get("trigger") == "go" else []
    rows = rows or [1]
    return [*rows, rows[-1] + 1] if add else rows
