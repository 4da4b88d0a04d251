"""The revision pages without a browser: the safeguard editor (concerns with the safeguards
answering them, labels, saving, inline 422 errors), revisions and diffs, the trajectory on the
project page (per-reviewer movement for grantmakers only) and "changes since your last review"."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from reviewtool.models import Project, Revision, Safeguard
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import update_proposal
from reviewtool.services.revisions import save_revision
from reviewtool.services.transitions import fire
from tests.factories import COMPLETE, grantmaker, reviewed, reviewer, submit
from tests.web.test_risk_pages import by_class, controls, form_values, parse, text_of

ROUND_1 = [
    {"net_negative": True, "stance": "optimistic", "confidence": 4,
     "concern_categories": ["participant_harm"], "rationale": "Pulls students out of PhDs.",
     "suggested_safeguards": ["Train advisors on when not to recommend a switch."]},
    {"net_negative": False, "stance": "optimistic", "confidence": 3},
    {"net_negative": True, "stance": "neutral", "confidence": 5,
     "concern_categories": ["capabilities", "participant_harm"],
     "rationale": "Advisees may join capabilities labs."},
]
SUPERVISION = {"type": "supervisory_team", "description": "A supervisory team reviews each call.",
               "responsible": "Programme lead", "addresses": ["capabilities"],
               "concerns": [{"round": 1, "reviewer": "C"}], "residual_likelihood": 1,
               "residual_severity": 3}
PILOT = {"type": "pilot_testing", "description": "Five pilot calls first.", "responsible": "Ben",
         "addresses": ["participant_harm"], "concerns": [], "residual_likelihood": 2,
         "residual_severity": 2}
NEW_SUMMARY = "Pair **ten** early-career researchers with senior safety mentors for two months."


def in_revision(session, workflow, safeguards=()):
    """Round 1 closed at 66.7 % concern, the draft revision 2 holding `safeguards`."""
    gm = grantmaker()
    project, users = reviewed(workflow, ROUND_1, by=gm)
    fire(session, workflow, project, "request_safeguards", actor=gm)
    if safeguards:
        save_revision(session, project.owner, project, {"safeguards": list(safeguards)},
                      load_catalogues(session))
    return project, users, gm


def in_round_2(session, workflow):
    """Revision 2 (a new summary and two safeguards) resubmitted; round 2 has two reviews."""
    project, users, gm = in_revision(session, workflow, [SUPERVISION, PILOT])
    update_proposal(session, project.owner, project, {"summary": NEW_SUMMARY},
                    load_catalogues(session), expected_version=project.version)
    fire(session, workflow, project, "resubmit", actor=project.owner)
    submit(project, users[0], net_negative=False, stance="optimistic", confidence=4)
    submit(project, users[2], net_negative=True, concern_categories=["capabilities"],
           confidence=4)
    return project, users, gm


def url(project, page=""):
    return f"/projects/{project.id}/{page}" if page else f"/projects/{project.id}"


def editor(root):
    [form] = by_class(root, "form", "safeguard-editor")
    return form


def fill_new_row(root, **values):
    """The editor's values with the new (last) row filled in by control label."""
    form = editor(root)
    data = form_values(form)
    ids = {e.get("id"): e for e in form.iter() if e.get("id")}
    for label in root.iter("label"):
        text = text_of(label)
        if text in values and label.get("for") in ids:
            data[ids[label.get("for")].get("name")] = values[text]
    return data


def check(root, data, legend: str, option: str) -> None:
    """Tick the checkbox labelled `option` inside the fieldset whose legend is `legend`."""
    [fieldset] = [f for f in root.iter("fieldset") if text_of(f.find("legend")) == legend]
    [label] = [lb for lb in fieldset.iter("label") if text_of(lb) == option]
    [box] = [e for e in fieldset.iter("input") if e.get("id") == label.get("for")]
    data.setdefault(box.get("name"), []).append(box.get("value"))  # the new row: none ticked


