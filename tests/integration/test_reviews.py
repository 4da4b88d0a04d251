"""Senior review through the services: rounds, assignments without conflicts, reviews and their
versions, withdrawal by declared conflict, closing a round (figures frozen), the outbox."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from reviewtool.errors import Conflict, Forbidden, Invalid, NotFound
from reviewtool.models import (
    Assignment,
    ConflictDeclaration,
    OutboxMessage,
    Project,
    Review,
    ReviewRound,
    ReviewVersion,
)
from reviewtool.permissions import load_project
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.pilot_plans import save_plan
from reviewtool.services.reviews import assign_reviewer, declare_conflict, submit_review
from reviewtool.services.rounds import round_figures
from reviewtool.services.transitions import fire
from tests.factories import (
    UserFactory,
    assign,
    grantmaker,
    project_in_review,
    review_data,
    reviewed,
    reviewer,
    submit,
)

DONE_WHEN = [
    {"net_negative": True, "stance": "optimistic", "confidence": 5,
     "concern_categories": ["capabilities", "displacement"]},
    {"net_negative": False, "stance": "optimistic", "confidence": 1,
     "concern_categories": ["capabilities"]},
    {"net_negative": True, "stance": "neutral", "confidence": 2},
]


def rounds_of(session, project):
    """The project's rounds as the database has them, oldest first."""
    session.expire_all()
    return session.scalars(select(ReviewRound).where(ReviewRound.project_id == project.id)
                           .order_by(ReviewRound.number)).all()


def count(session, model, *where) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def outbox(session, project):
    session.expire_all()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.project_id == project.id)
                           .order_by(OutboxMessage.id)).all()


def assert_nothing_written(session, project):
    [review_round] = rounds_of(session, project)
    assert count(session, Assignment, Assignment.round_id == review_round.id) == 0
    assert outbox(session, project) == []


# --- opening a round -------------------------------------------------------------------------

def test_request_review_opens_round_1_pinned_to_the_current_revision(session, workflow):
    before = datetime.now(UTC)
    project = project_in_review(workflow)
    [review_round] = rounds_of(session, project)
    revision = project.current_revision
    assert (project.state, review_round.number, review_round.status, review_round.revision_id,
            review_round.closed_at, review_round.figures) == ("review", 1, "open", revision.id,
                                                              None, None)
    assert revision.submitted_at is not None
    assert before - timedelta(seconds=1) <= revision.submitted_at <= datetime.now(UTC)


def test_round_figures_of_an_open_round_without_reviews_are_none(session, workflow):
    project = project_in_review(workflow)
    [review_round] = rounds_of(session, project)
    live = round_figures(session, review_round, project)
    assert (live["n_reviews"], live["concern_pct"], live["optimism_pct"],
            live["weighted_concern_pct"], live["disagreement"]) == (0, None, None, None, [])
    assert {row["concern_pct"] for row in live["categories"]} == {None}
    assert len(live["categories"]) == 7


# --- assignment and conflicts of interest ----------------------------------------------------

def test_assign_reviewer_gives_letters_a_b_c_and_default_due_date(session, workflow):
    project = project_in_review(workflow)
    boss = grantmaker()
    assignments = [assign(project, reviewer(), by=boss) for _ in range(3)]
    assert [a.letter for a in assignments] == ["A", "B", "C"]
    assert {a.due_on for a in assignments} == {date.today() + timedelta(days=14)}
    assert {a.assigned_by_id for a in assignments} == {boss.id}
    [review_round] = rounds_of(session, project)
    assert count(session, Assignment, Assignment.round_id == review_round.id) == 3


def test_assign_reviewer_with_due_on_keeps_it(session, workflow):
    project = project_in_review(workflow)
    assignment = assign(project, reviewer(), due_on=date(2031, 1, 31))
    assert assignment.due_on == date(2031, 1, 31)


def test_assign_reviewer_proposer_is_conflict_and_writes_nothing(session, workflow):
    owner = UserFactory(roles=("proposer", "reviewer"), name="Olive Owner")
    project = project_in_review(workflow, owner=owner)
    with pytest.raises(Conflict) as caught:
        assign(project, owner)
    assert caught.value.messages == ["Conflict of interest: Olive Owner proposed this project."]
    assert_nothing_written(session, project)


