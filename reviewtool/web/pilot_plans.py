"""The pilot plan page (grantmakers): written while the project is in review, amended or
deviated from with a justification once the pilot runs. The rules live in
services/pilot_plans.py; this page only collects and lays out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.enums import Role
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.services import pilot_plans
from reviewtool.services.accounts import active_users_with_role
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.pilot import pilot_view
from reviewtool.web.form_errors import attach, form_problems
from reviewtool.web.pilot_forms import PlanForm, plan_form_data
from reviewtool.web.pipeline import attempt, pages
from reviewtool.web.repeat_rows import added_row

bp = pages("pilot_plans", __name__)
PLAN_FIELDS = {"builder_id": "builders", "builder_ids": "builders"}
PLAIN = {"ends_on is before starts_on.": "The end date is before the start date."}


def _builder_choices() -> list[tuple[int, str]]:
    return [(u.id, f"{u.name} ({u.email})")
            for u in active_users_with_role(db.session(), Role.BUILDER)]


def _render_plan(project: Project, form: PlanForm, *, problems: list[str] | None = None,
                 status: int = 200):
    form.setup(load_catalogues(db.session()), _builder_choices())
    pilot = project.pilot
    frozen = pilot is not None and pilot.frozen_at is not None
    observed = frozen and any(c.observations for c in pilot.criteria)
    return render_template("pilots/plan.html", project=project, form=form, pilot=pilot,
                           frozen=frozen, observed=observed, problems=problems or []), status


@bp.route("/projects/<int:project_id>/pilot/plan", methods=["GET", "POST"])
@project_route("plan_pilot")
def plan(project: Project):
    """Write the pilot plan; once it is frozen every change needs a justification."""
    pilot_plans.require_plannable(project)
    session = db.session()
    if request.method == "GET":
        view = pilot_view(session, project, workflow().settings)
        return _render_plan(project, PlanForm(data=plan_form_data(view)))
    form = PlanForm()
    if added_row({"criteria"}):
        form.add_blank()  # "Add another criterion" without the script: nothing is saved
        return _render_plan(project, form)
    if not form.validate_on_submit():
        return _render_plan(project, form, status=422, problems=form_problems(form))
    frozen = project.pilot is not None and project.pilot.frozen_at is not None
    payload, rows = form.to_payload(frozen)
    saved = attempt(pilot_plans.save_plan, session, actor(), project, payload,
                    load_catalogues(session))
    if not saved.ok:
        form.setup(load_catalogues(session), [])  # labels first: the problems name them
        problems = attach(form, saved.error.problems,
                          lists={"criteria": (form.criteria, rows)}, aliases=PLAN_FIELDS,
                          plain=PLAIN)
        return _render_plan(project, form, problems=problems, status=saved.error.status)
    kind = project.pilot.changes[-1].kind if frozen else None
    flash({"amendment": "Plan change logged as an amendment.",
           "deviation": "Plan change logged as a deviation."}.get(kind, "Pilot plan saved."))
    return redirect(url_for("pilots.show", project_id=project.id))