def test_safeguards_page_every_control_has_a_label(client, login, session, workflow):
    project, _, _ = in_revision(session, workflow, [SUPERVISION])
    root = parse(login(project.owner).get(url(project, "safeguards")))
    labelled = {label.get("for") for label in root.iter("label") if text_of(label)}
    fields = controls(editor(root))
    # per row: type, description, responsible, 7 categories, 3 reviews (Reviewer B's answers
    # are not a concern, but a safeguard may still name them), 2 residuals; + remove if saved
    assert len(fields) == 2 * (3 + 7 + 3 + 2) + 1
    assert [e.get("id") for e in fields if e.get("id") not in labelled] == []
    legends = [text_of(f.find("legend")) for f in editor(root).iter("fieldset")]
    assert legends == ["Safeguard 1", "Safeguard 1: Addresses risk categories",
                       "Safeguard 1: Answers concerns of", "New safeguard",
                       "New safeguard: Addresses risk categories",
                       "New safeguard: Answers concerns of"]
    labels = [text_of(label) for label in root.iter("label")]
    for name in ("Safeguard type", "Description", "Who is responsible",
                 "Expected residual likelihood", "Expected residual severity"):
        assert f"Safeguard 1: {name}" in labels
        assert f"New safeguard: {name}" in labels
    assert "Safeguard 1: Remove this safeguard" in labels
    assert labels.count("Round 1, Reviewer C") == 2


def test_safeguards_page_shows_each_concern_with_its_safeguards(client, login, session,
                                                                  workflow):
    project, users, _ = in_revision(session, workflow, [SUPERVISION])
    response = login(project.owner).get(url(project, "safeguards"))
    [section] = by_class(parse(response), "section", "concerns")
    assert text_of(section.find("h2")) == "Concerns raised in round 1"
    articles = [(text_of(a.find("h4")), text_of(a)) for a in section.iter("article")]
    assert [title for title, _ in articles] == [
        "Speeding up capabilities research (33.3% of reviews)",
        "Participant harm (66.7% of reviews)", "Reviewer A", "Reviewer C"]
    assert "Answered by: Supervisory team: A supervisory team reviews each call." in \
        articles[0][1]
    assert "No safeguard addresses this category yet" in articles[1][1]
    assert "Train advisors on when not to recommend a switch." in articles[2][1]
    assert "No safeguard names this concern yet." in articles[2][1]
    assert "answers: Round 1, Reviewer C" in articles[3][1]
    page = response.get_data(as_text=True)
    assert [u.name for u in users if u.name in page or u.email in page] == []


def test_safeguards_save_adds_a_row_and_redirects(client, login, session, workflow):
    project, _, _ = in_revision(session, workflow)
    web = login(project.owner)
    root = parse(web.get(url(project, "safeguards")))
    data = fill_new_row(root, **{"New safeguard: Safeguard type": "pilot_testing",
                                 "New safeguard: Description": "Five pilot calls first.",
                                 "New safeguard: Who is responsible": "Ben",
                                 "New safeguard: Expected residual likelihood": "2",
                                 "New safeguard: Expected residual severity": "2"})
    check(root, data, "New safeguard: Addresses risk categories", "Participant harm")
    check(root, data, "New safeguard: Answers concerns of", "Round 1, Reviewer A")
    response = web.post(url(project, "safeguards"), data=data)
    assert (response.status_code, response.headers["Location"]) == (303, url(project,
                                                                               "safeguards"))
    session.expire_all()
    [stored] = session.scalars(select(Safeguard)).all()
    assert (stored.revision_id, stored.type, stored.description, stored.responsible,
            stored.addresses, stored.concerns, stored.residual_likelihood,
            stored.residual_severity) == (
        project.current_revision.id, "pilot_testing", "Five pilot calls first.", "Ben",
        ["participant_harm"], [{"round": 1, "reviewer": "A"}], 2, 2)
    assert "Safeguards saved." in text_of(parse(web.get(url(project, "safeguards"))))


def test_safeguards_add_another_without_script_keeps_typed_and_saves_nothing(
        client, login, session, workflow):
    project, _, _ = in_revision(session, workflow, [PILOT])
    web = login(project.owner)
    root = parse(web.get(url(project, "safeguards")))
    data = fill_new_row(root, **{"New safeguard: Description": "A helpline for mentees.",
                                 "New safeguard: Who is responsible": "Ada"})
    response = web.post(url(project, "safeguards"), data={**data, "add_row": "safeguards"})
    assert response.status_code == 200
    again = parse(response)
    values = form_values(editor(again))
    assert (values["safeguards-1-description"], values["safeguards-1-responsible"],
            values["safeguards-2-description"]) == ("A helpline for mentees.", "Ada", "")
    legends = [text_of(f.find("legend")) for f in editor(again).iter("fieldset")
               if "safeguard" in f.get("class", "").split()]
    assert legends == ["Safeguard 1", "New safeguard", "New safeguard 2"]
    assert by_class(again, "div", "errors") == []
    session.expire_all()
    assert [s.type for s in session.get(Project, project.id).current_revision.safeguards] == [
        "pilot_testing"]


