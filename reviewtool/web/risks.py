"""The risk-model editor page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from reviewtool import db
from reviewtool.errors import Conflict, Invalid
from reviewtool.permissions import load_project, require_edit
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.risk_view import risk_model_view
from reviewtool.services.risks import replace_risk_model
from reviewtool.web.helpers import commit, workflow
from reviewtool.web.risk_forms import RiskModelForm, form_data

bp = Blueprint("risks", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every page here needs a signed-in user."""


def _attach(form: RiskModelForm, problems: list[dict], rows: list[int]) -> list[str]:
    """Put each problem next to its control; return the ones that belong to no single row."""
    loose = []
    # The payload's not_applicable.N is the N-th row whose box is ticked (see to_payload).
    excluded = [i for i, row in enumerate(form.exclusions) if row.form.not_applicable.data]
    for problem in problems:
        parts = problem.get("field", "").split(".")
        field = None
        if len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if parts[0] == "risks" and index < len(rows):
                field = getattr(form.risks[rows[index]].form, parts[2], None)
            elif parts[0] == "not_applicable" and index < len(excluded):
                field = form.exclusions[excluded[index]].form.reason  # its one visible field
        if field is not None and field.type != "HiddenField":
            field.errors = [*field.errors, problem["message"].split(" ", 1)[-1]]
        else:
            loose.append(problem["message"])
    return loose


@bp.route("/projects/<int:project_id>/risks/edit", methods=["GET", "POST"])
def edit(project_id: int):
    """Edit the downside-risk model, one section per category."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    require_edit(current_user, project)  # 403 for others; 409 when not editable now
    cats = load_catalogues(session)
    view = risk_model_view(session, project.current_revision, workflow().settings, cats)
    labels = {c["key"]: c["label"] for c in view["categories"]}
    form = RiskModelForm()
    status, problems = 200, []
    if not form.is_submitted():
        exclusions = {e["category"]: e["reason"] for e in view["not_applicable"]}
        form = RiskModelForm(data={**form_data(view["categories"], view["risks"], exclusions),
                                   "version": project.version})
    elif form.validate():
        payload, rows = form.to_payload()
        version = form.version.data or ""
        payload["version"] = int(version) if version.isdigit() else -1
        try:
            replace_risk_model(session, current_user, project, payload)
        except (Invalid, Conflict) as exc:
            session.rollback()
            status = exc.status
            problems = _attach(form, exc.problems, rows) if isinstance(exc, Invalid) \
                else exc.messages
        else:
            commit()
            flash("Risk model saved.")
            return redirect(url_for("risks.edit", project_id=project.id))
    else:
        status = 422
    form.label_rows(labels)
    return render_template("risks/edit.html", project=project, form=form, view=view,
                           problems=problems, labels=labels, invalid=status == 422), status
