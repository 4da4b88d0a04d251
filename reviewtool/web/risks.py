"""The risk-model editor page."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from reviewtool import db
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import require_editable
from reviewtool.services.read.risk_model import risk_model_view
from reviewtool.services.risks import replace_risk_model
from reviewtool.web.form_errors import attach
from reviewtool.web.pipeline import attempt, pages
from reviewtool.web.repeat_rows import added_row
from reviewtool.web.risk_forms import RiskModelForm, form_data, template_row

bp = pages("risks", __name__)


@bp.route("/projects/<int:project_id>/risks/edit", methods=["GET", "POST"])
@project_route()
def edit(project: Project):
    """Edit the downside-risk model, one section per category."""
    session = db.session()
    require_editable(actor(), project)  # 403 for others; 409 when not editable now
    cats = load_catalogues(session)
    view = risk_model_view(session, project.current_revision, workflow().settings, cats)
    labels = {c["key"]: c["label"] for c in view["categories"]}
    form = RiskModelForm()
    status, problems = 200, []
    if not form.is_submitted():
        exclusions = {e["category"]: e["reason"] for e in view["not_applicable"]}
        form = RiskModelForm(data={**form_data(view["categories"], view["risks"], exclusions),
                                   "version": project.version})
    elif adding := added_row(labels):
        form.add_blank(adding)  # "Add another risk" without the script: nothing is saved
    elif form.validate():
        payload, rows = form.to_payload()
        version = form.version.data or ""
        payload["version"] = int(version) if version.isdigit() else -1
        saved = attempt(replace_risk_model, session, actor(), project, payload)
        if saved.ok:
            flash("Risk model saved.")
            return redirect(url_for("risks.edit", project_id=project.id))
        status = saved.error.status
        form.label_rows(labels)  # the summary names each control by its label
        # The payload's not_applicable.N is the N-th row whose box is ticked (see to_payload).
        excluded = [i for i, row in enumerate(form.exclusions) if row.form.not_applicable.data]
        problems = attach(form, saved.error.problems,
                          lists={"risks": (form.risks, rows),
                                 "not_applicable": (form.exclusions, excluded)},
                          aliases={"category": "reason"})
    else:
        status = 422
    form.label_rows(labels)
    blanks = {key: template_row(key, label) for key, label in labels.items()}
    return render_template("risks/edit.html", project=project, form=form, view=view,
                           problems=problems, labels=labels, invalid=status == 422,
                           blanks=blanks), status