def test_safeguards_remove_deletes_the_saved_row(client, login, session, workflow):
    project, _, _ = in_revision(session, workflow, [SUPERVISION, PILOT])
    web = login(project.owner)
    data = form_values(editor(parse(web.get(url(project, "safeguards")))))
    data["safeguards-0-remove"] = "y"
    assert web.post(url(project, "safeguards"), data=data).status_code == 303
    session.expire_all()
    assert [s.type for s in session.get(Project, project.id).current_revision.safeguards] == [
        "pilot_testing"]


def test_safeguards_save_incomplete_row_is_422_with_inline_errors(client, login, session,
                                                                  workflow):
    project, _, _ = in_revision(session, workflow)
    web = login(project.owner)
    root = parse(web.get(url(project, "safeguards")))
    data = fill_new_row(root, **{"New safeguard: Description": "Someone keeps an eye on it."})
    response = web.post(url(project, "safeguards"), data=data)
    assert response.status_code == 422
    root = parse(response)
    assert [text_of(e) for e in by_class(root, "p", "error")] == [
        "Choose a safeguard type.", "Tick at least one risk category it addresses.",
        "Choose the expected residual likelihood.", "Choose the expected residual severity."]
    [summary] = by_class(root, "div", "errors")
    assert [text_of(li) for li in summary.iter("li")] == [
        "New safeguard: Safeguard type: Choose a safeguard type.",
        "New safeguard: Addresses risk categories: Tick at least one risk category it addresses.",
        "New safeguard: Expected residual likelihood: Choose the expected residual likelihood.",
        "New safeguard: Expected residual severity: Choose the expected residual severity."]
    # each summary line links to its control
    links = [li.find("a").get("href") for li in summary.iter("li")]
    assert links == ["#safeguards-0-type", "#safeguards-0-addresses",
                     "#safeguards-0-residual_likelihood", "#safeguards-0-residual_severity"]
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert [link for link in links if link[1:] not in ids] == []
    assert "Someone keeps an eye on it." in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalars(select(Safeguard)).all() == []


def test_safeguards_save_too_long_description_names_the_limit(client, login, session,
                                                              workflow):
    project, _, _ = in_revision(session, workflow, [PILOT])
    web = login(project.owner)
    data = form_values(editor(parse(web.get(url(project, "safeguards")))))
    data["safeguards-0-description"] = "x" * 2001
    response = web.post(url(project, "safeguards"), data=data)
    assert response.status_code == 422
    assert [text_of(e) for e in by_class(parse(response), "p", "error")] == [
        "Description is too long: at most 2000 characters."]


def test_safeguards_page_refuses_others_and_other_states(client, login, session, workflow):
    project, _, gm = in_revision(session, workflow)
    assert login(gm).get(url(project, "safeguards")).status_code == 403
    assert login(reviewer()).get(url(project, "safeguards")).status_code == 404
    session.execute(update(Project).where(Project.id == project.id).values(state="review"))
    assert login(project.owner).get(url(project, "safeguards")).status_code == 409


def test_diff_page_shows_del_and_ins_for_a_known_edit(client, login, session, workflow):
    project, _, _ = in_revision(session, workflow)
    update_proposal(session, project.owner, project, {"summary": NEW_SUMMARY},
                    load_catalogues(session), expected_version=project.version)
    response = login(project.owner).get(url(project, "diff?from=1&to=2"))
    assert response.status_code == 200
    root = parse(response)
    [changed] = by_class(root, "section", "changed")
    assert text_of(changed.find("h2")) == "Summary (changed)"
    assert [text_of(e) for e in changed.iter("del")] == ["removed: three"]
    assert [text_of(e) for e in changed.iter("ins")] == ["added: safety", "added: two"]
    assert [text_of(e.find("span")) for e in changed.iter("ins")] == ["added:", "added:"]
    assert {e.find("span").get("class") for e in changed.iter("del")} == {"visually-hidden"}
    unchanged = [text_of(d.find("summary")) for d in by_class(root, "details", "unchanged")]
    assert unchanged[:2] == ["Title (unchanged)", "Project type (unchanged)"]
    assert len(unchanged) == 11


