"""The safeguard editor's form: one row per saved safeguard plus one blank row.

It only collects and shows; services/revisions.py owns every rule (known types and
categories, concerns that name a real review, scores from 1 to 5) and says what is wrong."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)

from reviewtool.web.proposal_forms import CheckboxesField
from reviewtool.web.repeat_rows import template_prefix
from reviewtool.web.risk_forms import BLANK, LIKELIHOOD, SEVERITY

INT_FIELDS = ("residual_likelihood", "residual_severity")


class SafeguardRow(Form):
    """One safeguard; the blank row is ignored while it has no type and no description."""

    saved = HiddenField()
    type = SelectField("Safeguard type", validate_choice=False)
    description = TextAreaField("Description")
    responsible = StringField("Who is responsible")
    addresses = CheckboxesField("Addresses risk categories", validate_choice=False)
    concerns = CheckboxesField("Answers concerns of", validate_choice=False)
    residual_likelihood = SelectField("Expected residual likelihood",
                                      choices=[*BLANK, *LIKELIHOOD], validate_choice=False)
    residual_severity = SelectField("Expected residual severity", choices=[*BLANK, *SEVERITY],
                                    validate_choice=False)
    remove = BooleanField("Remove this safeguard")

    def is_blank(self) -> bool:
        """True for an untouched new row."""
        return not self.saved.data and not self.type.data and \
            not (self.description.data or "").strip()


class SafeguardsForm(FlaskForm):
    """Every safeguard of the draft revision."""

    safeguards = FieldList(FormField(SafeguardRow))
    version = HiddenField()

    def setup(self, types: list[tuple[str, str]], categories: list[tuple[str, str]],
              concerns: list[tuple[str, str]]) -> None:
        """Fill the choices, and give every control a label naming its row."""
        new = 0
        for number, row in enumerate(self.safeguards, start=1):
            new += 0 if row.form.saved.data else 1
            fill_row(row.form, row_name(number, row.form.saved.data, new), types, categories,
                     concerns)
        self.template = SafeguardRow(prefix=template_prefix("safeguards"), data={"saved": ""})
        fill_row(self.template, "New safeguard __number__", types, categories, concerns)
        self.new_rows = new

    def add_blank(self) -> None:
        """One more new row ("Add another safeguard" without the script)."""
        self.safeguards.append_entry({"saved": ""})

    def to_payload(self) -> tuple[list[dict[str, Any]], list[int]]:
        """The service's safeguards list, and for each item the index of its form row."""
        items, rows = [], []
        for index, row in enumerate(self.safeguards):
            form = row.form
            if form.remove.data or form.is_blank():
                continue
            item: dict[str, Any] = {
                "type": form.type.data or "", "description": form.description.data or "",
                "responsible": form.responsible.data or "",
                "addresses": list(form.addresses.data or []),
                "concerns": [concern_ref(value) for value in form.concerns.data or []]}
            for name in INT_FIELDS:
                value = form[name].data or ""
                item[name] = int(value) if value.isdigit() else None
            items.append(item)
            rows.append(index)
        return items, rows


def fill_row(form: SafeguardRow, prefix: str, types: list[tuple[str, str]],
             categories: list[tuple[str, str]], concerns: list[tuple[str, str]]) -> None:
    """A row's choices, and labels that name the row."""
    form.type.choices = [*BLANK, *types]
    form.addresses.choices = categories
    form.concerns.choices = concerns
    for sub in form:
        sub.label.text = f"{prefix}: {sub.label.text.split(': ', 1)[-1]}"


def row_name(number: int, saved: Any, new: int) -> str:
    """How labels and messages name a row: "Safeguard 2", "New safeguard", then "New
    safeguard 2" for the second new row (the page starts with one new row)."""
    if saved:
        return f"Safeguard {number}"
    return "New safeguard" if new == 1 else f"New safeguard {new}"


def concern_value(round_number: int, letter: str) -> str:
    """A reviewer concern as a checkbox value: "1:A"."""
    return f"{round_number}:{letter}"


def concern_ref(value: str) -> dict[str, Any]:
    """A checkbox value back as the service's {round, reviewer}; odd values stay odd, so that
    the service names them."""
    number, _, letter = value.partition(":")
    return {"round": int(number) if number.isdigit() else number, "reviewer": letter}


def form_data(safeguards: list[Any]) -> dict[str, Any]:
    """Initial data: the saved safeguards, then one blank row."""
    rows = [{"saved": "y", "type": s.type, "description": s.description,
             "responsible": s.responsible, "addresses": list(s.addresses),
             "concerns": [concern_value(c["round"], c["reviewer"]) for c in s.concerns],
             "residual_likelihood": str(s.residual_likelihood),
             "residual_severity": str(s.residual_severity)} for s in safeguards]
    return {"safeguards": [*rows, {"saved": ""}]}
