"""The OpenAPI entries of consultations and the panel (api/consultations.py)."""

from __future__ import annotations

from typing import Any

from reviewtool.api.openapi_base import op, ref
from reviewtool.services.consultation_panel import PanelIn
from reviewtool.services.consultations import AnswerIn, ConsultationIn, WaveIn

INTEGER, TEXT, FLAG = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}
PCT = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
INTERVAL = {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 2,
            "maxItems": 2, "description": "Wilson 95% interval of concern_pct, [low, high] in "
                                          "percent; null before the wave closes"}
CHANGE = {"enum": ["fell", "rose", "within_noise", None],
          "description": "Between the last two closed waves: fell / rose when their 95% "
                         "intervals do not overlap, else within_noise; null with fewer than two"}
CONSULTATION_ID = {"name": "consultation_id", "in": "path", "required": True,
                   "schema": {"type": "integer"}}
NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}


def _object(properties: dict[str, Any], required: tuple[str, ...] | None = None) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": list(properties if required is None else required),
            "properties": properties}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _model(model) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


def consultation_schemas() -> dict[str, Any]:
    segment = _object({"key": TEXT, "label": TEXT, "answered": INTEGER, "concern_pct": PCT,
                       "concern_interval": INTERVAL, "optimism_pct": PCT})
    dimension = _object({"dimension": TEXT, "label": TEXT, "hidden": {
        **INTEGER, "description": "Segments with fewer than 5 answers, not shown"},
        "disagreement_pct": {"type": ["number", "null"]}, "segments": _list(segment)})
    wave = _object({
        "number": INTEGER, "status": {"enum": ["open", "closed"]},
        "closes_on": {"type": "string", "format": "date"}, "description": TEXT,
        "description_diff": _list(_object({"op": {"enum": ["equal", "insert", "delete"]},
                                           "text": TEXT})),
        "invited": INTEGER, "answered": INTEGER,
        "concern_pct": {**PCT, "description": "Share of answers saying it could be net "
                                              "negative; null before the wave closes"},
        "concern_interval": INTERVAL, "optimism_pct": PCT, "weighted_concern_pct": PCT,
        "categories": _list(_object({"key": TEXT, "label": TEXT, "concern_pct": PCT})),
        "segments": _list(dimension),
        "reasons": _list(_object({"key": TEXT, "label": TEXT, "reasons": _list(TEXT)}))})
    detail = {"type": ["object", "null"], "additionalProperties": False,
              "required": ["verdict", "from_pct", "to_pct", "p_value", "from_wave", "to_wave"],
              "properties": {"verdict": {"enum": ["fell", "rose", "within_noise"]},
                             "from_pct": PCT, "to_pct": PCT,
                             "p_value": {"type": ["number", "null"], "description":
                                         "Two-sided pooled two-proportion z-test"},
                             "from_wave": INTEGER, "to_wave": INTEGER}}
    answer = _object({"stance": {"enum": ["optimistic", "neutral", "pessimistic"]},
                      "net_negative": FLAG, "concern_categories": _list(TEXT),
                      "rationale": TEXT, "suggested_safeguards": _list(TEXT),
                      "confidence": {"type": "integer", "minimum": 1, "maximum": 5}})
    member = {"type": ["object", "null"], "additionalProperties": False,
              "required": ["work_group", "technical", "profession", "seniority", "consenting",
                           "consented_at", "withdrawn_at"],
              "properties": {"work_group": TEXT, "technical": FLAG,
                             "profession": {"type": ["string", "null"]},
                             "seniority": TEXT, "consenting": FLAG, "consented_at": TEXT,
                             "withdrawn_at": {"type": ["string", "null"]}}}
    return {
        "ConsultationIn": _model(ConsultationIn), "WaveIn": _model(WaveIn),
        "AnswerIn": _model(AnswerIn), "PanelIn": _model(PanelIn),
        "ConsultationWave": wave,
        "Consultation": _object({
            "id": INTEGER, "title": TEXT, "project_type": TEXT, "project_type_label": TEXT,
            "description": TEXT, "created_at": TEXT, "waves": _list(ref("ConsultationWave")),
            "open_wave": {"type": ["integer", "null"]}, "change": CHANGE,
            "change_detail": detail, "change_words": TEXT}),
        "ConsultationList": _object({"items": _list(_object({
            "id": INTEGER, "title": TEXT, "project_type": TEXT, "project_type_label": TEXT,
            "waves": INTEGER, "open_wave": {"type": ["integer", "null"]},
            "latest_concern_pct": PCT, "latest_concern_interval": INTERVAL}))}),
        "WaveAnswer": _object({"answer": answer}),
        "MyWaveAnswer": _object({
            "question": _object({"consultation_id": INTEGER, "title": TEXT,
                                 "project_type": TEXT, "wave": INTEGER, "description": TEXT,
                                 "closes_on": TEXT, "open": FLAG}),
            "answer": {"anyOf": [answer, {"type": "null"}]}}),
        "Panel": _object({"member": member, "invitations": _list(_object({
            "consultation_id": INTEGER, "title": TEXT, "wave": INTEGER, "closes_on": TEXT,
            "answered": FLAG}))}),
    }