def test_assign_reviewer_builder_of_the_pilot_is_conflict_and_writes_nothing(session, workflow):
    project = project_in_review(workflow)
    builder = UserFactory(roles=("builder", "reviewer"), name="Bea Builder")
    save_plan(session, grantmaker(), project, {"builder_id": builder.id,
                                               "starts_on": "2031-01-01",
                                               "ends_on": "2031-03-01"},
              load_catalogues(session))
    with pytest.raises(Conflict) as caught:
        assign(project, builder)
    assert caught.value.messages == ["Conflict of interest: Bea Builder is on the project's "
                                     "team."]
    assert_nothing_written(session, project)


def test_assign_reviewer_declared_conflict_is_conflict_and_writes_nothing(session, workflow):
    project = project_in_review(workflow)
    candidate = reviewer(name="Dara Declared")
    declare_conflict(session, candidate, project, "recent_collaborator",
                     "  Co-authored a paper in 2025.  ")
    with pytest.raises(Conflict) as caught:
        assign(project, candidate)
    assert caught.value.messages == [
        "Conflict of interest: Dara Declared declared a conflict with this project "
        "(recent_collaborator: Co-authored a paper in 2025.)."]
    assert_nothing_written(session, project)


def test_assign_reviewer_declared_conflict_without_note_names_the_kind(session, workflow):
    project = project_in_review(workflow)
    candidate = reviewer(name="Nell Nonote")
    declare_conflict(session, candidate, project, "personal")
    with pytest.raises(Conflict) as caught:
        assign(project, candidate)
    assert caught.value.messages == [
        "Conflict of interest: Nell Nonote declared a conflict with this project (personal)."]


def test_assign_reviewer_same_organisation_any_case_is_conflict_and_writes_nothing(
        session, workflow):
    owner = UserFactory(organisation="Alignment Lab")
    project = project_in_review(workflow, owner=owner)
    candidate = reviewer(name="Orla Org", organisation="  alignment LAB ")
    with pytest.raises(Conflict) as caught:
        assign(project, candidate)
    assert caught.value.messages == [
        "Conflict of interest: Orla Org works at the proposer's organisation (Alignment Lab)."]
    assert_nothing_written(session, project)


def test_assign_reviewer_same_institutional_domain_is_conflict_and_writes_nothing(
        session, workflow):
    owner = UserFactory(email="ada@uni-oxbridge.ac.uk")
    project = project_in_review(workflow, owner=owner)
    candidate = reviewer(name="Dom Domain", email="bob@uni-oxbridge.ac.uk")
    with pytest.raises(Conflict) as caught:
        assign(project, candidate)
    assert caught.value.messages == [
        "Conflict of interest: Dom Domain shares the proposer's institutional e-mail domain "
        "(@uni-oxbridge.ac.uk)."]
    assert_nothing_written(session, project)


def test_assign_reviewer_gmail_colleague_is_not_a_conflict(session, workflow):
    owner = UserFactory(email="ada.proposer@gmail.com")
    project = project_in_review(workflow, owner=owner)
    assignment = assign(project, reviewer(email="bob.reviewer@gmail.com"))
    assert (assignment.id is not None, assignment.letter) == (True, "A")


def test_assign_reviewer_different_organisation_and_no_organisation_are_not_conflicts(
        session, workflow):
    owner = UserFactory(organisation=None)
    project = project_in_review(workflow, owner=owner)
    assert assign(project, reviewer(organisation=None)).letter == "A"
    assert assign(project, reviewer(organisation="Elsewhere Institute")).letter == "B"


def test_assign_reviewer_non_reviewer_is_invalid(session, workflow):
    project = project_in_review(workflow)
    candidate = UserFactory(roles=("builder",), name="Bo Builder")
    with pytest.raises(Invalid) as caught:
        assign(project, candidate)
    assert caught.value.problems == [{"field": "user_id",
                                      "message": "Bo Builder does not hold the reviewer role."}]
    assert_nothing_written(session, project)


