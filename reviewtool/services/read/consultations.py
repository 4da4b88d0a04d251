"""What the consultation pages, the API and the CSV show, as plain values.

A closed wave's figures are the ones frozen at its close; an open wave shows only how many
were invited and how many answered, so nobody reads a trend off a wave still running. The
reasons are the closed waves' rationales, grouped by the risk categories they cite and sorted
by their text (the order of answering would tell something about who wrote them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reviewtool.consultation_figures import DIMENSIONS, change, in_words
from reviewtool.models import Consultation, ConsultationWave, WaveAnswer, WaveInvitation
from reviewtool.models.consultations import SENIORITY
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.diffs import word_diff

DIMENSION_LABELS = {"work_group": "Work group", "technical": "Technical or not",
                    "profession": "Profession", "seniority": "Seniority"}
CHANGE_WORDS = {"fell": "concern fell", "rose": "concern rose",
                "within_noise": "within the noise"}


def _counts(session: Session, wave_ids: list[int]) -> dict[int, tuple[int, int]]:
    """wave id -> (invited, answered), in one query for every wave."""
    if not wave_ids:
        return {}
    rows = session.execute(
        select(WaveInvitation.wave_id, func.count(WaveInvitation.id),
               func.sum(case((WaveInvitation.answered, 1), else_=0)))
        .where(WaveInvitation.wave_id.in_(wave_ids)).group_by(WaveInvitation.wave_id))
    return {wid: (invited, int(answered or 0)) for wid, invited, answered in rows}


def segment_label(dimension: str, key: str, cats: Catalogues) -> str:
    """The words for one segment of a dimension."""
    if dimension == "technical":
        return "Technical" if key == "technical" else "Non-technical"
    if dimension == "seniority":
        return dict(SENIORITY).get(key, key)
    return cats.label("work_groups" if dimension == "work_group" else "professions", key)


def _segments(frozen: dict[str, Any], cats: Catalogues) -> list[dict[str, Any]]:
    return [{"dimension": d, "label": DIMENSION_LABELS[d], "hidden": frozen[d]["hidden"],
             "disagreement_pct": frozen[d]["disagreement_pct"],
             "segments": [{**s, "label": segment_label(d, s["key"], cats)}
                          for s in frozen[d]["segments"]]}
            for d in DIMENSIONS if d in frozen]


def _reasons(session: Session, wave_ids: list[int], cats: Catalogues) -> dict[int, list]:
    """wave id -> [{key, label, reasons}] over its answers' rationales, in one query."""
    if not wave_ids:
        return {}
    rows = session.execute(
        select(WaveAnswer.wave_id, WaveAnswer.rationale, WaveAnswer.concern_categories)
        .where(WaveAnswer.wave_id.in_(wave_ids), WaveAnswer.rationale != ""))
    grouped: dict[int, dict[str, list[str]]] = {}
    for wave_id, rationale, categories in rows:
        for key in categories or ["uncategorised"]:
            grouped.setdefault(wave_id, {}).setdefault(key, []).append(rationale)
    order = [*cats.keys("risk_categories"), "uncategorised"]
    return {wid: [{"key": key, "label": "No category named" if key == "uncategorised"
                   else cats.label("risk_categories", key), "reasons": sorted(by_key[key])}
                  for key in sorted(by_key, key=lambda k: order.index(k) if k in order
                                    else len(order))]
            for wid, by_key in grouped.items()}


def _wave(wave: ConsultationWave, previous: ConsultationWave | None,
          counts: tuple[int, int], reasons: list, cats: Catalogues) -> dict[str, Any]:
    frozen = wave.figures or {}
    invited, answered = counts
    return {
        "number": wave.number, "status": wave.status, "closes_on": wave.closes_on.isoformat(),
        "description": wave.description,
        "description_diff": (word_diff(previous.description, wave.description)
                             if previous is not None else []),
        "invited": frozen.get("invited", invited), "answered": frozen.get("answered", answered),
        "concern_pct": frozen.get("concern_pct"),
        "concern_interval": frozen.get("concern_interval"),
        "optimism_pct": frozen.get("optimism_pct"),
        "weighted_concern_pct": frozen.get("weighted_concern_pct"),
        "categories": [{"key": c["category"], "label": cats.label("risk_categories",
                                                                   c["category"]),
                        "concern_pct": c["concern_pct"]} for c in frozen.get("categories", [])],
        "segments": _segments(frozen.get("segments", {}), cats),
        "reasons": reasons,
    }


