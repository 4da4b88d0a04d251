"""Consultations (grantmakers and admins run them; panellists answer) and the panel."""

from __future__ import annotations

from reviewtool import db, tabular
from reviewtool.api.pipeline import bp, json_body
from reviewtool.http.downloads import csv_file
from reviewtool.http.pipeline import actor
from reviewtool.permissions import require
from reviewtool.services import consultations as service
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.consultation_panel import consenting, save_profile
from reviewtool.services.read.consultation_panel import answer_snapshot, panel_home, wave_question
from reviewtool.services.read.consultations import (
    CSV_COLUMNS,
    consultation_list,
    consultation_view,
    csv_rows,
)

C = "/consultations/<int:consultation_id>"


def _view(consultation_id: int) -> dict:
    session = db.session()
    return consultation_view(session, service.load_consultation(session, consultation_id),
                             load_catalogues(session))


@bp.get("/consultations")
def list_consultations():
    """Every consultation with its latest closed wave's concern (grantmakers, admins)."""
    require(actor(), "run_consultations")
    session = db.session()
    return {"items": consultation_list(session, load_catalogues(session))}


@bp.post("/consultations")
def create_consultation():
    """{title, project_type, description}: a new consultation, no wave yet."""
    require(actor(), "run_consultations")
    session = db.session()
    made = service.create_consultation(session, actor(), json_body(), load_catalogues(session))
    return consultation_view(session, made, load_catalogues(session)), 201


@bp.get(C)
def get_consultation(consultation_id: int):
    """The consultation, each wave's figures and the change between the last two closed."""
    require(actor(), "run_consultations")
    return _view(consultation_id)


@bp.get(f"{C}/results.csv")
def results_csv(consultation_id: int):
    """One row per wave: counts, concern with its Wilson interval, optimism."""
    require(actor(), "run_consultations")
    view = _view(consultation_id)
    rows = [[row[c] for c in CSV_COLUMNS] for row in csv_rows(view)]
    return csv_file(tabular.document(CSV_COLUMNS, rows),
                    f"consultation-{consultation_id}.csv")


@bp.post(f"{C}/waves")
def open_wave(consultation_id: int):
    """{description?, closes_on, panellist_ids}: open the next wave and invite them."""
    require(actor(), "run_consultations")
    session = db.session()
    consultation = service.load_consultation(session, consultation_id)
    service.open_wave(session, actor(), consultation, json_body())
    return consultation_view(session, consultation, load_catalogues(session)), 201


@bp.post(f"{C}/waves/<int:number>/close")
def close_wave(consultation_id: int, number: int):
    """Close the wave: its figures are frozen, its answers unlinked from their panellists."""
    require(actor(), "run_consultations")
    session = db.session()
    consultation = service.load_consultation(session, consultation_id)
    cats = load_catalogues(session)
    service.close_wave(session, actor(), consultation, number, cats)
    return consultation_view(session, consultation, cats)


@bp.post(f"{C}/waves/<int:number>/reminders")
def remind(consultation_id: int, number: int):
    """Remind the invited panellists who have not answered the open wave."""
    require(actor(), "run_consultations")
    session = db.session()
    consultation = service.load_consultation(session, consultation_id)
    return {"reminded": service.send_reminders(session, actor(), consultation, number)}


def _answerable(consultation_id: int, number: int):
    session, user = db.session(), actor()
    require(user, "answer_consultations", consenting=consenting(session, user))
    consultation = service.load_consultation(session, consultation_id)
    wave = service.wave_of(consultation, number)
    service.invitation(session, user, wave)  # 404 unless invited
    return session, consultation, wave


@bp.get(f"{C}/waves/<int:number>/answers")
def my_answer(consultation_id: int, number: int):
    """The question and the caller's own answer (null before answering; invited panellists)."""
    session, consultation, wave = _answerable(consultation_id, number)
    return {"question": wave_question(consultation, wave),
            "answer": answer_snapshot(service.my_answer(session, actor(), wave))}


@bp.post(f"{C}/waves/<int:number>/answers")
def answer(consultation_id: int, number: int):
    """{stance, net_negative, concern_categories, rationale, confidence,
    suggested_safeguards?}: answer (201) or edit one's answer (200) until the wave closes."""
    session, consultation, _wave = _answerable(consultation_id, number)
    saved, created = service.submit_answer(session, actor(), consultation, number,
                                           json_body(), load_catalogues(session))
    return {"answer": answer_snapshot(saved)}, 201 if created else 200


@bp.get("/panel")
def panel():
    """The caller's panel details, consent and open invitations (panellists)."""
    require(actor(), "panel_member")
    return panel_home(db.session(), actor())


@bp.put("/panel")
def save_panel():
    """{work_group, technical, profession?, seniority, consent}: consent false withdraws."""
    require(actor(), "panel_member")  # 403 before any 422 about the body
    session = db.session()
    save_profile(session, actor(), json_body(), load_catalogues(session))
    return panel_home(session, actor())
