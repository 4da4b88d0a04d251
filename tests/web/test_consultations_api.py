"""Consultations through the API: two waves on 40 panellists, the intervals and the change
in words, withdrawal of consent, small segments hidden, answers editable until close."""

from __future__ import annotations

from sqlalchemy import func, select

from reviewtool.models import OutboxMessage, WaveAnswer
from tests.consultation_factories import (
    CLOSES,
    SAFEGUARDED,
    answer_data,
    consultation,
    panel,
    panellist,
)
from tests.factories import grantmaker, reviewer
from tests.queries import statements_for


def _run_wave(api, boss, made, people, net_negative: int, description=None) -> dict:
    body = {"closes_on": CLOSES, "panellist_ids": [p.id for p in people]}
    if description:
        body["description"] = description
    opened = api(boss).post(f"/consultations/{made.id}/waves", json=body)
    assert opened.status_code == 201, opened.json
    number = opened.json["open_wave"]
    for i, person in enumerate(people):
        sent = api(person).post(f"/consultations/{made.id}/waves/{number}/answers",
                                json=answer_data(i < net_negative))
        assert sent.status_code == 201, sent.json
    closed = api(boss).post(f"/consultations/{made.id}/waves/{number}/close")
    assert closed.status_code == 200, closed.json
    return closed.json


def test_consultation_two_waves_30_then_10_percent_of_40_is_within_the_noise(api, session,
                                                                             client, login):
    boss, people = grantmaker(), panel(40)
    made = consultation(boss)
    _run_wave(api, boss, made, people, 12)
    view = _run_wave(api, boss, made, people, 4, description=SAFEGUARDED)
    # Wilson 95%, by hand (tests/unit/test_consultation_figures.py): 12/40 -> [18.1, 45.4],
    # 4/40 -> [4.0, 23.1]; they overlap, so the change is within the noise.
    assert [{k: w[k] for k in ("number", "invited", "answered", "concern_pct",
                               "concern_interval", "optimism_pct")} for w in view["waves"]] == [
        {"number": 1, "invited": 40, "answered": 40, "concern_pct": 30.0,
         "concern_interval": [18.1, 45.4], "optimism_pct": 70.0},
        {"number": 2, "invited": 40, "answered": 40, "concern_pct": 10.0,
         "concern_interval": [4.0, 23.1], "optimism_pct": 90.0}]
    assert view["change"] == "within_noise"
    assert view["change_detail"]["p_value"] == 0.025
    inserted = [op["text"] for op in view["waves"][1]["description_diff"] if op["op"] == "insert"]
    assert inserted == ["A senior advisor reviews the syllabus and a pilot runs first."]
    assert view["waves"][0]["reasons"] == [{
        "key": "reputational_harm", "label": "Reputational harm to the community",
        "reasons": ["Untrained organisers could put students off the field."] * 12}]
    # 40 invitations per wave went to the outbox, one per panellist.
    assert session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.subject == "Your view, please: Courses in a new city")) == 80
    csv = api(boss).get(f"/consultations/{made.id}/results.csv").get_data(as_text=True)
    # Confidence-weighted: wave 1 12 x 4 = 48 of 48 + 28 x 3 = 132 -> 36.4%; wave 2
    # 4 x 4 = 16 of 16 + 36 x 3 = 124 -> 12.9%.
    assert csv.lstrip("\ufeff").splitlines()[1:3] == [
        f"{made.id},Courses in a new city,1,closed,{CLOSES},40,40,30.0,18.1,45.4,70.0,36.4",
        f"{made.id},Courses in a new city,2,closed,{CLOSES},40,40,10.0,4.0,23.1,90.0,12.9"]
    login(boss)
    page = client.get(f"/consultations/{made.id}").get_data(as_text=True)
    assert "within the noise" in page and "concern fell" not in page
    assert "18.1% to 45.4%" in page and "4.0% to 23.1%" in page


def test_consultation_50_then_10_percent_of_40_says_concern_fell(api, client, login):
    boss, people = grantmaker(), panel(40)
    made = consultation(boss)
    _run_wave(api, boss, made, people, 20)
    view = _run_wave(api, boss, made, people, 4, description=SAFEGUARDED)
    # [35.2, 64.8] against [4.0, 23.1]: no overlap.
    assert view["change"] == "fell"
    login(boss)
    page = client.get(f"/consultations/{made.id}").get_data(as_text=True)
    assert "concern fell" in page and "within the noise" not in page


