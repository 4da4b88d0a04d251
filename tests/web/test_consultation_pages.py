"""Consultation pages and forms, the panel page, the community's view on a proposal and in
its memo, and `reviewtool users create --role panellist`."""

from __future__ import annotations

import copy
import random
import re

from sqlalchemy import func, select

from reviewtool.models import ConsultationWave, PanelMember, WaveInvitation
from reviewtool.services.consultation_panel import draw_sample
from tests.consultation_factories import CLOSES, consultation_with_waves, panel
from tests.consultation_factories import panellist as make_panellist
from tests.decision_factories import at_decision
from tests.factories import COMPLETE, ProjectFactory, grantmaker
from tests.web.test_cli_users import env, run  # noqa: F401  (the CLI fixtures)

# 2 of 6 answers net negative (consultation_with_waves): p = 1/3, z²/n = 0.640267;
# centre = (0.333333 + 0.320133) / 1.640267 = 0.398390; half = 1.96 · sqrt(0.037037 +
# 0.026678) / 1.640267 = 0.301625 -> [9.7%, 70.0%].
SIX = "33.3%</strong> of 6 panellists said this kind of project could be net negative (95% " \
      "interval 9.7% to 70.0%)"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_new_consultation_refused_keeps_what_was_typed_and_names_the_field(client, login):
    login(grantmaker())
    response = client.post("/consultations/new", data={
        "title": "Courses", "project_type": "no_such_type", "description": "Kept text."})
    page = _text(response)
    assert response.status_code == 422
    assert "Project type: &#39;no_such_type&#39; is not a project type." in page
    assert 'value="Courses"' in page and "Kept text." in page


def test_new_consultation_then_wave_on_a_stratified_sample(client, login, session):
    boss = grantmaker()
    panel(8)  # two of each work group
    login(boss)
    made = client.post("/consultations/new", data={
        "title": "Courses", "project_type": "training_course", "description": "Courses."})
    assert made.status_code == 303
    wave_url = made.headers["Location"]
    too_many = client.post(wave_url, data={"closes_on": CLOSES, "sample_size": "999"})
    assert too_many.status_code == 422
    assert "How many panellists to invite: a whole number from 1 to" in _text(too_many)
    opened = client.post(wave_url, data={"closes_on": CLOSES, "sample_size": "4",
                                         "stratify": "y", "description": "Courses, revised."})
    assert opened.status_code == 303
    wave = session.scalars(select(ConsultationWave).order_by(ConsultationWave.id.desc())).first()
    invited = session.scalars(select(WaveInvitation.user_id).where(
        WaveInvitation.wave_id == wave.id)).all()
    groups = sorted(session.scalars(select(PanelMember.work_group).where(
        PanelMember.user_id.in_(invited))))
    # 4 of the 8 stratified: one per work group (8 + earlier panellists of other tests are
    # rolled back, so the pool is these 8).
    assert groups == ["governance", "movement_building", "strategy", "technical"]
    assert wave.description == "Courses, revised."


def test_draw_sample_stratified_gives_each_group_its_share():
    pool = [(i, "a") for i in range(6)] + [(i, "b") for i in range(6, 9)] + [(9, "c")]
    picked = draw_sample(pool, 5, stratify=True, rng=random.Random(1))
    # Exact shares 5 x 6/10 = 3, 5 x 3/10 = 1.5, 5 x 1/10 = 0.5; whole parts 3, 1, 0 leave
    # one place, to the largest remainder (b and c tie at 0.5; b first by name): a3 b2 c0.
    groups = sorted(dict(pool)[i] for i in picked)
    assert groups == ["a", "a", "a", "b", "b"]
    assert len(draw_sample(pool, 50, stratify=False, rng=random.Random(1))) == 10


def test_panel_page_withdraws_consent_and_says_so(client, login, session):
    me = make_panellist()
    login(me)
    saved = client.post("/panel", data={"work_group": "technical", "technical": "yes",
                                        "profession": "research", "seniority": "senior"})
    assert saved.status_code == 303
    page = _text(client.get("/panel"))
    assert "You withdrew your consent on" in page
    assert session.get(PanelMember, me.id).withdrawn_at is not None


