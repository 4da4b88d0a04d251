"""The downside-risk model (services/risks.py, risk_view.py): replacing it, its consistency
rules, the versioned catalogue, completeness, the risk appetite and the database's own checks."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from reviewtool.errors import Conflict, Forbidden, Invalid
from reviewtool.models import CatalogueItem, Project, Revision, Risk
from reviewtool.services.catalogues import (
    latest_risk_catalogue,
    load_catalogues,
    snapshot_risk_catalogue,
)
from reviewtool.services.read.risk_model import risk_model_view
from reviewtool.services.risks import (
    above_appetite,
    categories_of,
    completeness_problems,
    replace_risk_model,
)
from tests.factories import (
    COMPLETE,
    ProjectFactory,
    RiskFactory,
    UserFactory,
    complete_risk_model,
)

CATEGORIES = ["reputational_harm", "capabilities", "displacement", "low_fidelity",
              "participant_harm", "info_hazard", "coordination_harm"]
MARKETING = {**COMPLETE, "roles_needed": [
    {"kind": "profession", "key": "marketing_communications", "technical": False,
     "commitment": "fractional", "hours_per_month": 20}]}


def risk(**overrides: Any) -> dict[str, Any]:
    """One risk as the API sends it: capabilities, 3 x 3, no safeguard."""
    return {"category": "capabilities", "description": "Alumni join capabilities labs.",
            "likelihood": 3, "severity": 3, "reversibility": "reversible",
            "pilot_reveals": "yes", "knowledge": "medium", **overrides}


def problems_of(excinfo: pytest.ExceptionInfo) -> list[dict[str, str]]:
    return excinfo.value.problems


def reload(session, project: Project) -> Revision:
    session.expire_all()
    return session.get(Project, project.id).current_revision


def full_payload() -> dict[str, Any]:
    """A model that addresses every default category (one risk each)."""
    return {"risks": [risk(category=key, description=f"A {key} risk.") for key in CATEGORIES]}


# --- replacing the model ----------------------------------------------------------------------

def test_replace_risk_model_by_owner_stores_risks_and_exclusions(session):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, {
        "risks": [risk(likelihood=4, severity=5, residual_likelihood=2, residual_severity=5,
                       mitigation="Selection interviews.", reversibility="hard_to_reverse",
                       pilot_reveals="partly", knowledge="low")],
        "not_applicable": [{"category": "info_hazard", "reason": "  Public material only. "}]})
    revision = reload(session, project)
    [stored] = revision.risks
    assert (stored.category, stored.description, stored.likelihood, stored.severity,
            stored.residual_likelihood, stored.residual_severity, stored.mitigation,
            stored.reversibility, stored.pilot_reveals, stored.knowledge, stored.score,
            stored.residual_score) == ("capabilities", "Alumni join capabilities labs.", 4, 5,
                                       2, 5, "Selection interviews.", "hard_to_reverse",
                                       "partly", "low", 20, 10)
    assert [(e.category, e.reason) for e in revision.exclusions] == [
        ("info_hazard", "Public material only.")]
    assert session.get(Project, project.id).version == 2


def test_replace_risk_model_residual_omitted_equals_inherent(session):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, {"risks": [risk(likelihood=2,
                                                                        severity=4)]})
    [stored] = reload(session, project).risks
    assert (stored.residual_likelihood, stored.residual_severity) == (2, 4)


def test_replace_risk_model_by_other_proposer_is_forbidden(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Forbidden) as excinfo:
        replace_risk_model(session, UserFactory(), project, {"risks": [risk()]})
    assert excinfo.value.messages == ["Only the proposer can edit this project."]
    assert reload(session, project).risks == []


def test_replace_risk_model_by_grantmaker_is_forbidden(session):
    project = ProjectFactory(state="review")
    with pytest.raises(Forbidden):
        replace_risk_model(session, UserFactory(roles=("grantmaker",)), project,
                           {"risks": [risk()]})


def test_replace_risk_model_in_review_is_conflict(session):
    project = ProjectFactory(state="review")
    with pytest.raises(Conflict) as excinfo:
        replace_risk_model(session, project.owner, project, {"risks": [risk()]})
    assert excinfo.value.messages == ["The proposal cannot be edited while the project is in "
                                      "'review'."]


def test_replace_risk_model_in_draft_is_allowed(session):
    project = ProjectFactory()
    replace_risk_model(session, project.owner, project, {"risks": [risk()]})
    assert len(reload(session, project).risks) == 1


def test_replace_risk_model_stale_version_is_conflict(session):
    project = ProjectFactory(state="risk_model", version=3)
    with pytest.raises(Conflict):
        replace_risk_model(session, project.owner, project, {"risks": [risk()], "version": 2})
    assert reload(session, project).risks == []


def test_replace_risk_model_ids_sent_back_are_kept(session):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, {"risks": [
        risk(description="First."), risk(category="displacement", description="Second.")]})
    first, second = sorted(reload(session, project).risks, key=lambda r: r.description)
    replace_risk_model(session, project.owner, project, {"risks": [
        risk(id=second.id, category="displacement", description="Second, reworded.",
             likelihood=2),
        risk(description="Third, new.")]})
    after = {r.description: r for r in reload(session, project).risks}
    assert sorted(after) == ["Second, reworded.", "Third, new."]
    assert after["Second, reworded."].id == second.id
    assert after["Second, reworded."].likelihood == 2
    assert after["Third, new."].id not in {first.id, second.id}
    assert session.get(Risk, first.id) is None  # left out → deleted


def test_replace_risk_model_unknown_id_is_invalid(session):
    other = ProjectFactory(state="risk_model")
    foreign = RiskFactory(revision=other.current_revision)
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, {"risks": [risk(id=foreign.id)]})
    assert problems_of(excinfo) == [{"field": "risks", "message": f"Risk {foreign.id} is not "
                                     "part of this project's current model; leave out 'id' "
                                     "for a new one."}]
    session.expire_all()
    assert session.get(Risk, foreign.id).revision_id == other.current_revision.id


def test_replace_risk_model_residual_above_inherent_is_invalid(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, {"risks": [
            risk(likelihood=2, severity=3, residual_likelihood=3, residual_severity=3,
                 mitigation="None really.")]})
    assert problems_of(excinfo) == [{
        "field": "risks.0.residual_likelihood",
        "message": "risks.0: the residual likelihood and severity (after safeguards) cannot be "
                   "above the inherent ones."}]


def test_replace_risk_model_residual_severity_above_inherent_is_invalid(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, {"risks": [
            risk(), risk(severity=2, residual_likelihood=1, residual_severity=3,
                         mitigation="A comms review.")]})
    assert [p["field"] for p in problems_of(excinfo)] == ["risks.1.residual_likelihood"]


def test_replace_risk_model_residual_lowered_without_mitigation_is_invalid(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, {"risks": [
            risk(residual_likelihood=2, mitigation="   ")]})
    assert problems_of(excinfo) == [{
        "field": "risks.0.mitigation",
        "message": "risks.0: the residual risk is lowered, so name the safeguard that lowers "
                   "it."}]


def test_replace_risk_model_exclusion_and_risk_in_same_category_is_invalid(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, {
            "risks": [risk()],
            "not_applicable": [{"category": "capabilities", "reason": "Not our field."}]})
    assert problems_of(excinfo) == [{
        "field": "not_applicable.0.category",
        "message": "not_applicable.0.category: 'capabilities' has risks, so it cannot also be "
                   "marked not applicable."}]


def test_replace_risk_model_exclusion_listed_twice_is_invalid(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, {"not_applicable": [
            {"category": "info_hazard", "reason": "One."},
            {"category": "info_hazard", "reason": "Two."}]})
    assert problems_of(excinfo) == [{"field": "not_applicable.1.category",
                                     "message": "not_applicable.1.category: listed twice."}]


def test_replace_risk_model_unknown_category_is_invalid(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, {
            "risks": [risk(category="weather")],
            "not_applicable": [{"category": "volcanoes", "reason": "None nearby."}]})
    assert problems_of(excinfo) == [
        {"field": "risks.0.category", "message": "risks.0.category: 'weather' is not a risk "
                                                 "category."},
        {"field": "not_applicable.0.category",
         "message": "not_applicable.0.category: 'volcanoes' is not a risk category."}]


def test_replace_risk_model_not_a_dict_is_invalid(session):
    project = ProjectFactory(state="risk_model")
    with pytest.raises(Invalid) as excinfo:
        replace_risk_model(session, project.owner, project, [risk()])
    assert excinfo.value.messages == ["Send the risk model (with 'risks' and 'not_applicable') "
                                      "as a JSON object."]


def test_replace_risk_model_same_exclusion_saved_twice_is_kept(session):
    project = ProjectFactory(state="risk_model")
    model = {"risks": [risk()],
             "not_applicable": [{"category": "info_hazard", "reason": "Public material."}]}
    replace_risk_model(session, project.owner, project, model)
    replace_risk_model(session, project.owner, project, model)
    revision = reload(session, project)
    assert [(e.category, e.reason) for e in revision.exclusions] == [
        ("info_hazard", "Public material.")]


def test_replace_risk_model_exclusions_reworded_added_and_dropped(session):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, {"not_applicable": [
        {"category": "info_hazard", "reason": "Public material."},
        {"category": "displacement", "reason": "Nobody else does it."}]})
    replace_risk_model(session, project.owner, project, {"not_applicable": [
        {"category": "info_hazard", "reason": "Only published papers."},
        {"category": "coordination_harm", "reason": "Run with the network."}]})
    revision = reload(session, project)
    assert [(e.category, e.reason) for e in revision.exclusions] == [
        ("coordination_harm", "Run with the network."),
        ("info_hazard", "Only published papers.")]


def test_replace_risk_model_pins_the_latest_catalogue_version(session):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, {"risks": [risk()]})
    revision = reload(session, project)
    assert revision.risk_catalogue_version.number == 1
    assert revision.risk_catalogue_version.id == latest_risk_catalogue(session).id
    assert [c["key"] for c in revision.risk_catalogue_version.categories] == CATEGORIES


# --- the versioned catalogue ------------------------------------------------------------------

def add_risk_category(session) -> None:
    """An admin adds a category to the catalogue, and it is frozen as a new version."""
    session.add(CatalogueItem(catalogue="risk_categories", key="lock_in",
                              label="Lock-in of a weak approach", position=99,
                              extra={"guidance": "Could this entrench an approach?"}))
    session.flush()
    snapshot_risk_catalogue(session)


def test_snapshot_risk_catalogue_unchanged_keeps_version(session):
    before = latest_risk_catalogue(session)
    assert snapshot_risk_catalogue(session).id == before.id
    assert before.number == 1


def test_snapshot_risk_catalogue_new_category_makes_version_2(session):
    add_risk_category(session)
    latest = latest_risk_catalogue(session)
    assert latest.number == 2
    assert [c["key"] for c in latest.categories] == [*CATEGORIES, "lock_in"]
    assert latest.categories[-1] == {"key": "lock_in", "label": "Lock-in of a weak approach",
                                     "description": "",
                                     "guidance": "Could this entrench an approach?",
                                     "risky_roles_require": False}


def test_catalogue_change_does_not_restate_an_existing_model(session, workflow):
    old = ProjectFactory(state="risk_model")
    replace_risk_model(session, old.owner, old, full_payload())
    add_risk_category(session)

    revision = reload(session, old)
    view = risk_model_view(session, revision, workflow.settings, load_catalogues(session))
    assert view["catalogue_version"] == 1
    assert view["newer_catalogue"] is True
    assert [c["key"] for c in view["categories"]] == CATEGORIES
    assert view["problems"] == []
    assert [c["key"] for c in categories_of(revision, session)] == CATEGORIES


def test_catalogue_change_applies_to_a_newly_saved_model(session, workflow):
    add_risk_category(session)
    new = ProjectFactory(state="risk_model")
    replace_risk_model(session, new.owner, new, full_payload())

    revision = reload(session, new)
    view = risk_model_view(session, revision, workflow.settings, load_catalogues(session))
    assert view["catalogue_version"] == 2
    assert view["newer_catalogue"] is False
    assert [c["key"] for c in view["categories"]] == [*CATEGORIES, "lock_in"]
    assert view["problems"] == ["Risk category 'Lock-in of a weak approach' is not addressed: "
                                "add a risk or mark it not applicable with a reason."]


def test_catalogue_change_resaving_old_model_moves_it_to_new_version(session):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, full_payload())
    add_risk_category(session)
    replace_risk_model(session, project.owner, project, {
        **full_payload(), "not_applicable": [{"category": "lock_in", "reason": "A pilot."}]})
    assert reload(session, project).risk_catalogue_version.number == 2


# --- completeness -----------------------------------------------------------------------------

def problems(session, project: Project) -> list[str]:
    revision = reload(session, project)
    return completeness_problems(revision, categories_of(revision, session),
                                 load_catalogues(session))


def test_completeness_problems_empty_model_names_every_category(session):
    project = ProjectFactory(state="risk_model")
    assert problems(session, project) == [
        f"Risk category '{label}' is not addressed: add a risk or mark it not applicable with "
        "a reason." for label in [
            "Reputational harm to the community", "Speeding up capabilities research",
            "Displacement", "Low-fidelity message", "Participant harm", "Information hazard",
            "Coordination harm"]]


def test_completeness_problems_names_the_two_missing_categories(session):
    project = ProjectFactory(state="risk_model")
    payload = full_payload()
    payload["risks"] = [r for r in payload["risks"]
                        if r["category"] not in {"displacement", "info_hazard"}]
    replace_risk_model(session, project.owner, project, payload)
    assert problems(session, project) == [
        "Risk category 'Displacement' is not addressed: add a risk or mark it not applicable "
        "with a reason.",
        "Risk category 'Information hazard' is not addressed: add a risk or mark it not "
        "applicable with a reason."]


def test_completeness_problems_exclusions_count_as_addressed(session):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, {
        "risks": [risk()],
        "not_applicable": [{"category": key, "reason": "Does not apply."}
                           for key in CATEGORIES if key != "capabilities"]})
    assert problems(session, project) == []


def test_completeness_problems_risky_profession_needs_reputational_risk(session):
    project = ProjectFactory(state="risk_model", proposal=MARKETING)
    payload = full_payload()
    payload["risks"] = payload["risks"][1:]
    payload["not_applicable"] = [{"category": "reputational_harm", "reason": "Only posters."}]
    replace_risk_model(session, project.owner, project, payload)
    assert problems(session, project) == [
        "'Reputational harm to the community' needs at least one risk, not 'not applicable': "
        "the project needs Marketing and communications, which the catalogue marks as risky."]


def test_completeness_problems_risky_skill_needs_reputational_risk(session):
    proposal = {**COMPLETE, "roles_needed": [
        {"kind": "skill", "key": "seo", "technical": False, "commitment": "fractional",
         "hours_per_month": 5}]}
    project = ProjectFactory(state="risk_model", proposal=proposal)
    payload = full_payload()
    payload["risks"] = payload["risks"][1:]
    payload["not_applicable"] = [{"category": "reputational_harm", "reason": "Only posters."}]
    replace_risk_model(session, project.owner, project, payload)
    assert problems(session, project) == [
        "'Reputational harm to the community' needs at least one risk, not 'not applicable': "
        "the project needs Search-engine optimisation, which the catalogue marks as risky."]


def test_completeness_problems_risky_profession_with_reputational_risk_is_complete(session):
    project = ProjectFactory(state="risk_model", proposal=MARKETING)
    replace_risk_model(session, project.owner, project, full_payload())
    assert problems(session, project) == []


def test_completeness_problems_safe_profession_may_exclude_reputational_harm(session):
    project = ProjectFactory(state="risk_model")
    payload = full_payload()
    payload["risks"] = payload["risks"][1:]
    payload["not_applicable"] = [{"category": "reputational_harm", "reason": "Private pairs."}]
    replace_risk_model(session, project.owner, project, payload)
    assert problems(session, project) == []


def test_complete_risk_model_factory_is_complete(session):
    project = ProjectFactory(state="risk_model", proposal=MARKETING)
    complete_risk_model(project.current_revision)
    assert problems(session, project) == []


# --- risk appetite ----------------------------------------------------------------------------

def test_workflow_settings_hold_the_appetite(workflow):
    assert workflow.settings["appetite_residual_score"] == 15
    assert workflow.settings["appetite_irreversible_severity"] == 4


@pytest.mark.parametrize(("residual", "reversibility", "expected"), [
    ((5, 3), "reversible", True),         # residual score 15 reaches the appetite
    ((3, 5), "reversible", True),
    ((4, 4), "hard_to_reverse", True),    # 16
    ((4, 3), "reversible", False),        # 12, the highest score below 15
    ((5, 2), "hard_to_reverse", False),   # 10, hard to reverse is not irreversible
    ((1, 5), "hard_to_reverse", False),
    ((1, 4), "irreversible", True),       # irreversible with residual severity 4
    ((2, 5), "irreversible", True),
    ((5, 3), "irreversible", True),
    ((4, 3), "irreversible", False),      # irreversible but residual severity 3
])
def test_above_appetite_with_workflow_settings(session, workflow, residual, reversibility,
                                               expected):
    project = ProjectFactory(state="risk_model")
    stored = RiskFactory(revision=project.current_revision, likelihood=5, severity=5,
                         residual_likelihood=residual[0], residual_severity=residual[1],
                         mitigation="A named safeguard.", reversibility=reversibility)
    assert above_appetite(stored, workflow.settings) is expected


def test_above_appetite_residual_14_is_below_the_threshold(workflow):
    # 14 is no product of two 1-5 scales; an unsaved Risk pins the threshold itself.
    assert above_appetite(Risk(residual_likelihood=7, residual_severity=2,
                               reversibility="reversible"), workflow.settings) is False
    assert above_appetite(Risk(residual_likelihood=1, residual_severity=15,
                               reversibility="reversible"), workflow.settings) is True


def test_above_appetite_uses_the_settings_given():
    stored = Risk(residual_likelihood=3, residual_severity=3, reversibility="irreversible")
    assert above_appetite(stored, {"appetite_residual_score": 9}) is True
    assert above_appetite(stored, {"appetite_residual_score": 10,
                                   "appetite_irreversible_severity": 3}) is True
    assert above_appetite(stored, {"appetite_residual_score": 10,
                                   "appetite_irreversible_severity": 4}) is False


def test_risk_model_view_counts_and_scores(session, workflow):
    project = ProjectFactory(state="risk_model")
    replace_risk_model(session, project.owner, project, {"risks": [
        risk(likelihood=5, severity=4, residual_likelihood=4, residual_severity=4,
             mitigation="Pilot first."),
        risk(category="displacement", likelihood=2, severity=4, reversibility="irreversible"),
        risk(category="low_fidelity", likelihood=2, severity=2)]})
    view = risk_model_view(session, reload(session, project), workflow.settings,
                           load_catalogues(session))
    by_category = {r["category"]: r for r in view["risks"]}
    assert [(by_category[k]["score"], by_category[k]["residual_score"],
             by_category[k]["above_appetite"])
            for k in ("capabilities", "displacement", "low_fidelity")] == [
        (20, 16, True), (8, 8, True), (4, 4, False)]
    assert view["above_appetite"] == 2
    assert view["appetite"] == {"appetite_residual_score": 15,
                                "appetite_irreversible_severity": 4}
    assert sorted(view["cells"]["inherent"]) == [(2, 2), (2, 4), (5, 4)]
    assert sorted(view["cells"]["residual"]) == [(2, 2), (2, 4), (4, 4)]


# --- the database's own checks ----------------------------------------------------------------

INSERT = text(
    "INSERT INTO risks (revision_id, category, position, description, likelihood, severity, "
    "reversibility, pilot_reveals, knowledge, mitigation, residual_likelihood, "
    "residual_severity) VALUES (:rev, 'capabilities', 0, 'Raw.', :l, 3, 'reversible', 'yes', "
    "'medium', '', :rl, 3)")


@pytest.mark.parametrize(("likelihood", "residual"), [(6, 1), (0, 0), (2, 3)],
                         ids=["likelihood-6", "likelihood-0", "residual-above"])
def test_risks_table_check_constraint_refuses_raw_sql(session, likelihood, residual):
    project = ProjectFactory(state="risk_model")
    savepoint = session.begin_nested()
    with pytest.raises(IntegrityError):
        session.execute(INSERT, {"rev": project.current_revision.id, "l": likelihood,
                                 "rl": residual})
    savepoint.rollback()
    count = session.scalar(select(text("count(*)")).select_from(Risk))
    assert count == 0


def test_risks_table_accepts_valid_raw_sql(session):
    project = ProjectFactory(state="risk_model")
    session.execute(INSERT, {"rev": project.current_revision.id, "l": 5, "rl": 5})
    assert session.scalars(select(Risk.likelihood)).all() == [5]