def test_consultation_withdrawn_panellist_is_not_invited_again_and_answer_still_counts(
        api, session):
    boss, people = grantmaker(), panel(6)
    made = consultation(boss)
    leaver = people[0]
    body = {"closes_on": CLOSES, "panellist_ids": [p.id for p in people]}
    assert api(boss).post(f"/consultations/{made.id}/waves", json=body).status_code == 201
    for i, person in enumerate(people):
        api(person).post(f"/consultations/{made.id}/waves/1/answers",
                         json=answer_data(i == 0))
    withdrawn = api(leaver).put("/panel", json={
        "work_group": "technical", "technical": True, "profession": "research",
        "seniority": "early_career", "consent": False})
    assert withdrawn.json["member"]["consenting"] is False
    # No link from any answer to the leaver, already before the wave closes.
    assert session.scalar(select(func.count(WaveAnswer.id)).where(
        WaveAnswer.panellist_id == leaver.id)) == 0
    assert api(leaver).get(f"/consultations/{made.id}/waves/1/answers").status_code == 403
    view = api(boss).post(f"/consultations/{made.id}/waves/1/close").json
    assert (view["waves"][0]["answered"], view["waves"][0]["concern_pct"]) == (6, 16.7)
    refused = api(boss).post(f"/consultations/{made.id}/waves", json=body)
    assert refused.status_code == 422
    assert refused.json["errors"] == [{"field": "panellist_ids.0", "message": (
        f"Panellists: user {leaver.id} is not a panellist who consents to be surveyed.")}]
    mails_before = session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to_email == leaver.email))
    others = {"closes_on": CLOSES, "panellist_ids": [p.id for p in people[1:]]}
    assert api(boss).post(f"/consultations/{made.id}/waves", json=others).status_code == 201
    assert api(boss).post(f"/consultations/{made.id}/waves/2/reminders").json == {"reminded": 5}
    assert session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to_email == leaver.email)) == mails_before == 1


def test_consultation_segments_with_fewer_than_5_answers_are_not_shown(api):
    boss = grantmaker()
    people = ([panellist(work_group="technical") for _ in range(5)]
              + [panellist(work_group="governance", technical=False) for _ in range(4)])
    made = consultation(boss)
    view = _run_wave(api, boss, made, people, 3)
    groups = next(d for d in view["waves"][0]["segments"] if d["dimension"] == "work_group")
    # technical: 5 answers, 3 net negative -> 60%; governance has 4 answers: hidden.
    assert [(s["key"], s["answered"], s["concern_pct"]) for s in groups["segments"]] == [
        ("technical", 5, 60.0)]
    assert groups["hidden"] == 1


def test_consultation_answer_is_editable_until_close_then_409(api):
    boss, (me, other) = grantmaker(), panel(2)
    made = consultation(boss)
    api(boss).post(f"/consultations/{made.id}/waves",
                   json={"closes_on": CLOSES, "panellist_ids": [me.id]})
    url = f"/consultations/{made.id}/waves/1/answers"
    assert api(me).get(url).json["answer"] is None
    assert api(me).post(url, json=answer_data(False)).status_code == 201
    edited = api(me).post(url, json=answer_data(True))
    assert (edited.status_code, edited.json["answer"]["net_negative"]) == (200, True)
    assert api(other).post(url, json=answer_data(False)).status_code == 404
    assert api(reviewer()).post(url, json=answer_data(False)).status_code == 403
    api(boss).post(f"/consultations/{made.id}/waves/1/close")
    assert api(me).post(url, json=answer_data(False)).status_code == 409


def test_consultation_net_negative_without_reason_is_422_in_the_labels_words(api):
    boss, (me,) = grantmaker(), panel(1)
    made = consultation(boss)
    api(boss).post(f"/consultations/{made.id}/waves",
                   json={"closes_on": CLOSES, "panellist_ids": [me.id]})
    refused = api(me).post(f"/consultations/{made.id}/waves/1/answers",
                           json=answer_data(True, rationale=""))
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "rationale"


def test_consultation_page_queries_do_not_grow_with_waves(app, api, client, login):
    boss, people = grantmaker(), panel(5)
    made = consultation(boss)
    _run_wave(api, boss, made, people, 1)
    login(boss)
    one = statements_for(app, client, f"/consultations/{made.id}")
    _run_wave(api, boss, made, people, 2)
    _run_wave(api, boss, made, people, 3)
    assert statements_for(app, client, f"/consultations/{made.id}") == one


def test_consultation_answer_after_withdrawing_and_consenting_again_is_409(api):
    boss, (me,) = grantmaker(), panel(1)
    made = consultation(boss)
    api(boss).post(f"/consultations/{made.id}/waves",
                   json={"closes_on": CLOSES, "panellist_ids": [me.id]})
    url = f"/consultations/{made.id}/waves/1/answers"
    assert api(me).post(url, json=answer_data(False)).status_code == 201
    details = {"work_group": "technical", "technical": True, "seniority": "senior"}
    api(me).put("/panel", json={**details, "consent": False})
    assert api(me).put("/panel", json={**details, "consent": True}).status_code == 200
    again = api(me).post(url, json=answer_data(True))
    assert again.status_code == 409  # counted once, never twice
    view = api(boss).post(f"/consultations/{made.id}/waves/1/close").json
    assert (view["waves"][0]["answered"], view["waves"][0]["concern_pct"]) == (1, 0.0)


def test_consultation_closing_a_closed_wave_on_the_page_is_409_saying_so(api, client, login):
    boss, people = grantmaker(), panel(1)
    made = consultation(boss)
    _run_wave(api, boss, made, people, 0)
    login(boss)
    response = client.post(f"/consultations/{made.id}/waves/1/close")
    assert response.status_code == 409
    assert "Wave 1 is already closed." in response.get_data(as_text=True)
