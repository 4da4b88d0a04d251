"""The issue's "Done when": a proposer's responses (HTML and JSON, every route) and the e-mails
addressed to them contain no reviewer identity. Reviewers are planted with names, e-mails,
organisations and user ids found nowhere else, so any occurrence can only be a leak."""

from __future__ import annotations

import re

from sqlalchemy import select

from reviewtool.models import OutboxMessage
from reviewtool.services.transitions import fire
from tests.factories import assign, grantmaker, project_in_review, reviewer, submit

PLANTED = [
    (7311001, "Zyxwv Quokka-7311", "quokka7311@uniq-reviewer.example", "Quokka Institute 7311"),
    (7311002, "Yvette Narwhal-8422", "narwhal8422@uniq-reviewer.example", "Narwhal Lab 8422"),
    (7311003, "Xander Pangolin-9533", "pangolin9533@uniq-reviewer.example", "Pangolin Org 9533"),
]
REVIEWS = [
    {"net_negative": True, "stance": "optimistic", "confidence": 5,
     "rationale": "Alumni could join capabilities labs.", "concern_categories": ["capabilities"],
     "suggested_safeguards": ["Screen applicants for capabilities plans."]},
    {"net_negative": False, "stance": "optimistic", "confidence": 2},
    {"net_negative": True, "stance": "neutral", "confidence": 3,
     "rationale": "It may crowd out an existing programme."},
]
# Query strings a proposer might try, searching for reviewers by their details.
EXTRA = ["/projects?state=review", "/projects/{id}/reviewers?q=quokka",
         "/api/v1/projects?state=review", "/api/v1/users?q=quokka",
         "/api/v1/users?role=reviewer", "/api/v1/projects/{id}/reviewers?q=quokka"]


def identities(users) -> list[tuple[str, re.Pattern[str]]]:
    """(what, pattern) for every identifying detail of the planted reviewers."""
    found = []
    for user in users:
        for detail in (user.name, user.email, user.organisation):
            found.append((detail, re.compile(re.escape(detail), re.IGNORECASE)))
        found.append((f"user id {user.id}", re.compile(rf"(?<!\d){user.id}(?!\d)")))
    return found


def urls_for(app, project_id: int) -> list[str]:
    """Every GET route of the app that needs at most the project id, plus EXTRA."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" \
                or not set(rule.arguments) <= {"project_id"}:
            continue
        urls.append(re.sub(r"<(?:int:)?project_id>", str(project_id), rule.rule))
    return sorted(set(urls)) + [u.format(id=project_id) for u in EXTRA]


def leaks_in(client, api_client, urls: list[str], users) -> list[str]:
    """'<url>: <detail>' for every planted detail found in a response body."""
    patterns = identities(users)
    leaks = []
    for url in urls:
        if url.startswith("/api/v1/"):
            response = api_client.get(url.removeprefix("/api/v1"))
        else:
            response = client.get(url)
        assert response.status_code < 500, url
        body = response.get_data(as_text=True)
        leaks += [f"{url}: {what}" for what, pattern in patterns if pattern.search(body)]
    return leaks


def planted_project(workflow):
    """A project in review whose three planted reviewers each submitted a review (the first
    edited theirs once, so earlier versions exist too)."""
    project = project_in_review(workflow)
    boss = grantmaker(name="Gail Grantmaker")
    users = [reviewer(id=uid, name=name, email=email, organisation=org)
             for uid, name, email, org in PLANTED]
    for user, fields in zip(users, REVIEWS, strict=True):
        assign(project, user, by=boss)
        submit(project, user, **fields)
    submit(project, users[0], **{**REVIEWS[0], "confidence": 4})
    return project, users, boss


def test_proposer_responses_contain_no_reviewer_identity(app, login, api, session, workflow):
    project, users, boss = planted_project(workflow)
    client, api_client = login(project.owner), api(project.owner)
    urls = urls_for(app, project.id)
    assert {f"/projects/{project.id}", f"/api/v1/projects/{project.id}/rounds",
            f"/api/v1/projects/{project.id}/history", f"/api/v1/projects/{project.id}/risks",
            f"/api/v1/projects/{project.id}", "/", "/projects"} <= set(urls)

    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Reviewer A" in page and "Alumni could join capabilities labs." in page
    assert leaks_in(client, api_client, urls, users) == []

    fire(session, workflow, project, "request_safeguards", actor=boss)
    assert api_client.get(f"/projects/{project.id}/rounds").json[0]["status"] == "closed"
    assert leaks_in(client, api_client, urls, users) == []


def test_mail_to_proposer_contains_no_reviewer_identity(session, workflow):
    project, users, boss = planted_project(workflow)
    fire(session, workflow, project, "request_safeguards", actor=boss)
    mails = session.scalars(select(OutboxMessage)
                            .where(OutboxMessage.to_email == project.owner.email)).all()
    assert [m.subject for m in mails if m.subject.startswith("Review round 1 closed")] == [
        f"Review round 1 closed: {project.current_revision.title}"]
    leaks = [f"{m.subject}: {what}" for m in mails for what, pattern in identities(users)
             if pattern.search(f"{m.subject}\n{m.body}")]
    assert leaks == []
