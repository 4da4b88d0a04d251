"""Revisions through the services: frozen snapshots, the new draft after a round, safeguards,
`resubmit` (guarded, a new round, the same reviewers again), and taking a reviewer off."""

import hashlib
import json

import pytest
from sqlalchemy import select

from reviewtool.errors import Conflict, Invalid, NotFound
from reviewtool.models import Assignment, OutboxMessage, ReviewRound, Revision
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import update_proposal
from reviewtool.services.reviews import declare_conflict, unassign_reviewer
from reviewtool.services.revisions import content, save_revision
from reviewtool.services.risks import replace_risk_model
from reviewtool.services.transitions import fire
from tests.factories import COMPLETE, assign, grantmaker, project_in_review, reviewed, reviewer

# Round 1 of the "Done when": 2 of 3 reviews say "could be net negative" (66.7 %).
ROUND_1 = [
    {"net_negative": True, "stance": "optimistic", "confidence": 4,
     "concern_categories": ["participant_harm"], "rationale": "Pulls students out of PhDs."},
    {"net_negative": False, "stance": "optimistic", "confidence": 3},
    {"net_negative": True, "stance": "neutral", "confidence": 5,
     "concern_categories": ["capabilities", "participant_harm"],
     "rationale": "Advisees may join capabilities labs."},
]
SUPERVISION = {"type": "supervisory_team", "description": "A supervisory team reviews each call.",
               "responsible": "Programme lead", "addresses": ["capabilities"],
               "concerns": [{"round": 1, "reviewer": "C"}],
               "residual_likelihood": 1, "residual_severity": 3}
PILOT = {"type": "pilot_testing", "description": "Five pilot calls before the full sprint.",
         "responsible": "", "addresses": ["participant_harm"], "concerns": [],
         "residual_likelihood": 2, "residual_severity": 2}


def in_revision(session, workflow):
    """A project whose round 1 closed at 66.7 % concern; returns (project, reviewers, gm)."""
    gm = grantmaker()
    project, users = reviewed(workflow, ROUND_1, by=gm)
    fire(session, workflow, project, "request_safeguards", actor=gm)
    return project, users, gm


def canonical(revision) -> str:
    return json.dumps(content(revision), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def stored_snapshot(session, revision_id: int) -> tuple[str, str]:
    """The snapshot and its hash as the database holds them now."""
    session.expire_all()
    row = session.get(Revision, revision_id)
    return row.snapshot, row.snapshot_sha256


def save(session, project, safeguards):
    return save_revision(session, project.owner, project, {"safeguards": safeguards},
                         load_catalogues(session))


def test_request_review_freezes_revision_1_with_snapshot_and_sha256(session, workflow):
    project = project_in_review(workflow)
    revision = project.current_revision
    snapshot, sha = stored_snapshot(session, revision.id)
    assert snapshot == canonical(revision)
    assert sha == hashlib.sha256(snapshot.encode()).hexdigest()
    body = json.loads(snapshot)
    assert (body["number"], body["title"], len(body["risks"]), body["safeguards"]) == (
        1, COMPLETE["title"], len(load_catalogues(session).keys("risk_categories")), [])


def test_request_safeguards_opens_revision_2_as_a_copy_with_new_ids(session, workflow):
    project, _, _ = in_revision(session, workflow)
    session.expire_all()
    first, second = project.revisions
    assert (first.number, first.is_current, second.number, second.is_current,
            second.submitted_at, second.snapshot) == (1, False, 2, True, None, None)
    old = {k: v for k, v in json.loads(first.snapshot).items() if k != "number"}
    new = {k: v for k, v in content(second).items() if k != "number"}
    assert new == old
    assert {r.id for r in first.risks}.isdisjoint({r.id for r in second.risks})
    assert len(second.risks) == len(first.risks)


def test_edit_while_in_review_conflicts_and_keeps_snapshot_bytes(session, workflow):
    project = project_in_review(workflow)
    revision_id = project.current_revision.id
    before = stored_snapshot(session, revision_id)
    cats = load_catalogues(session)
    with pytest.raises(Conflict) as edit:
        update_proposal(session, project.owner, project, {"title": "Changed"}, cats,
                        expected_version=project.version)
    with pytest.raises(Conflict) as risks:
        replace_risk_model(session, project.owner, project,
                           {"risks": [], "not_applicable": [], "version": project.version})
    with pytest.raises(Conflict) as revise:
        save_revision(session, project.owner, project, {"title": "Changed"}, cats)
    message = "The proposal cannot be edited while the project is in 'review'."
    assert edit.value.messages == [message]
    assert revise.value.messages == [message]
    assert risks.value.status == 409
    assert stored_snapshot(session, revision_id) == before


def test_resubmit_without_safeguard_for_flagged_category_names_each(session, workflow):
    project, _, _ = in_revision(session, workflow)
    with pytest.raises(Invalid) as refused:
        fire(session, workflow, project, "resubmit", actor=project.owner)
    assert refused.value.messages == [
        "Reviewers flagged 'Speeding up capabilities research' in round 1 (33.3%): add a "
        "safeguard that addresses it.",
        "Reviewers flagged 'Participant harm' in round 1 (66.7%): add a safeguard that "
        "addresses it."]
    save(session, project, [SUPERVISION])
    with pytest.raises(Invalid) as still:
        fire(session, workflow, project, "resubmit", actor=project.owner)
    assert still.value.messages == [
        "Reviewers flagged 'Participant harm' in round 1 (66.7%): add a safeguard that "
        "addresses it."]
    assert project.state == "revision"


def test_resubmit_with_safeguards_reassigns_round_1_reviewers(session, workflow):
    project, users, _ = in_revision(session, workflow)
    save(session, project, [SUPERVISION, PILOT])
    first_mail = session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()))
    fire(session, workflow, project, "resubmit", actor=project.owner)
    session.expire_all()
    rounds = session.scalars(select(ReviewRound).where(ReviewRound.project_id == project.id)
                             .order_by(ReviewRound.number)).all()
    revision = project.current_revision
    assert project.state == "review"
    assert [(r.number, r.status) for r in rounds] == [(1, "closed"), (2, "open")]
    assert (rounds[1].revision_id, revision.number) == (revision.id, 2)
    assert revision.snapshot_sha256 == hashlib.sha256(revision.snapshot.encode()).hexdigest()
    assert [s["type"] for s in json.loads(revision.snapshot)["safeguards"]] == [
        "supervisory_team", "pilot_testing"]
    assert [(a.letter, a.reviewer_id) for a in rounds[1].assignments] == [
        ("A", users[0].id), ("B", users[1].id), ("C", users[2].id)]
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.id > first_mail)
                           .order_by(OutboxMessage.id)).all()
    assert [(m.to_email, m.subject) for m in mail] == [
        (u.email, f"Please review: {COMPLETE['title']}") for u in users]
    assert all("again, to see whether its safeguards answer your concerns (round 2)" in m.body
               for m in mail)


