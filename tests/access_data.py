"""The data set of the access matrix: one project in every state of the default workflow,
owned by one proposer who is also a grantmaker, and one person of every kind the matrix asks
about. Everything is made through the real services, as the app would make it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from reviewtool.models import Alert, Project, User
from reviewtool.services import forecasts
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.reviews import assign_reviewer, declare_conflict
from reviewtool.services.transitions import fire
from tests.consultation_factories import consultation_with_waves, panellist
from tests.factories import (
    ProjectFactory,
    UserFactory,
    _session,
    complete_risk_model,
    grantmaker,
    reviewer,
    submit,
)
from tests.pilot_factories import builder, criterion, observe, plan_data

STATES = ("draft", "risk_model", "review", "revision", "pilot", "decision", "go", "no_go",
          "withdrawn")
IDENTITIES = ("anonymous", "owner", "proposer", "reviewer", "reviewer_unassigned",
              "reviewer_withdrawn", "grantmaker", "grantmaker_conflicted", "builder",
              "builder_other", "admin", "panellist", "panellist_uninvited")


@dataclass
class AccessData:
    """Who is who, and the project in each state."""

    users: dict[str, User] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    alert_id: int = 0
    owner_token_id: int = 0
    consultation_id: int = 0
    outbox_id: int = 0


def _in_review(data: AccessData, workflow, extra_reviewers: list[User]) -> Project:
    """A project in review: the matrix's reviewer and two others reviewed round 1 (no one
    says net negative), and the withdrawn reviewer was assigned, then declared a conflict."""
    session = _session()
    project = ProjectFactory(owner=data.users["owner"])
    fire(session, workflow, project, "submit", actor=project.owner)
    complete_risk_model(project.current_revision)
    fire(session, workflow, project, "request_review", actor=project.owner)
    gm = data.users["grantmaker"]
    for user in (data.users["reviewer"], data.users["reviewer_withdrawn"], *extra_reviewers):
        assign_reviewer(session, gm, project, user.id)
    for user in (data.users["reviewer"], *extra_reviewers):
        submit(project, user, stance="optimistic")
    declare_conflict(session, data.users["reviewer_withdrawn"], project, "personal")
    return project


def _with_pilot(data: AccessData, workflow, extra: list[User], *, finished: bool) -> Project:
    session = _session()
    gm = data.users["grantmaker"]
    project = _in_review(data, workflow, extra)
    save_plan(session, gm, project, plan_data(data.users["builder"]), load_catalogues(session))
    fire(session, workflow, project, "start_pilot", actor=gm)
    # The matrix's reviewer forecasts every pilot: once finished, their name shows in the
    # calibration figures of those who may see everyone's.
    forecasts.submit(session, data.users["reviewer"], project, {"forecasts": [
        {"criterion_id": c.id, "probability": 60} for c in project.pilot.criteria]})
    observe(project, data.users["builder"], "kill", 5)  # breached: an alert is raised
    if finished:
        observe(project, data.users["builder"], "success", 12)
        fire(session, workflow, project, "finish_pilot", actor=data.users["builder"])
    return project


def build_access_data(workflow) -> AccessData:
    """Make the people and the nine projects; the conflicted grantmaker declares a conflict
    with every project that has left draft."""
    session = _session()
    data = AccessData()
    data.users = {
        "owner": UserFactory(roles=("proposer", "grantmaker"), name="Olive Owner"),
        "proposer": UserFactory(name="Percy Proposer"),
        "reviewer": reviewer(name="Rita Reviewer", email="rita.reviewer@matrix.test"),
        "reviewer_unassigned": reviewer(name="Uma Unassigned"),
        "reviewer_withdrawn": reviewer(name="Walt Withdrawn"),
        "grantmaker": grantmaker(name="Gina Grantmaker"),
        "grantmaker_conflicted": grantmaker(name="Carl Conflicted"),
        "builder": builder(name="Bo Builder"),
        "builder_other": builder(name="Oona Otherbuilder"),
        "admin": UserFactory(roles=("admin",), name="Ada Admin"),
        "panellist": panellist(name="Pam Panellist"),
        "panellist_uninvited": panellist(name="Nell Notinvited"),
    }
    extra = [reviewer(), reviewer()]
    gm = data.users["grantmaker"]
    made = data.projects
    made["draft"] = ProjectFactory(owner=data.users["owner"])
    made["risk_model"] = ProjectFactory(owner=data.users["owner"])
    fire(session, workflow, made["risk_model"], "submit", actor=data.users["owner"])
    made["withdrawn"] = ProjectFactory(owner=data.users["owner"])
    fire(session, workflow, made["withdrawn"], "submit", actor=data.users["owner"])
    fire(session, workflow, made["withdrawn"], "withdraw", actor=data.users["owner"])
    made["review"] = _in_review(data, workflow, extra)
    made["revision"] = _in_review(data, workflow, extra)
    fire(session, workflow, made["revision"], "request_safeguards", actor=gm)
    made["no_go"] = _in_review(data, workflow, extra)
    fire(session, workflow, made["no_go"], "no_go", actor=gm, comment="Not now.")
    made["pilot"] = _with_pilot(data, workflow, extra, finished=False)
    made["decision"] = _with_pilot(data, workflow, extra, finished=True)
    made["go"] = _with_pilot(data, workflow, extra, finished=True)
    fire(session, workflow, made["go"], "go", actor=gm, comment="Fund it.")
    # A builder of another pilot: the pilot of a project nobody else in the matrix owns.
    other = _with_pilot(AccessData(users={**data.users, "owner": UserFactory(),
                                          "builder": data.users["builder_other"]}),
                        workflow, extra, finished=False)
    for state, project in made.items():
        if state != "draft":
            declare_conflict(session, data.users["grantmaker_conflicted"], project, "other")
    data.alert_id = session.scalars(select(Alert.id).where(
        Alert.project_id == made["pilot"].id)).first()
    assert criterion(other, "kill") is not None
    # A consultation whose wave 1 closed and wave 2 is open; the panellist was invited to
    # both, the uninvited panellist to neither.
    data.consultation_id = consultation_with_waves(gm, data.users["panellist"]).id
    session.flush()
    return data
