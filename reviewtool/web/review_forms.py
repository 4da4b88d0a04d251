"""The senior-review forms: the review itself, assigning a reviewer, declaring a conflict.

They only collect and show; services/reviews.py owns every rule (a rationale for "net
negative", known categories and risks, the attestation) and says what is wrong."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from reviewtool.models import Review
from reviewtool.web.proposal_forms import CheckboxesField
from reviewtool.web.risk_forms import BLANK, LIKELIHOOD, SEVERITY

STANCES = [("optimistic", "Optimistic"), ("neutral", "Neutral"), ("pessimistic", "Pessimistic")]
YES_NO = [("yes", "Yes"), ("no", "No")]
CONFIDENCE = [("1", "1 (a guess)"), ("2", "2"), ("3", "3"), ("4", "4"),
              ("5", "5 (very sure)")]
EXPERTISE = [("general", "General"), ("familiar", "Familiar"), ("expert", "Expert")]


class RiskScoreRow(Form):
    """The reviewer's own scores for one risk of the model; both left blank means no score."""

    risk_id = HiddenField()
    likelihood = SelectField("Your likelihood", choices=[*BLANK, *LIKELIHOOD],
                             validate_choice=False)
    severity = SelectField("Your severity", choices=[*BLANK, *SEVERITY], validate_choice=False)


class ReviewForm(FlaskForm):
    """One senior review. Choices not in the lists reach the service, which names them."""

    stance = RadioField("Stance", choices=STANCES, validate_choice=False)
    net_negative = RadioField("Could this project be net negative?", choices=YES_NO,
                              validate_choice=False)
    rationale = TextAreaField("Why? (required if yes)")
    concern_categories = CheckboxesField("Which risk categories worry you?",
                                         validate_choice=False)
    scores = FieldList(FormField(RiskScoreRow))
    suggested_safeguards = TextAreaField("Suggested safeguards (one per line)")
    confidence = SelectField("Confidence", choices=[*BLANK, *CONFIDENCE], validate_choice=False)
    expertise = SelectField("Expertise", choices=EXPERTISE, validate_choice=False)
    no_conflict = BooleanField("I have no conflict of interest with this project")

    def setup(self, categories: list[dict[str, Any]], risks: list[Any]) -> None:
        """Offer the categories of the revision under review, one score row per risk (in the
        model's order), and name each row's controls after its risk."""
        self.concern_categories.choices = [(c["key"], c["label"]) for c in categories]
        given = {row.form.risk_id.data: row for row in self.scores}
        while len(self.scores):
            self.scores.pop_entry()
        for risk in risks:
            old = given.get(str(risk.id))
            self.scores.append_entry({"risk_id": str(risk.id),
                                      "likelihood": old.form.likelihood.data if old else "",
                                      "severity": old.form.severity.data if old else ""})
            row = self.scores[-1].form
            row.likelihood.label.text = f"{risk.description} — your likelihood"
            row.severity.label.text = f"{risk.description} — your severity"

    def to_data(self) -> tuple[dict[str, Any], list[int]]:
        """The form's values in the service's shape, and for each risk score sent the index
        of its row. Blanks become None so that the service's own messages say what is
        missing."""
        scores, rows = [], []
        for index, row in enumerate(self.scores):
            data = row.form.data
            likelihood, severity = data["likelihood"] or "", data["severity"] or ""
            if not likelihood and not severity:
                continue
            scores.append({"risk_id": int(data["risk_id"]) if data["risk_id"].isdigit() else None,
                           "likelihood": int(likelihood) if likelihood.isdigit() else None,
                           "severity": int(severity) if severity.isdigit() else None})
            rows.append(index)
        answer = self.net_negative.data
        confidence = self.confidence.data or ""
        return {
            "stance": self.stance.data or None,
            "net_negative": {"yes": True, "no": False}.get(answer or ""),
            "rationale": self.rationale.data or "",
            "concern_categories": list(self.concern_categories.data or []),
            "risk_scores": scores,
            "suggested_safeguards": [line.strip() for line in
                                     (self.suggested_safeguards.data or "").splitlines()
                                     if line.strip()],
            "confidence": int(confidence) if confidence.isdigit() else None,
            "expertise": self.expertise.data or None,
            "no_conflict": bool(self.no_conflict.data),
        }, rows


def review_form_data(review: Review | None) -> dict[str, Any]:
    """Initial data: the reviewer's saved review when editing, else a blank form."""
    if review is None:
        return {"expertise": "familiar"}
    return {"stance": review.stance, "net_negative": "yes" if review.net_negative else "no",
            "rationale": review.rationale, "concern_categories": list(review.concern_categories),
            "scores": [{"risk_id": str(s["risk_id"]), "likelihood": str(s["likelihood"]),
                        "severity": str(s["severity"])} for s in review.risk_scores],
            "suggested_safeguards": "\n".join(review.suggested_safeguards),
            "confidence": str(review.confidence), "expertise": review.expertise,
            # Attested when it was submitted; an edit keeps the attestation visible.
            "no_conflict": review.no_conflict_attested}


class AssignForm(FlaskForm):
    """The "Assign" button of one candidate row."""

    user_id = HiddenField()
    due_on = DateField("Due date", validators=[Optional()])


class SearchForm(Form):
    """The reviewer search (a GET form, so no CSRF token)."""

    q = StringField("Search reviewers by name or e-mail")


class ConflictForm(FlaskForm):
    """Declaring a conflict of interest, which withdraws the reviewer."""

    kind = SelectField("Kind of conflict", validate_choice=False)
    note = TextAreaField("Note (optional)")
