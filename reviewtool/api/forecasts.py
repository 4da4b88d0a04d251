"""Forecasts of a pilot and the calibration figures (api/openapi_forecasts.py documents them)."""

from __future__ import annotations

from reviewtool import db
from reviewtool.api.pipeline import bp, json_body
from reviewtool.errors import NotFound
from reviewtool.http.pipeline import actor, project_route
from reviewtool.models import Project
from reviewtool.services import decision_forecasts, forecasts
from reviewtool.services.decisions import latest_decision
from reviewtool.services.read.calibration import calibration_view
from reviewtool.services.read.forecasts import forecasts_view


def _view(project: Project) -> dict:
    view = forecasts_view(db.session(), project, actor())
    if view is None:
        raise NotFound(f"Project {project.id} has no pilot that started.")
    return view


@bp.get("/projects/<int:project_id>/forecasts")
@project_route("see_reviews")
def get_forecasts(project: Project):
    """The pilot's forecasts as the caller may see them."""
    return _view(project)


@bp.post("/projects/<int:project_id>/forecasts")
@project_route("forecast")
def post_forecasts(project: Project):
    """Lock the caller's forecasts: {forecasts: [{criterion_id, probability}]}."""
    _view(project)
    forecasts.submit(db.session(), actor(), project, json_body())
    return _view(project), 201


@bp.get("/calibration")
def get_calibration():
    """Calibration figures: the caller's, and everyone's for grantmakers and admins."""
    return calibration_view(db.session(), actor())


@bp.post("/projects/<int:project_id>/decision/outcome")
@project_route("record_outcome")
def post_outcome(project: Project):
    """Record {met: true|false} for a go with an outcome forecast, which is then scored."""
    session = db.session()
    forecast = decision_forecasts.record_outcome(session, actor(), project, json_body(),
                                                 latest_decision(session, project))
    return decision_forecasts.outcome_json(forecast)
