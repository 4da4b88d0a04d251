"""The pilot forms: the plan (grantmakers), observations and incidents (builders).

They only collect and show; services/pilots.py and services/pilot_records.py own every rule and
say what is wrong. Text that is not a number is passed on as text, so the service's own
message names the field."""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import DateInput, NumberInput

from reviewtool.services.catalogues import Catalogues
from reviewtool.services.pilot_plans import OUTCOMES
from reviewtool.web.repeat_rows import template_prefix

NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
KINDS = [("success", "Success"), ("kill", "Kill (stops the pilot when met)")]
COMPARATORS = [(">=", "≥ at least"), ("<=", "≤ at most"), ("=", "= exactly")]
SEVERITIES = [("", "Choose…"), ("1", "1 negligible"), ("2", "2 minor"), ("3", "3 moderate"),
              ("4", "4 major"), ("5", "5 severe")]
ROW_TEXT = ("metric", "target", "unit", "measurement")


def number_or_text(raw: str | None) -> Any:
    """A float when `raw` is written as a number, else the trimmed text (the service says
    why it is not one)."""
    text = (raw or "").strip()
    return float(text) if NUMBER.match(text) else text


def _select(label: str, choices: Any = None) -> SelectField:
    # The service checks every value with a clear message; the form just passes them on.
    return SelectField(label, choices=choices or [], validate_choice=False)


BLANK_CRITERION = {"criterion_id": "", "kind": "success", "comparator": ">="}


class CriterionRow(Form):
    """One criterion; a new row left without metric, target, unit and method is ignored."""

    criterion_id = HiddenField()
    kind = _select("Kind", KINDS)
    outcome = _select("Outcome or risk category")
    metric = StringField("Metric")
    comparator = _select("Comparator", COMPARATORS)
    target = StringField("Target", widget=NumberInput(step="any"))
    unit = StringField("Unit")
    measurement = TextAreaField("How it will be measured")
    remove = BooleanField("Remove")

    def is_blank(self) -> bool:
        """True for a row nobody wrote in."""
        return not any((getattr(self, name).data or "").strip() for name in ROW_TEXT)


class PlanForm(FlaskForm):
    """The pilot plan; `justification` is asked for once the plan is frozen."""

    builders = SelectMultipleField("Builder", validate_choice=False)
    starts_on = StringField("Start date", widget=DateInput())
    ends_on = StringField("End date", widget=DateInput())
    budget = StringField("Budget")
    criteria = FieldList(FormField(CriterionRow))
    justification = TextAreaField("Justification for this change")

    def setup(self, cats: Catalogues, builders: list[tuple[int, str]]) -> None:
        """Fill the choices, and name every row's controls after its number."""
        self.builders.choices = [(str(i), name) for i, name in builders]
        outcomes = [(k, cats.label("outcomes", k)) for k in OUTCOMES]
        categories = cats.choices("risk_categories")
        choices = {"Outcomes": outcomes, "Risk categories": categories}
        for number, row in enumerate(self.criteria, start=1):
            name_criterion(row.form, f"Criterion {number}", choices)
        self.template = CriterionRow(prefix=template_prefix("criteria"), data=BLANK_CRITERION)
        name_criterion(self.template, "Criterion __number__", choices)

    def add_blank(self) -> None:
        """One more blank criterion ("Add another criterion" without the script)."""
        self.criteria.append_entry(BLANK_CRITERION)

    def to_payload(self, frozen: bool) -> tuple[dict[str, Any], list[int]]:
        """The service's payload, and for each payload criterion the index of its form row."""
        criteria, rows = [], []
        for index, row in enumerate(self.criteria):
            form = row.form
            if form.remove.data or (form.is_blank() and not form.criterion_id.data):
                continue
            item: dict[str, Any] = {
                "kind": form.kind.data or "", "outcome": form.outcome.data or "",
                "metric": form.metric.data or "", "comparator": form.comparator.data or "",
                "target": number_or_text(form.target.data), "unit": form.unit.data or "",
                "measurement": form.measurement.data or ""}
            if (form.criterion_id.data or "").isdigit():
                item["id"] = int(form.criterion_id.data)
            criteria.append(item)
            rows.append(index)
        ids = [int(i) for i in self.builders.data or [] if str(i).isdigit()]
        payload = {"builder_ids": ids, "starts_on": self.starts_on.data or "",
                   "ends_on": self.ends_on.data or "", "budget": self.budget.data or "",
                   "criteria": criteria}
        if frozen:
            payload["justification"] = self.justification.data or ""
        return payload, rows


def name_criterion(form: CriterionRow, prefix: str, choices: dict[str, Any]) -> None:
    """A criterion row's outcome choices, and labels that name the row."""
    form.outcome.choices = choices
    for sub in form:
        sub.label.text = f"{prefix}: {sub.label.text.split(': ', 1)[-1]}"


def plan_form_data(view: dict[str, Any] | None) -> dict[str, Any]:
    """Initial data from services.pilot_view.pilot_view (or None), plus one blank row."""
    blank = BLANK_CRITERION
    if view is None:
        return {"criteria": [blank]}
    rows = [{"criterion_id": str(c["id"]), "kind": c["kind"], "outcome": c["outcome"],
             "metric": c["metric"], "comparator": c["comparator"], "target": f"{c['target']:g}",
             "unit": c["unit"], "measurement": c["measurement"]} for c in view["criteria"]]
    return {"builders": [str(b["id"]) for b in view["builders"]],
            "starts_on": view["starts_on"], "ends_on": view["ends_on"],
            "budget": view["budget"], "criteria": [*rows, blank]}


class ObservationForm(FlaskForm):
    """One observation of one criterion."""

    criterion_id = _select("Criterion")
    value = StringField("Value", widget=NumberInput(step="any"))
    observed_on = StringField("Date observed", widget=DateInput())
    note = TextAreaField("Note")

    def to_payload(self) -> dict[str, Any]:
        """The service's payload."""
        raw = self.criterion_id.data or ""
        return {"criterion_id": int(raw) if raw.isdigit() and len(raw) < 10 else raw,
                "value": number_or_text(self.value.data),
                "observed_on": self.observed_on.data or "", "note": self.note.data or ""}


class IncidentForm(FlaskForm):
    """One incident."""

    what = TextAreaField("What happened")
    category = _select("Risk category")
    severity = _select("Severity (1-5)", SEVERITIES)
    occurred_on = StringField("Date", widget=DateInput())

    def to_payload(self) -> dict[str, Any]:
        """The service's payload."""
        raw = self.severity.data or ""
        return {"what": self.what.data or "", "category": self.category.data or "",
                "severity": int(raw) if raw.isdigit() and len(raw) < 3 else raw,
                "occurred_on": self.occurred_on.data or ""}