def consultation_paths() -> dict[str, Any]:
    csv = op("The waves as CSV (grantmakers, admins)", (200, {}), (401, 403, 404))
    csv["responses"]["200"] = {"description": "One row per wave", "content": {
        "text/csv": {"schema": {"type": "string"}}}}
    csv["parameters"] = [CONSULTATION_ID]
    wave_params = [CONSULTATION_ID, NUMBER]
    answer = op("Answer (201) or change one's answer (200) until the wave closes (409 after); "
                "nobody sees who answered what", (201, ref("WaveAnswer")),
                (401, 403, 404, 409, 422), body=ref("AnswerIn"))
    answer["responses"]["200"] = {**answer["responses"]["201"], "description": "Changed"}
    return {
        "/consultations": {
            "get": op("Every consultation (grantmakers, admins)", (200, ref("ConsultationList")),
                      (401, 403)),
            "post": op("A new consultation about a kind of project (grantmakers, admins)",
                       (201, ref("Consultation")), (401, 403, 422),
                       body=ref("ConsultationIn"))},
        "/consultations/{consultation_id}": {
            "parameters": [CONSULTATION_ID],
            "get": op("The consultation: every wave's figures (closed waves: concern with its "
                      "Wilson 95% interval, optimism, confidence-weighted concern, categories, "
                      "segments of at least 5 answers, reasons by category, anonymised) and "
                      "the change between the last two closed waves",
                      (200, ref("Consultation")), (401, 403, 404))},
        "/consultations/{consultation_id}/results.csv": {"get": csv},
        "/consultations/{consultation_id}/waves": {
            "parameters": [CONSULTATION_ID],
            "post": op("Open the next wave and invite the panellists (each by e-mail); 409 "
                       "while a wave is open; 422 names each id that is not a consenting "
                       "panellist", (201, ref("Consultation")), (401, 403, 404, 409, 422),
                       body=ref("WaveIn"))},
        "/consultations/{consultation_id}/waves/{number}/close": {
            "parameters": wave_params,
            "post": op("Close the wave: its figures are frozen and its answers lose their "
                       "link to the panellists", (200, ref("Consultation")),
                       (401, 403, 404, 409))},
        "/consultations/{consultation_id}/waves/{number}/reminders": {
            "parameters": wave_params,
            "post": op("Remind every invited panellist who has not answered the open wave",
                       (200, _object({"reminded": INTEGER})), (401, 403, 404, 409))},
        "/consultations/{consultation_id}/waves/{number}/answers": {
            "parameters": wave_params,
            "get": op("The question and the caller's own answer (invited panellists; a wave "
                      "one was not invited to is a 404)", (200, ref("MyWaveAnswer")),
                      (401, 403, 404)),
            "post": answer},
        "/panel": {
            "get": op("The caller's panel details, consent and open invitations (panellists)",
                      (200, ref("Panel")), (401, 403)),
            "put": op("Describe oneself; consent false withdraws it (no further invitation; "
                      "earlier answers still count, unlinked), true gives it again",
                      (200, ref("Panel")), (401, 403, 422), body=ref("PanelIn"))},
    }