def consultation_view(session: Session, consultation: Consultation,
                      cats: Catalogues) -> dict[str, Any]:
    """The consultation with every wave's figures and the change between the last two closed
    waves (`change`: fell, rose or within_noise; None with fewer than two)."""
    waves = consultation.waves
    ids = [w.id for w in waves]
    counts = _counts(session, ids)
    reasons = _reasons(session, [w.id for w in waves if w.status == "closed"], cats)
    shown = [_wave(w, waves[i - 1] if i else None, counts.get(w.id, (0, 0)),
                   reasons.get(w.id, []), cats) for i, w in enumerate(waves)]
    closed = [w for w in waves if w.status == "closed"]
    found = change(closed[-2].figures, closed[-1].figures) if len(closed) >= 2 else None
    numbers = (closed[-2].number, closed[-1].number) if len(closed) >= 2 else (0, 0)
    return {"id": consultation.id, "title": consultation.title,
            "project_type": consultation.project_type,
            "project_type_label": cats.label("project_types", consultation.project_type),
            "description": consultation.description,
            "created_at": consultation.created_at.isoformat(),
            "waves": shown, "open_wave": next((w.number for w in waves
                                               if w.status == "open"), None),
            "change": found["verdict"] if found else None,
            "change_detail": ({**found, "from_wave": numbers[0], "to_wave": numbers[1]}
                              if found else None),
            "change_words": in_words(found, *numbers)}


def consultation_list(session: Session, cats: Catalogues) -> list[dict[str, Any]]:
    """Every consultation, newest first, with its latest closed wave's concern."""
    rows = []
    for c in session.scalars(select(Consultation).order_by(Consultation.id.desc())):
        closed = [w for w in c.waves if w.status == "closed"]
        latest = closed[-1].figures if closed else None
        rows.append({"id": c.id, "title": c.title, "project_type": c.project_type,
                     "project_type_label": cats.label("project_types", c.project_type),
                     "waves": len(c.waves),
                     "open_wave": next((w.number for w in c.waves if w.status == "open"),
                                       None),
                     "latest_concern_pct": latest["concern_pct"] if latest else None,
                     "latest_concern_interval": latest["concern_interval"] if latest
                     else None})
    return rows


def community_view(session: Session, project_type: str | None) -> dict[str, Any] | None:
    """The latest closed wave about `project_type` (the newest consultation that has one):
    'the community's view of this kind of project', for its proposals and memos."""
    if project_type is None:
        return None
    row = session.execute(
        select(Consultation, ConsultationWave).join(ConsultationWave)
        .where(Consultation.project_type == project_type, ConsultationWave.status == "closed")
        .order_by(ConsultationWave.closed_at.desc(), ConsultationWave.id.desc())
        .limit(1)).first()
    if row is None:
        return None
    consultation, wave = row
    figures = wave.figures
    return {"consultation_id": consultation.id, "title": consultation.title,
            "wave": wave.number, "closed_on": wave.closed_at.date().isoformat(),
            "answered": figures["answered"], "concern_pct": figures["concern_pct"],
            "concern_interval": figures["concern_interval"],
            "optimism_pct": figures["optimism_pct"]}


CSV_COLUMNS = ("consultation_id", "title", "wave", "status", "closes_on", "invited", "answered",
               "concern_pct", "concern_low", "concern_high", "optimism_pct",
               "weighted_concern_pct")


def csv_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per wave of the consultation view, for the results CSV."""
    return [{"consultation_id": view["id"], "title": view["title"], "wave": w["number"],
             "status": w["status"], "closes_on": w["closes_on"], "invited": w["invited"],
             "answered": w["answered"], "concern_pct": w["concern_pct"],
             "concern_low": (w["concern_interval"] or [None, None])[0],
             "concern_high": (w["concern_interval"] or [None, None])[1],
             "optimism_pct": w["optimism_pct"],
             "weighted_concern_pct": w["weighted_concern_pct"]} for w in view["waves"]]


def community_by_type(session: Session, cats: Catalogues,
                      review_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For the portfolio: per consulted project type, the latest closed wave's concern beside
    the reviewers' pooled concern of that type (`review_rows`: its by_project_type rows)."""
    rows = session.execute(
        select(Consultation.project_type, Consultation.id, Consultation.title,
               ConsultationWave.number, ConsultationWave.figures)
        .join(ConsultationWave)
        .where(ConsultationWave.status == "closed")
        .order_by(ConsultationWave.closed_at, ConsultationWave.id))
    latest: dict[str, tuple] = {}
    for project_type, cid, title, number, figures in rows:
        latest[project_type] = (cid, title, number, figures)  # the last one closed wins
    reviews = {r["key"]: r for r in review_rows}
    return [{"key": key, "label": cats.label("project_types", key), "consultation_id": cid,
             "title": title, "wave": number, "answered": figures["answered"],
             "community_concern_pct": figures["concern_pct"],
             "community_interval": figures["concern_interval"],
             "review_concern_pct": reviews.get(key, {}).get("concern_pct"),
             "reviews": reviews.get(key, {}).get("reviews", 0)}
            for key, (cid, title, number, figures) in sorted(latest.items())]