def test_assign_reviewer_unknown_or_non_integer_id_is_invalid(session, workflow):
    project = project_in_review(workflow)
    boss = grantmaker()
    with pytest.raises(Invalid) as caught:
        assign_reviewer(session, boss, project, 987654321)
    assert caught.value.problems == [{"field": "user_id", "message": "No user 987654321."}]
    for bad in ("7", True, None, 1.0):
        with pytest.raises(Invalid) as caught:
            assign_reviewer(session, boss, project, bad)
        assert caught.value.problems == [{"field": "user_id", "message": "user_id must be the "
                                          "id (an integer) of a user with the reviewer role."}]


def test_assign_reviewer_twice_is_conflict(session, workflow):
    project = project_in_review(workflow)
    candidate = reviewer(name="Tess Twice")
    assign(project, candidate)
    with pytest.raises(Conflict) as caught:
        assign(project, candidate)
    assert caught.value.messages == ["Tess Twice is already assigned to round 1."]
    [review_round] = rounds_of(session, project)
    assert count(session, Assignment, Assignment.round_id == review_round.id) == 1


def test_assign_reviewer_by_non_grantmaker_is_forbidden(session, workflow):
    project = project_in_review(workflow)
    with pytest.raises(Forbidden) as caught:
        assign(project, reviewer(), by=project.owner)
    assert caught.value.messages == ["This needs the grantmaker role."]


def test_assign_reviewer_without_open_round_is_conflict_before_invalid(session, workflow):
    project = project_in_review(workflow)
    fire(session, workflow, project, "no_go", actor=grantmaker(), comment="Out of scope.")
    with pytest.raises(Conflict) as caught:
        assign(project, reviewer())
    assert caught.value.messages == ["This project has no open review round now."]
    with pytest.raises(Conflict):
        assign_reviewer(session, grantmaker(), project, "not an id")


def test_assign_reviewer_id_beyond_integer_range_is_invalid(session, workflow):
    project = project_in_review(workflow)
    for bad in (2**31, 2**63, 10**20):
        with pytest.raises(Invalid) as caught:
            assign_reviewer(session, grantmaker(), project, bad)
        assert caught.value.messages == [f"No user {bad}."]


# --- submitting and editing reviews ----------------------------------------------------------

