"""The risk-model editor's form: one row per risk, one "not applicable" per category.

It only collects and shows; services/risks.py owns every rule."""

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
    TextAreaField,
)

from reviewtool.web.repeat_rows import template_prefix

LIKELIHOOD = [("1", "1 rare"), ("2", "2 unlikely"), ("3", "3 possible"), ("4", "4 likely"),
              ("5", "5 almost certain")]
SEVERITY = [("1", "1 negligible"), ("2", "2 minor"), ("3", "3 moderate"), ("4", "4 major"),
            ("5", "5 severe")]
BLANK = [("", "Choose…")]
SAME = [("", "Same as before safeguards")]
INT_FIELDS = ("likelihood", "severity", "residual_likelihood", "residual_severity")
TEXT_FIELDS = ("description", "mitigation")
CHOICE_FIELDS = ("reversibility", "pilot_reveals", "knowledge")


def _select(label: str, choices: list[tuple[str, str]]) -> SelectField:
    # The service checks every value with a clear message; the form just passes them on.
    return SelectField(label, choices=choices, validate_choice=False)


class RiskRow(Form):
    """One risk; a new row left without a description is ignored."""

    risk_id = HiddenField()
    category = HiddenField()
    description = TextAreaField("Description", render_kw={"rows": 2})
    likelihood = _select("Likelihood", [*BLANK, *LIKELIHOOD])
    severity = _select("Severity", [*BLANK, *SEVERITY])
    reversibility = _select("Reversibility", [*BLANK, ("reversible", "Reversible"), (
        "hard_to_reverse", "Hard to reverse"), ("irreversible", "Irreversible")])
    pilot_reveals = _select("Can a pilot reveal it?", [*BLANK, ("yes", "Yes"),
                                                       ("partly", "Partly"), ("no", "No")])
    knowledge = _select("Strength of knowledge", [*BLANK, ("low", "Low"), ("medium", "Medium"),
                                                  ("high", "High")])
    mitigation = TextAreaField("Safeguards that lower it", render_kw={"rows": 2})
    residual_likelihood = _select("Residual likelihood", [*SAME, *LIKELIHOOD])
    residual_severity = _select("Residual severity", [*SAME, *SEVERITY])
    remove = BooleanField("Remove this risk")


class ExclusionRow(Form):
    """A category marked not applicable."""

    category = HiddenField()
    not_applicable = BooleanField("Not applicable to this project")
    reason = TextAreaField("Why it does not apply")


class RiskModelForm(FlaskForm):
    """The whole editor."""

    risks = FieldList(FormField(RiskRow))
    exclusions = FieldList(FormField(ExclusionRow))
    version = HiddenField()

    def label_rows(self, labels: dict[str, str]) -> None:
        """Give every control a label that names its category and row (for screen readers
        and the error summary; the page shows only the field's own words)."""
        numbers: dict[str, int] = {}
        for row in self.risks:
            category = row.form.category.data
            numbers[category] = numbers.get(category, 0) + 1
            name_row(row.form, f"{labels.get(category, category)} risk {numbers[category]}")
        for row in self.exclusions:
            name_row(row.form, labels.get(row.form.category.data, row.form.category.data))

    def rows_in(self, category: str) -> int:
        """How many risk rows the category shows."""
        return sum(1 for row in self.risks if row.form.category.data == category)

    def add_blank(self, category: str) -> None:
        """One more blank row in the category ("Add another risk" without the script)."""
        self.risks.append_entry({"category": category, "risk_id": ""})

    def to_payload(self) -> tuple[dict[str, Any], list[int]]:
        """The service's payload, and for each payload risk the index of its form row."""
        risks, rows = [], []
        for index, row in enumerate(self.risks):
            data = row.form.data
            if data["remove"] or not (data["description"] or "").strip():
                continue
            item: dict[str, Any] = {"category": data["category"]}
            if (data["risk_id"] or "").isdigit():
                item["id"] = int(data["risk_id"])
            for name in TEXT_FIELDS:
                item[name] = data[name] or ""
            for name in CHOICE_FIELDS:
                item[name] = data[name] or None
            for name in INT_FIELDS:
                value = data[name] or ""
                item[name] = int(value) if value.isdigit() else None
            risks.append(item)
            rows.append(index)
        exclusions = [{"category": row.form.category.data, "reason": row.form.reason.data or ""}
                      for row in self.exclusions if row.form.not_applicable.data]
        return {"risks": risks, "not_applicable": exclusions}, rows


def name_row(form: Form, prefix: str) -> None:
    """Prefix every control's label with the row's name: "Reputational harm risk 2: …"."""
    for sub in form:
        sub.label.text = f"{prefix}: {sub.label.text.split(': ', 1)[-1]}"


def template_row(category: str, label: str) -> RiskRow:
    """The blank row repeat-rows.js copies into a category: its names carry __index__."""
    row = RiskRow(prefix=template_prefix("risks"), data={"category": category, "risk_id": ""})
    name_row(row, f"{label} risk __number__")
    return row


def form_data(categories: list[dict[str, Any]], risks: list[dict[str, Any]],
              exclusions: dict[str, str]) -> dict[str, Any]:
    """Initial data: the saved risks grouped by category, and a blank row only where a
    category has neither a risk nor a "not applicable" (elsewhere "Add another risk")."""
    rows = []
    for category in categories:
        key = category["key"]
        saved = [r for r in risks if r["category"] == key]
        for risk in saved:
            row = {name: risk.get(name) for name in (*TEXT_FIELDS, *CHOICE_FIELDS)}
            row.update({name: str(risk[name]) for name in INT_FIELDS})
            rows.append({**row, "risk_id": str(risk["id"]), "category": key})
        if not saved and key not in exclusions:
            rows.append({"category": key, "risk_id": ""})
    return {"risks": rows,
            "exclusions": [{"category": c["key"], "not_applicable": c["key"] in exclusions,
                            "reason": exclusions.get(c["key"], "")} for c in categories]}
