"""The consultation forms: a consultation, the next wave, a panellist's answer, the panel.

They only collect and show; services/consultations*.py own every rule and say what is wrong
(blanks reach them as None, so their messages name what is missing)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from reviewtool.models.consultations import SENIORITY
from reviewtool.web.proposal_forms import CheckboxesField
from reviewtool.web.review_forms import CONFIDENCE, STANCES, YES_NO

BLANK = [("", "—")]


class ConsultationForm(FlaskForm):
    title = StringField("Title")
    project_type = SelectField("Project type", validate_choice=False)
    description = TextAreaField("The kind of project and the safeguards it would carry")


class WaveForm(FlaskForm):
    description = TextAreaField("Description for this wave (add the safeguards you revised)")
    closes_on = StringField("Closing date", render_kw={"type": "date"})
    sample_size = IntegerField("How many panellists to invite", validators=[Optional()])
    stratify = BooleanField("Stratify the sample by work group")


class AnswerForm(FlaskForm):
    stance = RadioField("Your view of this kind of project", choices=STANCES,
                        validate_choice=False)
    net_negative = RadioField("Could it be net negative?", choices=YES_NO,
                              validate_choice=False)
    rationale = TextAreaField("Why? (required if yes)")
    concern_categories = CheckboxesField("Which risk categories worry you?",
                                         validate_choice=False)
    suggested_safeguards = TextAreaField("Suggested safeguards (one per line)")
    confidence = SelectField("Confidence", choices=[*BLANK, *CONFIDENCE],
                             validate_choice=False)

    def to_data(self) -> dict[str, Any]:
        confidence = self.confidence.data or ""
        return {"stance": self.stance.data or None,
                "net_negative": {"yes": True, "no": False}.get(self.net_negative.data or ""),
                "rationale": self.rationale.data or "",
                "concern_categories": list(self.concern_categories.data or []),
                "suggested_safeguards": [line.strip() for line in
                                         (self.suggested_safeguards.data or "").splitlines()
                                         if line.strip()],
                "confidence": int(confidence) if confidence.isdigit() else None}


def answer_form_data(answer: dict[str, Any] | None) -> dict[str, Any]:
    """The form's values from the panellist's own answer (empty before they answered)."""
    if answer is None:
        return {}
    return {"stance": answer["stance"], "net_negative": "yes" if answer["net_negative"] else "no",
            "rationale": answer["rationale"], "concern_categories": answer["concern_categories"],
            "suggested_safeguards": "\n".join(answer["suggested_safeguards"]),
            "confidence": str(answer["confidence"])}


class PanelForm(FlaskForm):
    work_group = SelectField("Work group", validate_choice=False)
    technical = RadioField("Your contribution mode",
                           choices=[("yes", "Technical"), ("no", "Non-technical")],
                           validate_choice=False)
    profession = SelectField("Profession", validate_choice=False)
    seniority = SelectField("Seniority", choices=[*BLANK, *SENIORITY], validate_choice=False)
    consent = BooleanField("I consent to be contacted about paid participation in surveys "
                           "and to answer them")

    def to_data(self) -> dict[str, Any]:
        return {"work_group": self.work_group.data or None,
                "technical": {"yes": True, "no": False}.get(self.technical.data or ""),
                "profession": self.profession.data or None,
                "seniority": self.seniority.data or None, "consent": bool(self.consent.data)}


def panel_form_data(member: dict[str, Any] | None) -> dict[str, Any]:
    if member is None:
        return {"consent": True}
    return {"work_group": member["work_group"],
            "technical": "yes" if member["technical"] else "no",
            "profession": member["profession"] or "", "seniority": member["seniority"],
            "consent": member["consenting"]}