def test_submit_review_stores_the_answers_pinned_to_the_round_revision(session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    risk = project.current_revision.risks[0]
    review = submit_review(session, user, project, review_data(
        stance="pessimistic", net_negative=True, rationale="  It could speed up capabilities. ",
        concern_categories=["displacement", "capabilities", "capabilities"],
        risk_scores=[{"risk_id": risk.id, "likelihood": 4, "severity": 5}],
        suggested_safeguards=["A senior advisor signs off each placement."],
        confidence=4, expertise="expert"))
    session.expire_all()
    stored = session.get(Review, review.id)
    assert (stored.revision_id, stored.stance, stored.net_negative, stored.rationale,
            stored.concern_categories, stored.risk_scores, stored.suggested_safeguards,
            stored.confidence, stored.expertise, stored.no_conflict_attested,
            stored.version) == (
        project.current_revision.id, "pessimistic", True, "It could speed up capabilities.",
        ["capabilities", "displacement"],
        [{"risk_id": risk.id, "likelihood": 4, "severity": 5}],
        ["A senior advisor signs off each placement."], 4, "expert", True, 1)


def test_submit_review_by_unassigned_reviewer_is_forbidden(session, workflow):
    project = project_in_review(workflow)
    assign(project, reviewer())
    with pytest.raises(Forbidden) as caught:
        submit(project, reviewer())
    assert caught.value.messages == [
        "Only reviewers assigned to the open round can review this project."]
    assert count(session, Review) == 0


def test_submit_review_net_negative_without_rationale_is_invalid(session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    data = review_data(net_negative=True)
    data["rationale"] = "   "
    with pytest.raises(Invalid) as caught:
        submit_review(session, user, project, data)
    assert caught.value.problems == [{"field": "rationale", "message": "Explain why the project "
                                      "could be net negative: a rationale is needed when you "
                                      "answer yes."}]
    assert count(session, Review) == 0


def test_submit_review_unknown_category_and_risk_are_invalid(session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    risk_id = project.current_revision.risks[0].id
    data = review_data(concern_categories=["capabilities", "weather"],
                       risk_scores=[{"risk_id": risk_id, "likelihood": 1, "severity": 1},
                                    {"risk_id": 99999999, "likelihood": 2, "severity": 2}])
    with pytest.raises(Invalid) as caught:
        submit_review(session, user, project, data)
    assert caught.value.problems == [
        {"field": "concern_categories.1",
         "message": "concern_categories.1: 'weather' is not a risk category."},
        {"field": "risk_scores.1.risk_id",
         "message": "risk_scores.1: risk 99999999 is not in the revision under review."}]
    assert count(session, Review) == 0


def test_submit_review_risk_of_another_project_is_invalid(session, workflow):
    project, other = project_in_review(workflow), project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    foreign = other.current_revision.risks[0].id
    with pytest.raises(Invalid) as caught:
        submit(project, user, risk_scores=[{"risk_id": foreign, "likelihood": 1,
                                            "severity": 1}])
    assert caught.value.messages == [
        f"risk_scores.0: risk {foreign} is not in the revision under review."]


def test_submit_review_without_attestation_or_out_of_scale_is_invalid(session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    for bad in ({"no_conflict": False}, {"confidence": 6}, {"confidence": 0},
                {"stance": "ecstatic"}, {"net_negative": "yes"}, {"surprise": 1}):
        with pytest.raises(Invalid):
            submit_review(session, user, project, review_data(**bad))
    data = review_data()
    del data["no_conflict"]
    with pytest.raises(Invalid):
        submit_review(session, user, project, data)
    with pytest.raises(Invalid):
        submit_review(session, user, project, ["not", "an", "object"])
    assert count(session, Review) == 0


def test_submit_review_edit_keeps_the_previous_version_and_bumps_version(session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    assign(project, user)
    first = submit(project, user, stance="optimistic", net_negative=False, confidence=2,
                   concern_categories=["displacement"], suggested_safeguards=["Cap at ten."])
    first_updated = first.updated_at
    edited = submit(project, user, stance="pessimistic", net_negative=True,
                    rationale="On reflection, it may displace a better effort.", confidence=4)
    assert edited.id == first.id
    session.expire_all()
    stored = session.get(Review, first.id)
    assert (stored.version, stored.stance, stored.net_negative, stored.confidence,
            stored.concern_categories, stored.suggested_safeguards) == (
        2, "pessimistic", True, 4, [], [])
    [kept] = session.scalars(select(ReviewVersion).where(ReviewVersion.review_id == first.id))
    assert (kept.version, kept.saved_at) == (1, first_updated)
    assert kept.data == {"stance": "optimistic", "net_negative": False, "rationale": "",
                         "concern_categories": ["displacement"], "risk_scores": [],
                         "suggested_safeguards": ["Cap at ten."], "confidence": 2,
                         "expertise": "familiar"}
    submit(project, user, stance="neutral")
    assert [v.version for v in session.scalars(
        select(ReviewVersion).where(ReviewVersion.review_id == first.id)
        .order_by(ReviewVersion.version))] == [1, 2]
    assert count(session, Review) == 1


def test_submit_review_after_round_closed_is_conflict_for_its_reviewer(session, workflow):
    project, users = reviewed(workflow, DONE_WHEN)
    fire(session, workflow, project, "request_safeguards", actor=grantmaker())
    with pytest.raises(Conflict) as caught:
        submit(project, users[0], stance="pessimistic")
    assert caught.value.messages == ["This project has no open review round now."]


def test_submit_review_after_round_closed_is_forbidden_for_a_non_reviewer(session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN)
    boss = grantmaker()
    fire(session, workflow, project, "request_safeguards", actor=boss)
    with pytest.raises(Forbidden):
        submit(project, boss)


# --- declaring a conflict --------------------------------------------------------------------

def test_declare_conflict_withdraws_assignment_and_review_leaves_figures(session, workflow):
    project, users = reviewed(workflow, DONE_WHEN)
    [review_round] = rounds_of(session, project)
    assert round_figures(session, review_round, project)["concern_pct"] == 66.7
    assert load_project(session, users[1], project.id).id == project.id
    declaration = declare_conflict(session, users[1], project, "advisor_advisee",
                                   "She was my PhD advisor.")
    assert (declaration.kind, declaration.note, declaration.declared_by_id) == (
        "advisor_advisee", "She was my PhD advisor.", users[1].id)
    [review_round] = rounds_of(session, project)
    withdrawn = next(a for a in review_round.assignments if a.reviewer_id == users[1].id)
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawn_reason == "declared a conflict of interest"
    live = round_figures(session, review_round, project)
    assert (live["n_reviews"], live["concern_pct"], live["optimism_pct"]) == (2, 100.0, 50.0)
    with pytest.raises(NotFound):
        load_project(session, users[1], project.id)
    with pytest.raises(Forbidden):
        submit(project, users[1])


def test_declare_conflict_twice_or_by_the_proposer_or_bad_kind_is_refused(session, workflow):
    project = project_in_review(workflow)
    user = reviewer()
    declare_conflict(session, user, project, "other")
    with pytest.raises(Conflict) as caught:
        declare_conflict(session, user, project, "personal")
    assert caught.value.messages == ["You have already declared a conflict with this project."]
    with pytest.raises(Conflict) as caught:
        declare_conflict(session, project.owner, project, "personal")
    assert caught.value.messages == [
        "You proposed this project; proposers never review their own."]
    with pytest.raises(Invalid) as caught:
        declare_conflict(session, reviewer(), project, "rivalry")
    assert caught.value.problems == [{"field": "kind", "message": "kind should be one of "
                                      "recent_collaborator, advisor_advisee, same_organisation, "
                                      "personal, funder_relationship, other."}]
    assert count(session, ConflictDeclaration,
                 ConflictDeclaration.project_id == project.id) == 1


# --- closing a round -------------------------------------------------------------------------

def test_request_safeguards_with_two_reviews_is_invalid(session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN[:2])
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, "request_safeguards", actor=grantmaker())
    assert caught.value.messages == ["Round 1 has 2 submitted reviews; at least 3 are needed."]
    [review_round] = rounds_of(session, project)
    assert (project.state, review_round.status, review_round.figures) == ("review", "open", None)


def test_request_safeguards_with_one_review_says_review_in_singular(session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN[:1])
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, "request_safeguards", actor=grantmaker())
    assert caught.value.messages == ["Round 1 has 1 submitted review; at least 3 are needed."]


def test_request_safeguards_withdrawn_review_does_not_count(session, workflow):
    project, users = reviewed(workflow, DONE_WHEN)
    declare_conflict(session, users[2], project, "personal")
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, "request_safeguards", actor=grantmaker())
    assert caught.value.messages == ["Round 1 has 2 submitted reviews; at least 3 are needed."]


def test_request_safeguards_with_three_reviews_closes_round_and_freezes_figures(
        session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN)
    fire(session, workflow, project, "request_safeguards", actor=grantmaker())
    session.expire_all()
    assert session.get(Project, project.id).state == "revision"
    [review_round] = rounds_of(session, project)
    assert review_round.status == "closed"
    assert review_round.closed_at is not None
    frozen = review_round.figures
    assert (frozen["n_reviews"], frozen["concern_pct"], frozen["optimism_pct"],
            frozen["weighted_concern_pct"]) == (3, 66.7, 66.7, 87.5)
    by_category = {row["category"]: row["concern_pct"] for row in frozen["categories"]}
    assert by_category == {"reputational_harm": 0.0, "capabilities": 66.7,
                           "displacement": 33.3, "low_fidelity": 0.0,
                           "participant_harm": 0.0, "info_hazard": 0.0,
                           "coordination_harm": 0.0}
    # Reviews changed behind the app's back do not move a closed round's figures.
    session.execute(update(Review).where(Review.assignment_id.in_(
        [a.id for a in review_round.assignments])).values(net_negative=False,
                                                           stance="pessimistic",
                                                           concern_categories=[]))
    [review_round] = rounds_of(session, project)
    assert review_round.figures == frozen
    assert round_figures(session, review_round, project) == frozen


def test_no_go_from_review_without_comment_is_invalid(session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN[:1])
    with pytest.raises(Invalid) as caught:
        fire(session, workflow, project, "no_go", actor=grantmaker(), comment="  ")
    assert caught.value.messages == ["'Decide no-go' needs a rationale: write it in the comment."]
    [review_round] = rounds_of(session, project)
    assert (project.state, review_round.status) == ("review", "open")


def test_no_go_from_review_with_comment_closes_round(session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN[:1])
    fire(session, workflow, project, "no_go", actor=grantmaker(),
         comment="The capabilities risk outweighs the benefit.")
    session.expire_all()
    assert session.get(Project, project.id).state == "no_go"
    [review_round] = rounds_of(session, project)
    assert (review_round.status, review_round.figures["n_reviews"],
            review_round.figures["concern_pct"]) == ("closed", 1, 100.0)


def test_withdraw_in_review_closes_round(session, workflow):
    project = project_in_review(workflow)
    fire(session, workflow, project, "withdraw", actor=project.owner)
    [review_round] = rounds_of(session, project)
    assert (review_round.status, review_round.figures["n_reviews"]) == ("closed", 0)


# --- the outbox ------------------------------------------------------------------------------

def test_outbox_one_message_per_assignment_and_one_to_proposer_on_close(session, workflow):
    owner = UserFactory(email="olive.owner@example.org", name="Olive Owner")
    names = ["Quintessa Vandersloot", "Bartholomew Okonkwo-Reyes", "Xiomara Thistlewood"]
    project = project_in_review(workflow, owner=owner)
    boss = grantmaker()
    users = [reviewer(name=n, email=f"{n.split()[0].lower()}@reviewers.test") for n in names]
    for user, fields in zip(users, DONE_WHEN, strict=True):
        assign(project, user, by=boss, due_on=date(2031, 3, 1))
        submit(project, user, **fields)
    messages = outbox(session, project)
    assert [m.to_email for m in messages] == [u.email for u in users]
    title = project.current_revision.title
    assert {m.subject for m in messages} == {f"Please review: {title}"}
    assert {m.sent_at for m in messages} == {None}
    assert "by 2031-03-01" in messages[0].body
    fire(session, workflow, project, "request_safeguards", actor=boss)
    messages = outbox(session, project)
    assert len(messages) == 5  # the round's figures, then the request for safeguards
    to_owner, asked = messages[-2:]
    assert (to_owner.to_email, asked.to_email) == ("olive.owner@example.org",) * 2
    assert to_owner.subject == f"Review round 1 closed: {title}"
    assert asked.subject == f"Safeguards requested: {title}"
    assert "has closed with 3 reviews; concern 66.7%." in to_owner.body
    for user in users:
        for detail in (user.name, *user.name.split(), user.email, "reviewers.test"):
            for mail in (to_owner, asked):
                assert detail not in mail.subject
                assert detail not in mail.body
                assert detail not in mail.html_body


def test_outbox_nothing_when_notify_is_false(session, workflow):
    project = project_in_review(workflow)
    assign(project, reviewer(), notify=False)
    assert outbox(session, project) == []


def test_outbox_close_without_reviews_says_concern_not_available(session, workflow):
    project = project_in_review(workflow)
    fire(session, workflow, project, "no_go", actor=grantmaker(), comment="Not for us.")
    message, decided = outbox(session, project)
    assert "has closed with 0 reviews; concern n/a." in message.body
    assert decided.subject == f"Decision on {project.current_revision.title}: no-go"
    assert "Their rationale: Not for us." in decided.body


# --- the database's own rules ----------------------------------------------------------------

def test_database_refuses_two_open_rounds_for_one_project(session, workflow):
    project = project_in_review(workflow)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(ReviewRound(project_id=project.id,
                                revision_id=project.current_revision.id, number=2))
        session.flush()
    assert [r.number for r in rounds_of(session, project)] == [1]


def test_database_allows_a_second_round_once_the_first_is_closed(session, workflow):
    project, _ = reviewed(workflow, DONE_WHEN)
    fire(session, workflow, project, "request_safeguards", actor=grantmaker())
    with session.begin_nested():
        session.add(ReviewRound(project_id=project.id,
                                revision_id=project.current_revision.id, number=2))
    assert [(r.number, r.status) for r in rounds_of(session, project)] == [
        (1, "closed"), (2, "open")]


def test_database_refuses_net_negative_review_without_rationale(session, workflow):
    reviewed(workflow, DONE_WHEN[:1])
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(update(Review).where(Review.net_negative).values(rationale=""))
