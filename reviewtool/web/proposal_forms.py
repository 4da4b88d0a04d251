"""The proposal form. It only collects and shows; the rules live in services/proposals.py."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from reviewtool.services.catalogues import Catalogues
from reviewtool.web.repeat_rows import template_prefix

BLANK_ROLE_ROWS = 1  # then "Add another role"
BLANK_ROLE = {"need": "", "commitment": "fractional"}


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes; each box has its own label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoleNeededForm(Form):
    """One needed profession or skill; a row with no choice is ignored."""

    need = SelectField("Profession or skill", validate_choice=False)
    technical = BooleanField("Technical (needs ML knowledge)")
    commitment = SelectField("Commitment", choices=[("fractional", "Fractional"),
                                                    ("full_time", "Full-time (30+ h/week)")])
    hours_per_month = IntegerField("Hours per month", validators=[Optional()])


class ProposalForm(FlaskForm):
    """Every field of a proposal; outcomes are one checkbox and one measure per outcome."""

    title = StringField("Title")
    summary = TextAreaField("Summary (Markdown)")
    project_type = SelectField("Project type", validate_choice=False)
    work_groups = CheckboxesField("Work groups", validate_choice=False)
    activity = RadioField("What the project does for the field", validate_choice=False,
                          choices=[("start", "Start"), ("sustain", "Sustain"),
                                   ("scale", "Scale")])
    roles = FieldList(FormField(RoleNeededForm), min_entries=1)
    location = StringField("Location")
    budget = StringField("Budget")
    timeline = TextAreaField("Timeline")
    version = HiddenField()

    def setup(self, cats: Catalogues) -> None:
        """Fill the choices from the catalogues, and label each role row by its number."""
        self.project_type.choices = [("", "Choose a type…"), *cats.choices("project_types")]
        self.work_groups.choices = cats.choices("work_groups")
        needs = [("", "None")]
        needs += [(f"profession:{k}", f"Profession: {v}") for k, v in cats.choices("professions")]
        needs += [(f"skill:{k}", f"Skill: {v}") for k, v in cats.choices("skills")]
        for number, row in enumerate(self.roles, start=1):
            name_role(row.form, f"Role {number}", needs)
        self.template = RoleNeededForm(prefix=template_prefix("roles"), data=BLANK_ROLE)
        name_role(self.template, "Role __number__", needs)

    def add_blank(self) -> None:
        """One more blank role row ("Add another role" without the script)."""
        self.roles.append_entry(BLANK_ROLE)

    def to_data(self, outcomes: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The form's values in the service's shape."""
        roles = []
        for row in self.roles:
            kind, _, key = (row.need.data or "").partition(":")
            if not key:
                continue
            roles.append({"kind": kind, "key": key, "technical": bool(row.technical.data),
                          "commitment": row.commitment.data,
                          "hours_per_month": row.hours_per_month.data})
        return {
            "title": self.title.data or "", "summary": self.summary.data or "",
            "project_type": self.project_type.data or None,
            "work_groups": list(self.work_groups.data or []),
            "activity": self.activity.data or None,
            "outcomes": [{"outcome": k, "measure": v["measure"]} for k, v in outcomes.items()
                         if v["chosen"]],
            "roles_needed": roles, "location": self.location.data or "",
            "budget": self.budget.data or "", "timeline": self.timeline.data or "",
        }


def name_role(form: RoleNeededForm, prefix: str, needs: list[tuple[str, str]]) -> None:
    """A role row's choices, and labels that name the row."""
    form.need.choices = needs
    for sub in form:
        sub.label.text = f"{prefix}: {sub.label.text.split(': ', 1)[-1]}"


def form_data_from(values: dict[str, Any]) -> dict[str, Any]:
    """Stored proposal values → the form's initial data (role rows plus blank ones)."""
    roles = [{"need": f"{n['kind']}:{n['key']}", "technical": n.get("technical", False),
              "commitment": n.get("commitment", "fractional"),
              "hours_per_month": n.get("hours_per_month")} for n in values["roles_needed"]]
    roles += [BLANK_ROLE] * BLANK_ROLE_ROWS
    return {**values, "roles": roles}
