"""Admins invite people by e-mail: the account is made with its roles, a mail with a link to
choose a password is queued (text and HTML), the link sets the password once and the person
signs in; refused invitations keep what was typed; the list shows the last sign-in."""

from __future__ import annotations

import re

from sqlalchemy import select

from reviewtool.models import AccountEvent, OutboxMessage, User
from tests.factories import UserFactory
from tests.web.test_pages import assert_every_control_labelled, page

LINK_RE = re.compile(r"http://localhost:5000(/password/reset/[A-Za-z0-9_-]{43})")
CHOSEN = "a-chosen-secret-for-reviewing"


def admin():
    return UserFactory(roles=("admin",), name="Ann Admin")


def test_invite_page_has_labelled_controls(client, login):
    login(admin())
    response = client.get("/admin/users/invite")
    assert response.status_code == 200
    assert_every_control_labelled(page(response))


def test_invite_makes_account_mails_link_and_person_signs_in(client, login, session):
    boss = admin()
    login(boss)
    response = client.post("/admin/users/invite", data={
        "email": "Nia.New@Example.org", "name": "Nia New", "organisation": "Safety Commons",
        "roles": ["reviewer", "proposer"]})
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.email == "nia.new@example.org"))
    assert (user.name, user.organisation, sorted(user.roles)) == (
        "Nia New", "Safety Commons", ["proposer", "reviewer"])
    [mail] = session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == user.email))
    assert (mail.kind, mail.subject) == ("invitation", "You are invited to reviewtool")
    assert "Ann Admin invites you to reviewtool" in mail.body
    assert "as proposer, reviewer." in mail.body
    path = LINK_RE.search(mail.body).group(1)
    assert f'href="http://localhost:5000{path}"' in mail.html_body
    assert session.scalar(select(AccountEvent.kind).where(AccountEvent.user_id == user.id)) \
        == "invited"
    client.post("/logout")
    # Before the link is used no password works: the account's one is random.
    assert client.post("/login", data={"email": user.email, "password": ""}).status_code != 302
    assert client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 302
    signed_in = client.post("/login", data={"email": user.email, "password": CHOSEN})
    assert signed_in.status_code == 302
    session.refresh(user)
    assert user.last_signed_in_at is not None
    assert client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code \
        == 410  # the link works once


def test_invite_existing_email_is_409_and_keeps_what_was_typed(client, login):
    boss = admin()
    login(boss)
    taken = UserFactory(email="taken@example.org")
    response = client.post("/admin/users/invite", data={
        "email": taken.email, "name": "Typed Name", "roles": ["reviewer"]})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "A user with email taken@example.org already exists." in text
    assert 'value="Typed Name"' in text


def test_invite_without_role_is_422_in_the_words_of_the_label(client, login):
    login(admin())
    response = client.post("/admin/users/invite", data={"email": "x@example.org"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the user at least one role." in text
    assert 'value="x@example.org"' in text


def test_invite_refused_for_grantmaker(client, login):
    login(UserFactory(roles=("grantmaker",)))
    assert client.get("/admin/users/invite").status_code == 403
    assert client.post("/admin/users/invite", data={"email": "y@example.org",
                                                   "roles": ["reviewer"]}).status_code == 403


def test_users_list_shows_last_sign_in(client, login):
    boss = admin()
    login(boss)
    UserFactory(name="Never Here")
    text = client.get("/admin/users").get_data(as_text=True)
    assert re.search(r"Never Here</a></td>.*?<td>never</td>", text, re.S)
    row = re.search(r"Ann Admin</a></td>(.*?)</tr>", text, re.S).group(1)
    assert "never" not in row and "UTC" in row
