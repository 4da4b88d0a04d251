"""The decision form of the project page: the go decision's conditions and re-review date.

Validation stays in services/decisions.py; this module only reads the form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CONDITION_ROWS = 3  # condition rows the go form offers


def decision_extra(form: Mapping[str, str]) -> dict[str, Any]:
    """The `extra` a go decision carries: the filled condition rows and the re-review date.

    Empty rows are left out; a row with only a text or only a date goes on, so the service
    says what is missing."""
    conditions = []
    for row in range(1, CONDITION_ROWS + 1):
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
