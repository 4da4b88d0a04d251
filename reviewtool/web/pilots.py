"""The pilot page: plan, freeze hash, criteria and their verdicts, alerts, incidents and
changes; and resolving an alert (grantmakers). The plan and the builders' records have their
own pages (web/pilot_plans.py, web/pilot_records.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from reviewtool import db
from reviewtool.errors import NotFound
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Project
from reviewtool.services import pilot_records
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.pilot import pilot_section
from reviewtool.web.pipeline import pages

bp = pages("pilots", __name__)


def require_pilot(project: Project) -> None:
    """404 for a project that has no pilot plan yet."""
    if project.pilot is None:
        raise NotFound(f"Project {project.id} has no pilot plan yet.")


@bp.get("/projects/<int:project_id>/pilot")
@project_route()
def show(project: Project):
    """The pilot: plan, freeze hash, criteria and their verdicts, alerts, incidents, changes."""
    require_pilot(project)
    session = db.session()
    return render_template("pilots/show.html", project=project, cats=load_catalogues(session),
                           pilot=pilot_section(session, project, actor(), workflow().settings))


@bp.post("/projects/<int:project_id>/alerts/<int:alert_id>/resolve")
@project_route("steward")
def resolve_alert(project: Project, alert_id: int):
    """Mark a pilot alert as dealt with (grantmakers), then back to the pilot page."""
    require_pilot(project)
    pilot_records.resolve_alert(db.session(), actor(), project, alert_id)
    flash("Alert marked as resolved.")
    return redirect(url_for("pilots.show", project_id=project.id)), 303