def test_resubmit_skips_reviewer_who_declared_a_conflict_meanwhile(session, workflow):
    project, users, _ = in_revision(session, workflow)
    declare_conflict(session, users[1], project, "personal", "My cousin runs it.")
    save(session, project, [SUPERVISION, PILOT])
    fire(session, workflow, project, "resubmit", actor=project.owner)
    session.expire_all()
    open_round = session.scalar(select(ReviewRound).where(
        ReviewRound.project_id == project.id, ReviewRound.status == "open"))
    assert [a.reviewer_id for a in open_round.assignments] == [users[0].id, users[2].id]
    assert [a.letter for a in open_round.assignments] == ["A", "B"]


def test_unassign_reviewer_before_review_withdraws_them(session, workflow):
    project = project_in_review(workflow)
    gm, user = grantmaker(), reviewer()
    assign(project, user, by=gm)
    unassign_reviewer(session, gm, project, user.id)
    session.expire_all()
    assignment = session.scalar(select(Assignment).where(Assignment.reviewer_id == user.id))
    assert assignment.withdrawn_reason == f"removed by {gm.name}"
    assert assignment.withdrawn_at is not None
    with pytest.raises(NotFound) as again:
        unassign_reviewer(session, gm, project, user.id)
    assert again.value.messages == [f"User {user.id} is not assigned to round 1."]


def test_unassign_reviewer_after_review_conflicts(session, workflow):
    gm = grantmaker()
    project, [user] = reviewed(workflow, [{}], by=gm)
    with pytest.raises(Conflict) as refused:
        unassign_reviewer(session, gm, project, user.id)
    assert refused.value.messages == [f"{user.name} already submitted a review in round 1; it "
                                      "stays part of the round."]


def test_save_revision_concern_of_unknown_reviewer_letter_is_invalid(session, workflow):
    project, _, _ = in_revision(session, workflow)
    with pytest.raises(Invalid) as refused:
        save(session, project, [{**PILOT, "concerns": [{"round": 1, "reviewer": "Z"},
                                                        {"round": 2, "reviewer": "A"}]}])
    assert refused.value.problems == [
        {"field": "safeguards.0.concerns",
         "message": "safeguards.0.concerns: round 1 has no review by Reviewer Z."},
        {"field": "safeguards.0.concerns",
         "message": "safeguards.0.concerns: round 2 has no review by Reviewer A."}]


def test_save_revision_invalid_items_are_named_by_index(session, workflow):
    project, _, _ = in_revision(session, workflow)
    with pytest.raises(Invalid) as refused:
        save(session, project, [SUPERVISION, {**PILOT, "description": " ",
                                              "residual_severity": 6}])
    assert refused.value.problems == [
        {"field": "safeguards.1.description", "message": "safeguards.1.description is required."},
        {"field": "safeguards.1.residual_severity",
         "message": "safeguards.1.residual_severity should be at most 5."}]


def test_save_revision_unknown_type_and_category_are_invalid(session, workflow):
    project, _, _ = in_revision(session, workflow)
    with pytest.raises(Invalid) as refused:
        save(session, project, [{**PILOT, "type": "prayer", "addresses": ["weather"]}])
    assert refused.value.messages == [
        "safeguards.0.type: 'prayer' is not a safeguard type.",
        "safeguards.0.addresses: 'weather' is not a risk category."]


def test_save_revision_stores_safeguards_and_concerns(session, workflow):
    project, _, _ = in_revision(session, workflow)
    save(session, project, [SUPERVISION, PILOT])
    session.expire_all()
    stored = content(project.current_revision)["safeguards"]
    assert stored == [{"position": 0, **SUPERVISION}, {"position": 1, **PILOT}]
