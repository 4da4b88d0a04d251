"""Pilot trials through the services: `start_pilot` guarded by concern (or an override), the
plan frozen and hashed, amendments and deviations, builders' observations and incidents,
alerts to grantmakers, the evaluation, `finish_pilot` and `skip_pilot`."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from reviewtool.enums import Role
from reviewtool.errors import Conflict, Forbidden, Invalid
from reviewtool.models import Alert, OutboxMessage, PlanChange, User, UserRole
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_plans import canonical, plan_hash, save_plan
from reviewtool.services.pilot_records import record_incident
from reviewtool.services.read.pilot import evaluation
from reviewtool.services.revisions import save_revision
from reviewtool.services.rounds import current_round, round_figures
from reviewtool.services.transitions import fire
from tests.factories import assign, grantmaker, reviewer, submit
from tests.pilot_factories import (
    CONCERN_66,
    KILL,
    OVERRIDE,
    ROUND_25,
    ROUND_66,
    SUCCESS,
    builder,
    criterion,
    observe,
    plan_data,
    planned,
    running,
)

WORKLOAD = {"type": "pilot_testing", "description": "Workload capped at 4 hours a week.",
            "responsible": "Course lead", "addresses": ["participant_harm"], "concerns": [],
            "residual_likelihood": 2, "residual_severity": 2}


def amend(session, project, gm, **fields):
    """Save the plan again with the stored criteria (by id) and `fields` changed."""
    body = plan_data(project.pilot.builders[0], **fields)
    body["criteria"] = fields.get("criteria", [
        {**(SUCCESS if c.kind == "success" else KILL), "id": c.id}
        for c in project.pilot.criteria])
    return save_plan(session, gm, project, body, load_catalogues(session))


# --- start_pilot -----------------------------------------------------------------------------

def test_start_pilot_concern_66_7_without_override_is_invalid(session, workflow):
    project, gm, _ = planned(workflow, ROUND_66)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "start_pilot", actor=gm)
    assert refused.value.messages == [CONCERN_66]
    assert (project.state, project.pilot.frozen_at) == ("review", None)


def test_start_pilot_concern_66_7_with_override_records_it(session, workflow):
    project, gm, _ = planned(workflow, ROUND_66)
    event = fire(session, workflow, project, "start_pilot", actor=gm,
                 extra={"override_rationale": f"  {OVERRIDE} "})
    assert (project.state, event.from_state, event.to_state) == ("pilot", "review", "pilot")
    assert event.override_rationale == OVERRIDE
    assert project.pilot.frozen_at is not None


def test_start_pilot_blank_override_is_no_override(session, workflow):
    project, gm, _ = planned(workflow, ROUND_66)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "start_pilot", actor=gm,
             extra={"override_rationale": "   "})
    assert refused.value.messages == [CONCERN_66]


def test_start_pilot_after_round_at_25_starts_without_override(session, workflow):
    """Round 1 at 66.7 %, safeguards, round 2 at 25 %: the pilot starts without an override."""
    project, gm, _ = planned(workflow, ROUND_66)
    fire(session, workflow, project, "request_safeguards", actor=gm)
    save_revision(session, project.owner, project, {"safeguards": [WORKLOAD]},
                  load_catalogues(session))
    fire(session, workflow, project, "resubmit", actor=project.owner)
    review_round = current_round(session, project)
    carried = [a.reviewer for a in review_round.assignments]
    fourth = reviewer()
    assign(project, fourth, by=gm)
    for user, fields in zip([*carried, fourth], ROUND_25, strict=True):
        submit(project, user, **fields)
    figures = round_figures(session, review_round, project)
    assert (review_round.number, figures["n_reviews"], figures["concern_pct"]) == (2, 4, 25.0)

    event = fire(session, workflow, project, "start_pilot", actor=gm)
    assert (project.state, event.override_rationale) == ("pilot", None)


def test_start_pilot_without_kill_criterion_names_what_is_missing(session, workflow):
    project, gm, _ = planned(workflow, criteria=[SUCCESS])
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "start_pilot", actor=gm)
    assert refused.value.messages == ["The pilot plan needs at least one kill criterion."]


def test_start_pilot_freezes_plan_with_sha256_of_frozen_bytes(session, workflow):
    project, _, builder_user = running(workflow)
    session.expire_all()
    pilot = project.pilot
    assert pilot.plan_sha256 == hashlib.sha256(pilot.frozen_plan.encode()).hexdigest()
    assert json.loads(pilot.frozen_plan) == canonical(pilot)
    assert json.loads(pilot.frozen_plan)["builders"] == [builder_user.id]
    assert len(pilot.plan_sha256) == 64


# --- changes after freezing ------------------------------------------------------------------

def test_save_plan_frozen_without_justification_is_invalid(session, workflow):
    project, gm, _ = running(workflow)
    with pytest.raises(Invalid) as refused:
        amend(session, project, gm, budget="USD 4,000")
    assert refused.value.problems == [{"field": "justification", "message": "The plan is "
                                       "frozen: give a justification for the change."}]


def test_save_plan_frozen_before_observations_logs_amendment(session, workflow):
    project, gm, _ = running(workflow)
    frozen_hash = project.pilot.plan_sha256
    amend(session, project, gm, budget="USD 4,000", justification="Venue costs rose.")
    change = session.scalars(select(PlanChange)).one()
    after = canonical(project.pilot)
    assert (change.kind, change.justification, change.before["budget"],
            change.after["budget"]) == ("amendment", "Venue costs rose.", "USD 3,000",
                                        "USD 4,000")
    assert change.plan_sha256 == plan_hash(after)[1]
    assert project.pilot.plan_sha256 == frozen_hash  # the freeze hash never changes


def test_save_plan_frozen_after_observation_logs_deviation(session, workflow):
    project, gm, builder_user = running(workflow)
    observe(project, builder_user, "success", 4)
    amend(session, project, gm, budget="USD 4,000", justification="A second venue.")
    kinds = session.scalars(select(PlanChange.kind).where(
        PlanChange.pilot_id == project.pilot.id)).all()
    assert kinds == ["deviation"]


def test_save_plan_unchanged_after_freezing_is_invalid(session, workflow):
    project, gm, _ = running(workflow)
    with pytest.raises(Invalid) as refused:
        amend(session, project, gm, justification="No reason.")
    assert refused.value.messages == ["Nothing in the plan changed."]


def test_save_plan_removing_observed_criterion_conflicts(session, workflow):
    project, gm, builder_user = running(workflow)
    observe(project, builder_user, "success", 4)
    kill = criterion(project, "kill")
    with pytest.raises(Conflict) as refused:
        amend(session, project, gm, justification="Drop it.", criteria=[{**KILL, "id": kill.id}])
    assert refused.value.messages == ["Criterion 'Participants who finish' already has "
                                      "observations and cannot be removed."]


# --- builders' work and alerts ---------------------------------------------------------------

@pytest.mark.parametrize("who", ["grantmaker", "owner", "other builder"])
def test_record_observation_by_non_builder_is_forbidden(session, workflow, who):
    project, gm, _ = running(workflow)
    user = {"grantmaker": gm, "owner": project.owner, "other builder": builder()}[who]
    with pytest.raises(Forbidden) as refused:
        observe(project, user, "success", 4)
    assert refused.value.messages == ["Only the builders of this project's pilot can record "
                                      "its results."]


def test_record_observation_before_pilot_starts_conflicts(session, workflow):
    project, _, builder_user = planned(workflow)
    with pytest.raises(Conflict):
        observe(project, builder_user, "success", 4)


def test_record_observation_breached_kill_alerts_every_grantmaker_once(session, workflow):
    project, gm, builder_user = running(workflow)
    grantmaker(email="second-gm@example.org")
    observe(project, builder_user, "kill", 1)  # not breached: no alert
    assert session.scalars(select(Alert)).all() == []

    observe(project, builder_user, "kill", 3)
    alert = session.scalars(select(Alert).where(Alert.project_id == project.id)).one()
    assert (alert.kind, alert.message) == ("kill_criterion", (
        "Kill criterion breached: Participants reporting burnout >= 3 people (observed 3 on "
        f"{date.today().isoformat()})."))
    grantmakers = set(session.scalars(select(User.email).join(UserRole).where(
        UserRole.role == Role.GRANTMAKER.value)))
    sent = session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.startswith("Pilot alert: "),
        OutboxMessage.project_id == project.id)).all()
    assert sorted(m.to_email for m in sent) == sorted(grantmakers)
    assert {gm.email, "second-gm@example.org"} <= grantmakers


def test_record_observation_still_breached_does_not_alert_again(session, workflow):
    project, _gm, builder_user = running(workflow)
    observe(project, builder_user, "kill", 3)
    observe(project, builder_user, "kill", 5)  # still breached: the grantmakers know already
    observe(project, builder_user, "kill", 0)  # recovered
    observe(project, builder_user, "kill", 4)  # breached again: a new alert
    alerts = session.scalars(select(Alert.message).where(Alert.project_id == project.id)
                             .order_by(Alert.id)).all()
    assert [m.split("(observed ")[1][:2] for m in alerts] == ["3 ", "4 "]


@pytest.mark.parametrize(("severity", "alerts"), [(4, 1), (3, 0)])
def test_record_incident_alerts_from_severity_4(session, workflow, severity, alerts):
    project, _, builder_user = running(workflow)
    record_incident(session, builder_user, project, {
        "what": "A participant was harassed in the group chat.",
        "category": "participant_harm", "severity": severity,
        "occurred_on": date.today().isoformat()}, load_catalogues(session), workflow.settings)
    found = session.scalars(select(Alert).where(Alert.project_id == project.id)).all()
    assert [a.kind for a in found] == ["severe_incident"] * alerts
    assert len(project.pilot.incidents) == 1


def test_record_incident_unknown_category_is_invalid(session, workflow):
    project, _, builder_user = running(workflow)
    with pytest.raises(Invalid) as refused:
        record_incident(session, builder_user, project, {
            "what": "x", "category": "weather", "severity": 2,
            "occurred_on": date.today().isoformat()}, load_catalogues(session),
            workflow.settings)
    assert refused.value.messages == ["category 'weather' is not a risk category."]


def test_evaluation_latest_observation_decides(session, workflow):
    project, _, builder_user = running(workflow)
    observe(project, builder_user, "success", 12, days_ago=5)
    observe(project, builder_user, "success", 8, days_ago=1)
    observe(project, builder_user, "success", 20, days_ago=3)  # recorded last, observed earlier
    result = evaluation(project.pilot, workflow.settings)
    verdicts = {c["kind"]: (c["verdict"], c["latest"], c["n_observations"])
                for c in result["criteria"]}
    assert verdicts == {"success": ("not_met", 8.0, 3), "kill": ("pending", None, 0)}

    observe(project, builder_user, "success", 10)
    observe(project, builder_user, "kill", 0)
    result = evaluation(project.pilot, workflow.settings)
    assert [c["verdict"] for c in result["criteria"]] == ["met", "not_met"]
    assert result["summary"] == {"success_met": 1, "success_total": 1, "kill_breached": 0,
                                 "kill_total": 1, "pending": 0, "incidents": 0,
                                 "severe_incidents": 0}


def test_record_observation_in_the_future_is_invalid(session, workflow):
    project, _, builder_user = running(workflow)
    with pytest.raises(Invalid) as refused:
        observe(project, builder_user, "success", 1, days_ago=-3)
    assert refused.value.messages == ["observed_on is in the future."]


# --- finish_pilot and skip_pilot -------------------------------------------------------------

def test_finish_pilot_with_unmeasured_criterion_names_it(session, workflow):
    project, _, builder_user = running(workflow)
    observe(project, builder_user, "success", 12)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "finish_pilot", actor=builder_user)
    assert refused.value.messages == ["Criterion 'Participants reporting burnout' (kill) has no "
                                      "observation yet."]
    assert project.state == "pilot"


def test_finish_pilot_every_criterion_observed_moves_to_decision(session, workflow):
    project, _, builder_user = running(workflow)
    observe(project, builder_user, "success", 12)
    observe(project, builder_user, "kill", 0, days_ago=2)
    event = fire(session, workflow, project, "finish_pilot", actor=builder_user)
    assert (project.state, event.actor_id) == ("decision", builder_user.id)


def test_skip_pilot_without_comment_is_invalid(session, workflow):
    project, gm, _ = planned(workflow, ROUND_66)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "skip_pilot", actor=gm, comment="  ")
    assert refused.value.messages == ["'Skip pilot' needs a rationale: write it in the comment."]


def test_skip_pilot_with_rationale_moves_to_decision(session, workflow):
    project, gm, _ = planned(workflow, ROUND_66)
    rationale = "The main risk, burnout after a year, cannot be tested in a trial."
    event = fire(session, workflow, project, "skip_pilot", actor=gm, comment=rationale)
    assert (project.state, event.comment) == ("decision", rationale)
    assert project.pilot.frozen_at is None


def test_save_plan_when_builder_lacks_role_is_invalid(session, workflow):
    project, gm, _ = planned(workflow)
    outsider = grantmaker()
    with pytest.raises(Invalid) as refused:
        save_plan(session, gm, project, plan_data(outsider), load_catalogues(session))
    assert refused.value.problems == [{"field": "builder_id", "message": f"User {outsider.id} "
                                       "does not exist or does not hold the builder role."}]


def test_save_plan_dates_relative_to_each_other(session, workflow):
    project, gm, builder_user = planned(workflow)
    today = date.today()
    with pytest.raises(Invalid) as refused:
        save_plan(session, gm, project, plan_data(
            builder_user, starts_on=today.isoformat(),
            ends_on=(today - timedelta(days=1)).isoformat()), load_catalogues(session))
    assert refused.value.problems == [{"field": "ends_on",
                                       "message": "ends_on is before starts_on."}]