def test_panel_page_missing_work_group_keeps_the_rest_and_says_it_in_the_labels_words(
        client, login):
    login(make_panellist())
    response = client.post("/panel", data={"work_group": "", "technical": "no",
                                           "seniority": "senior", "consent": "y"})
    assert response.status_code == 422
    page = _text(response)
    assert "Choose your work group." in page
    assert 'checked id="technical-1"' in page


def test_answer_page_refused_keeps_the_answer_and_then_saves_it(client, login, session):
    boss, me = grantmaker(), make_panellist()
    made = consultation_with_waves(boss, me)
    login(me)
    url = f"/consultations/{made.id}/waves/2/answer"
    assert "A senior advisor reviews the syllabus" in _text(client.get(url))
    refused = client.post(url, data={"stance": "pessimistic", "net_negative": "yes",
                                     "confidence": "4", "rationale": ""})
    assert refused.status_code == 422
    assert "Why: explain why it could be net negative" in _text(refused)
    assert 'checked id="stance-2"' in _text(refused)
    saved = client.post(url, data={"stance": "pessimistic", "net_negative": "yes",
                                   "confidence": "4", "rationale": "Too few organisers.",
                                   "concern_categories": ["reputational_harm"]})
    assert saved.status_code == 303
    assert "answered, you can change it until it closes" in _text(client.get("/panel"))


def test_proposal_of_a_consulted_type_shows_the_communitys_view_to_its_proposer(
        client, login):
    made = consultation_with_waves(grantmaker(), make_panellist())
    project = ProjectFactory(proposal={**copy.deepcopy(COMPLETE),
                                       "project_type": "training_course"})
    login(project.owner)
    page = _text(client.get(f"/projects/{project.id}"))
    assert "The community's view of this kind of project" in page
    assert f"“{made.title}” (wave 1, closed" in page and SIX in page
    assert f"/consultations/{made.id}" not in page  # the proposer cannot open it


def test_proposal_of_another_type_shows_no_community_view(client, login):
    consultation_with_waves(grantmaker(), make_panellist())
    project = ProjectFactory()  # fellowship_mentoring
    login(project.owner)
    assert "The community's view" not in _text(client.get(f"/projects/{project.id}"))


def test_memo_cites_the_consultation_it_relied_on(api, workflow):
    boss = grantmaker()
    made = consultation_with_waves(boss, make_panellist(), project_type="fellowship_mentoring",
                                   title="Mentoring schemes")
    journey = at_decision(workflow)
    html = _text(api(boss).get(f"/projects/{journey.project.id}/memo.html"))
    assert "Community consultation" in html
    assert f"“{made.title}”, wave 1 (closed" in html
    assert "33.3% of 6 panellists said this kind of project could be net negative (95% " \
           "interval 9.7% to 70.0%)" in html


def test_consultation_pages_refuse_a_proposer_with_403(client, login, session):
    login(ProjectFactory().owner)
    assert client.get("/consultations").status_code == 403
    assert session.scalar(select(func.count(ConsultationWave.id))) == 0


def test_cli_users_create_panellist(run):  # noqa: F811
    created = run("users", "create", "pam@example.org", "--role", "panellist", "--password",
                  "long-enough-pw")
    assert created.exit_code == 0, created.output
    assert "Created pam@example.org with roles panellist." in created.output


def test_portfolio_shows_the_consultation_beside_the_review_figures(client, login):
    boss = grantmaker()
    made = consultation_with_waves(boss, make_panellist())
    login(boss)
    page = _text(client.get("/portfolio"))
    assert "The community's view beside the reviewers'" in page
    assert (f'<th scope="row">Training programme or course</th><td><a href="/consultations/'
            f'{made.id}">Courses in a new city</a> (wave 1)</td><td>6</td><td>33.3%</td>'
            "<td>9.7% to 70.0%</td><td>0</td><td>—</td>") in page
