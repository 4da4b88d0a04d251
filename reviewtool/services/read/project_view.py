"""The project page as one viewer sees it: where the project is, what they may do now, and
every section, with the flags the template shows controls by (it never checks roles)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.enums import EDITABLE_STATES, State
from reviewtool.errors import Forbidden
from reviewtool.models import Project, User
from reviewtool.permissions import can, is_assigned_reviewer
from reviewtool.services import proposals
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.read.consultations import community_view
from reviewtool.services.read.decision import decision_section
from reviewtool.services.read.history import project_history
from reviewtool.services.read.labels import category_labels, risk_texts
from reviewtool.services.read.next_step import next_step
from reviewtool.services.read.pilot import pilot_section
from reviewtool.services.read.portfolio import context_for
from reviewtool.services.read.risk_model import risk_model_view
from reviewtool.services.read.rounds import rounds_view
from reviewtool.services.read.trajectory import trajectory_view
from reviewtool.services.rounds import current_round
from reviewtool.services.transitions import allowed_triggers
from reviewtool.workflow import Workflow


def review_section(session: Session, project: Project, viewer: User,
                   cats: Catalogues) -> dict[str, Any]:
    """What the "Senior review" section shows `viewer`: the rounds as they may see them, and
    whether they may assign reviewers, write their review, or declare a conflict."""
    try:
        rounds = rounds_view(session, project, viewer)
    except Forbidden as refused:
        return {"hidden": refused.messages[0], "rounds": []}
    open_round = current_round(session, project)
    mine = next((a for a in open_round.assignments if a.reviewer_id == viewer.id
                 and a.withdrawn_at is None), None) if open_round else None
    return {
        "hidden": None, "rounds": rounds,
        "category_labels": category_labels(session, cats, project),
        "risk_text": risk_texts(session, project),
        "can_assign": (open_round is not None and project.state == State.REVIEW
                       and can(viewer, "steward", project)),
        "my_assignment": mine,
        # Reviewers with a live assignment may still declare a conflict (it withdraws them).
        "can_declare": (can(viewer, "declare_conflict", project)
                        and is_assigned_reviewer(viewer, project)),
        "can_steer": can(viewer, "steward", project),
    }


def _trajectory(session: Session, project: Project, viewer: User):
    """The trajectory from round 2 on; None before, or for a viewer who sees no figures."""
    if not can(viewer, "see_reviews", project):
        return None
    view = trajectory_view(session, project, viewer)
    return view if len(view.rounds) >= 2 else None


def project_view(session: Session, project: Project, viewer: User, workflow: Workflow,
                 settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything the project page shows `viewer`."""
    cats = load_catalogues(session)
    revision = project.current_revision
    thresholds = workflow.settings if settings is None else settings
    editable = can(viewer, "edit", project) and project.state in EDITABLE_STATES
    view = {
        "project": project, "revision": revision, "cats": cats,
        "stepper": workflow.stepper(project.state),
        "history": project_history(session, project),
        "actions": [workflow.trigger(t) for t in allowed_triggers(workflow, viewer, project)],
        "state_labels": workflow.state_labels(), "trigger_labels": workflow.trigger_labels(),
        "can_edit": editable,
        "can_edit_risks": editable and project.state != State.DRAFT,
        "can_write_safeguards": editable and project.state == State.REVISION,
        "missing": proposals.missing_fields(revision) if project.state == "draft" else [],
        "risky": proposals.risky_needs(revision, cats),
        "risk_view": risk_model_view(session, revision, thresholds, cats),
        "review": review_section(session, project, viewer, cats),
        "trajectory": _trajectory(session, project, viewer),
        "pilot_section": pilot_section(session, project, viewer, thresholds),
        "decision": decision_section(session, project, viewer),
        "today": date.today().isoformat(),
        "max_concern": thresholds.get("max_concern_pct", 30),
        "type_context": context_for(session, project, viewer),
        "community": community_view(session, revision.project_type),
        "can_open_consultations": can(viewer, "run_consultations"),
    }
    view["next"] = next_step(project, view)
    return view