def test_revisions_page_lists_number_date_and_sha(client, login, session, workflow):
    project, _, _ = in_revision(session, workflow)
    first = project.revisions[0]
    root = parse(login(project.owner).get(url(project, "revisions")))
    rows = [[text_of(c) for c in tr] for tr in root.iter("tr")][1:]
    assert rows == [
        ["Revision 1", f"{first.submitted_at.day} {first.submitted_at:%b %Y, %H:%M} UTC",
         first.snapshot_sha256, "—"],
        ["Revision 2 (current)", "Draft, not submitted yet", "—", "Changes from revision 1"]]


def test_revision_page_shows_the_frozen_snapshot(client, login, session, workflow):
    project, _, _ = in_revision(session, workflow)
    first = project.revisions[0]
    # Even if a row were changed behind the application's back, the page shows the snapshot.
    session.execute(update(Revision).where(Revision.id == first.id).values(title="Tampered"))
    response = login(project.owner).get(url(project, "revisions/1"))
    page = text_of(parse(response))
    assert f"Revision 1 of “{COMPLETE['title']}”" in page
    assert first.snapshot_sha256 in page and "Tampered" not in page
    assert json.loads(first.snapshot)["summary"] == COMPLETE["summary"]
    assert login(project.owner).get(url(project, "revisions/7")).status_code == 404


def test_project_page_trajectory_grantmaker_sees_per_reviewer_table(client, login, session,
                                                                     workflow):
    project, users, gm = in_round_2(session, workflow)
    root = parse(login(gm).get(url(project)))
    [section] = by_class(root, "section", "trajectory")
    [figures, movement] = list(section.iter("table"))
    assert [[text_of(c) for c in tr][:5] for tr in figures.iter("tr")][1:] == [
        ["Round 1", "3", "66.7%", "75.0%", "66.7%"], ["Round 2 (open)", "2", "50.0%", "50.0%",
                                                      "50.0%"]]
    assert len(list(section.iter("svg"))) == 1
    assert [[text_of(c) for c in tr] for tr in movement.iter("tr")][1:] == [
        [users[0].name, "Reviewer A: optimistic, net negative, confidence 4",
         "Reviewer A: optimistic, not net negative, confidence 4", "no longer net negative"],
        [users[1].name, "Reviewer B: optimistic, not net negative, confidence 3",
         "Reviewer B: no review", "reviewed once"],
        [users[2].name, "Reviewer C: neutral, net negative, confidence 5",
         "Reviewer C: neutral, net negative, confidence 4", "still net negative"]]


def test_project_page_trajectory_proposer_sees_no_reviewer_table(client, login, session,
                                                                  workflow):
    project, users, _ = in_round_2(session, workflow)
    response = login(project.owner).get(url(project))
    [section] = by_class(parse(response), "section", "trajectory")
    assert len(list(section.iter("table"))) == 1
    assert by_class(section, "table", "movement") == []
    assert [u.name for u in users if u.name in response.get_data(as_text=True)] == []


def test_project_page_has_no_trajectory_before_round_2(client, login, session, workflow):
    project, _, _ = in_revision(session, workflow)
    root = parse(login(project.owner).get(url(project)))
    assert by_class(root, "section", "trajectory") == []
    links = {text_of(a): a.get("href") for a in root.iter("a")}
    assert (links["Write safeguards"], links["Every revision of this proposal"]) == (
        url(project, "safeguards"), url(project, "revisions"))


def test_review_page_shows_changes_since_last_review_first(client, login, session, workflow):
    project, users, _ = in_round_2(session, workflow)
    response = login(users[1]).get(url(project, "review"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("Changes since your last review") < page.index('class="review-form"')
    [section] = by_class(parse(response), "section", "changes-since")
    assert [text_of(h) for h in section.iter("h3")] == ["Summary", "Safeguards",
                                                        "Your review in round 1"]
    [summary, safeguards] = by_class(section, "section", "changed")
    assert [text_of(d) for d in summary.iter("dd")] == ["safety two", "three"]
    assert [text_of(d) for d in safeguards.iter("dd")][1] == "—"
    [previous] = by_class(section, "section", "previous-review")
    assert [text_of(d) for d in previous.iter("dd")][:3] == ["Optimistic", "No", "—"]


def test_review_page_has_no_changes_section_in_round_1(client, login, session, workflow):
    gm = grantmaker()
    project, [user] = reviewed(workflow, [{}], by=gm)
    response = login(user).get(url(project, "review"))
    assert response.status_code == 200
    assert by_class(parse(response), "section", "changes-since") == []
