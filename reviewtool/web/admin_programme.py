"""Admins' pages for running the programme: the workflow in use drawn with its thresholds,
the catalogues (and adding to them), and the outbox (what waits, what failed, retry)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from reviewtool import db
from reviewtool.enums import CATALOGUES
from reviewtool.http.pipeline import actor, workflow
from reviewtool.models import Project
from reviewtool.permissions import require
from reviewtool.services import outbox
from reviewtool.services.catalogues import add_entry, latest_risk_catalogue, load_catalogues
from reviewtool.services.read.outbox import outbox_view
from reviewtool.services.workflows import load_app_workflow
from reviewtool.web.account_forms import ButtonForm
from reviewtool.web.form_errors import attach, form_problems
from reviewtool.web.pipeline import attempt, pages
from reviewtool.workflow.diagram import diagram, moves

bp = pages("admin_programme", __name__)


def catalogue_name(name: str) -> str:
    """"risk_categories" → "Risk categories"."""
    return name.replace("_", " ").capitalize()


class CatalogueEntryForm(FlaskForm):
    """A new entry of one catalogue."""

    catalogue = SelectField("Catalogue", choices=[(c, catalogue_name(c)) for c in CATALOGUES])
    key = StringField("Key", validators=[DataRequired(), Length(max=60)])
    label = StringField("Label", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    guidance = TextAreaField("Guidance for proposers (risk categories)",
                             validators=[Optional(), Length(max=2000)])


@bp.get("/admin/workflow")
def workflow_page():
    """The workflow new projects start under, drawn, with its thresholds; and the other
    workflows projects still run under (?name=...)."""
    require(actor(), "read_workflow")
    session = db.session()
    configured = workflow()
    in_use = dict(session.execute(select(Project.workflow_name, func.count())
                                  .group_by(Project.workflow_name)).all())
    name = request.args.get("name") or configured.name
    if name not in {configured.name, *in_use}:  # only names we know: never a path
        abort(404)
    shown = configured if name == configured.name else load_app_workflow(name)
    names = sorted({configured.name, *in_use})
    return render_template("admin/workflow.html", workflow=shown, configured=configured,
                           svg=diagram(shown.definition), moves=moves(shown.definition),
                           settings=dict(shown.settings), in_use=in_use, names=names)


def _catalogues_page(form: CatalogueEntryForm, problems: list[str], status: int = 200):
    session = db.session()
    version = latest_risk_catalogue(session)
    return render_template("admin/catalogues.html", form=form, problems=problems,
                           catalogues=load_catalogues(session).lists, name_of=catalogue_name,
                           risk_version=version.number if version else None), status


@bp.get("/admin/catalogues")
def catalogues():
    """Every catalogue's entries, and a form to add one."""
    require(actor(), "edit_catalogues")
    return _catalogues_page(CatalogueEntryForm(), [])


@bp.post("/admin/catalogues")
def add_catalogue_entry():
    """Add an entry; a new risk category freezes a new risk-catalogue version."""
    require(actor(), "edit_catalogues")
    form = CatalogueEntryForm()
    if not form.validate_on_submit():
        return _catalogues_page(form, form_problems(form), 422)
    guidance = (form.guidance.data or "").strip()
    extra = {"guidance": guidance} if guidance else {}
    added = attempt(add_entry, db.session(), actor(), form.catalogue.data, form.key.data.strip(),
                    form.label.data, description=form.description.data or "", extra=extra)
    if not added.ok:
        return _catalogues_page(form, attach(form, added.error.problems), added.error.status)
    flash(f"{catalogue_name(form.catalogue.data)}: '{added.value.label}' added.")
    return redirect(url_for("admin_programme.catalogues"))


@bp.get("/admin/outbox")
def outbox_page():
    """Mail waiting to go and mail given up on, with the last error; retry a failed one."""
    require(actor(), "manage_outbox")
    return render_template("admin/outbox.html", view=outbox_view(db.session()),
                           button=ButtonForm())


@bp.post("/admin/outbox/<int:message_id>/retry")
def retry(message_id: int):
    """Try a message again now, with a fresh set of attempts."""
    message = outbox.retry(db.session(), actor(), message_id)
    flash(f"Message {message.id} to {message.to_email} will be tried again now.")
    return redirect(url_for("admin_programme.outbox_page"))
