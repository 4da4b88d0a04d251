"""Panellist pages: one's panel details and consent, and answering a wave one was invited
to. A panellist never sees anyone else's answer, nor any figure, before or after."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.http.pipeline import actor
from reviewtool.permissions import require
from reviewtool.services import consultations as service
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.consultation_panel import consenting, save_profile
from reviewtool.services.read.consultation_panel import answer_snapshot, panel_home, wave_question
from reviewtool.web.consultation_forms import (
    BLANK,
    AnswerForm,
    PanelForm,
    answer_form_data,
    panel_form_data,
)
from reviewtool.web.form_errors import attach
from reviewtool.web.pipeline import attempt, pages

bp = pages("panel", __name__)
PLAIN = {"stance": "Choose your view: optimistic, neutral or pessimistic.",
         "net_negative": "Answer “Could it be net negative?” with yes or no.",
         "confidence": "Choose your confidence, from 1 to 5.",
         "work_group": "Choose your work group.",
         "technical": "Choose your contribution mode: technical or non-technical.",
         "seniority": "Choose your seniority."}


@bp.route("/panel", methods=["GET", "POST"])
def home():
    """Describe yourself to the panel, give or withdraw consent; your open invitations."""
    require(actor(), "panel_member")
    session = db.session()
    cats = load_catalogues(session)
    home_data = panel_home(session, actor())
    form = PanelForm() if request.method == "POST" else \
        PanelForm(data=panel_form_data(home_data["member"]))
    form.work_group.choices = [*BLANK, *cats.choices("work_groups")]
    form.profession.choices = [*BLANK, *cats.choices("professions")]
    if request.method == "GET":
        return render_template("consultations/panel.html", form=form, home=home_data,
                               problems=[])
    if not form.validate_on_submit():
        return render_template("consultations/panel.html", form=form, home=home_data,
                               problems=["The form expired; send it again."]), 400
    saved = attempt(save_profile, session, actor(), form.to_data(), cats)
    if not saved.ok:
        problems = attach(form, saved.error.problems, plain=PLAIN)
        return render_template("consultations/panel.html", form=form, home=home_data,
                               problems=problems), saved.error.status
    flash("Your panel details are saved." if saved.value.consenting else
          "Your consent is withdrawn: you will not be invited again, and your earlier answers "
          "are no longer linked to you.")
    return redirect(url_for("panel.home")), 303


@bp.route("/consultations/<int:consultation_id>/waves/<int:number>/answer",
          methods=["GET", "POST"])
def answer(consultation_id: int, number: int):
    """Answer a wave you were invited to, or change your answer until it closes."""
    session, user = db.session(), actor()
    require(user, "answer_consultations", consenting=consenting(session, user))
    consultation = service.load_consultation(session, consultation_id)
    wave = service.wave_of(consultation, number)
    service.invitation(session, user, wave)  # 404 unless invited
    cats = load_catalogues(session)
    mine = answer_snapshot(service.my_answer(session, user, wave))
    form = AnswerForm() if request.method == "POST" else AnswerForm(data=answer_form_data(mine))
    form.concern_categories.choices = cats.choices("risk_categories")
    shown = {"q": wave_question(consultation, wave), "form": form, "answered": mine is not None}
    if request.method == "GET":
        return render_template("consultations/answer.html", **shown, problems=[])
    if not form.validate_on_submit():
        return render_template("consultations/answer.html", **shown,
                               problems=["The form expired; send it again."]), 400
    saved = attempt(service.submit_answer, session, user, consultation, number,
                    form.to_data(), cats)
    if not saved.ok:
        problems = attach(form, saved.error.problems, plain=PLAIN)
        return render_template("consultations/answer.html", **shown,
                               problems=problems), saved.error.status
    flash("Thank you: your answer is saved. You can change it until the wave closes.")
    return redirect(url_for("panel.home")), 303
