"""The programme's pages: the workflow diagram with its thresholds and text alternative, the
catalogues (adding a risk category freezes a new version), the outbox (failed with its error,
retry), and each person's mail choices."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from reviewtool.models import NotificationPreference, OutboxMessage, RiskCatalogueVersion, utcnow
from reviewtool.services import outbox
from tests.factories import ProjectFactory, UserFactory
from tests.web.test_pages import assert_every_control_labelled, page


def admin():
    return UserFactory(roles=("admin",))


def text(response) -> str:
    return response.get_data(as_text=True)


def test_workflow_page_draws_default_with_thresholds_and_moves(client, login):
    login(UserFactory(roles=("grantmaker",)))
    body = text(client.get("/admin/workflow"))
    assert "<h1>Workflow: default <small>version 1</small></h1>" in body
    assert body.count('<g class="state"') == 9
    assert body.count('<g class="move"') == 12  # 11 triggers, no_go from 2 states, withdraw once
    assert 'aria-label="Workflow &#x27;default&#x27; (version 1): 9 states and 11 triggers' in body
    assert "<td><code>min_reviews</code></td><td>3</td>" in body
    assert ("<tr><td>Skip pilot</td><td>Review</td><td>Decision</td><td>grantmaker</td>"
            "<td>—</td><td>required</td></tr>") in body


def test_workflow_page_shows_small_grants_when_projects_run_under_it(client, login):
    login(admin())
    ProjectFactory(workflow_name="small-grants")
    body = text(client.get("/admin/workflow?name=small-grants"))
    assert "<h1>Workflow: small-grants <small>version 1</small></h1>" in body
    assert body.count('<g class="state"') == 7
    assert "<td><code>min_reviews</code></td><td>2</td>" in body
    assert "Pilot" not in re.sub(r"<nav.*?</nav>", "", body, flags=re.S).split("<h1>")[1]


def test_workflow_page_refuses_unknown_name_and_paths(client, login):
    login(admin())
    assert client.get("/admin/workflow?name=../../etc/passwd").status_code == 404
    assert client.get("/admin/workflow?name=small-grants").status_code == 404  # no project


def test_catalogue_page_adds_risk_category_and_freezes_a_version(client, login, session):
    login(admin())
    # Read as the next request would: this test's session remembers its own reads
    # (reviewtool/unit_memo.py) until it changes something itself.
    def newest():
        return session.scalar(select(func.max(RiskCatalogueVersion.number)))
    before = newest()
    response = client.post("/admin/catalogues", data={
        "catalogue": "risk_categories", "key": "lock_in", "label": "Lock-in",
        "guidance": "Could the project make a later change of course harder?"})
    assert response.status_code == 302
    assert newest() == before + 1
    body = text(client.get("/admin/catalogues"))
    assert ("<td><code>lock_in</code></td><td>Lock-in</td><td>Could the project make a later "
            "change of course harder?</td>") in body
    assert_every_control_labelled(page(client.get("/admin/catalogues")))


def test_catalogue_page_refuses_bad_key_keeping_what_was_typed(client, login):
    login(admin())
    response = client.post("/admin/catalogues", data={
        "catalogue": "project_types", "key": "Bad Key", "label": "Typed label"})
    assert response.status_code == 422
    assert ('<li><a href="#key">Key should be lower_case letters, digits and underscores'
            in text(response))
    assert 'value="Typed label"' in text(response)


def test_outbox_page_lists_failed_with_error_and_retry_makes_it_due(client, login, session):
    login(admin())
    message = outbox.queue(session, to="gone@example.org", subject="Please review: X",
                           body="secret link /password/reset/abc", kind="review_assigned")
    session.flush()
    message.attempts, message.failed_at = 8, utcnow() - timedelta(minutes=1)
    message.last_error = "127.0.0.1:25: 550 5.1.1 No such user here"
    session.flush()
    body = text(client.get("/admin/outbox"))
    assert "127.0.0.1:25: 550 5.1.1 No such user here" in body
    assert "/password/reset/abc" not in body  # never a message's text
    assert f"Retry message {message.id}" in body
    assert client.post(f"/admin/outbox/{message.id}/retry").status_code == 302
    session.refresh(message)
    assert (message.failed_at, message.attempts) == (None, 0)
    assert client.post("/admin/outbox/999999999/retry").status_code == 404


def test_outbox_retry_of_sent_message_is_409(client, login, session):
    login(admin())
    message = outbox.queue(session, to="a@example.org", subject="S", body="B")
    session.flush()
    message.sent_at = utcnow()
    session.flush()
    assert client.post(f"/admin/outbox/{message.id}/retry").status_code == 409


def test_mail_choices_saved_and_bad_choice_is_422(client, login, session):
    user = UserFactory(roles=("reviewer",))
    login(user)
    body = text(client.get("/account/notifications"))
    # 15 kinds may be chosen (12 of the programme, the forecast invitation, a consultation's
    # invitation and reminder), 3 ways each
    assert body.count('type="radio"') == 3 * 15
    assert "Password reset" not in body
    assert client.post("/account/notifications", data={
        "review_assigned": "digest", "review_overdue": "off"}).status_code == 302
    rows = session.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id)).all()
    assert sorted((r.kind, r.mode) for r in rows) == [("review_assigned", "digest"),
                                                       ("review_overdue", "off")]
    refused = client.post("/account/notifications", data={"review_assigned": "weekly"})
    assert refused.status_code == 422
    assert "choose immediately, daily digest or off" in text(refused)
    assert_every_control_labelled(page(client.get("/account/notifications")))


def test_outbox_and_catalogue_pages_refused_for_grantmaker(client, login):
    login(UserFactory(roles=("grantmaker",)))
    assert client.get("/admin/outbox").status_code == 403
    assert client.get("/admin/catalogues").status_code == 403
    assert client.get("/admin/workflow").status_code == 200
    assert text(client.get("/admin/workflow")).count(OutboxMessage.__tablename__) == 0
