"""The demo data set: people, proposals, risk models and reviews (data only; see demo.py)."""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "demo-password"

# Each organisation has its own (reserved, .example) mail domain: sharing a domain with the
# proposer is a conflict of interest, so reviewers come from elsewhere.
USERS = [
    ("ada@safetycommons.example", "Ada Proposer", ["proposer"], "Safety Commons"),
    ("ben@campusalignment.example", "Ben Proposer", ["proposer"], "Alignment Campus Group"),
    ("rhea@carefulai.example", "Rhea Reviewer", ["reviewer"], "Institute for Careful AI"),
    ("sam@oxgov.example", "Sam Reviewer", ["reviewer"], "Oxford Governance Lab"),
    ("omar@safetyinstitute.example", "Omar Reviewer", ["reviewer"], "AI Safety Institute"),
    ("tess@tessreviews.example", "Tess Reviewer", ["reviewer", "proposer"], "Independent"),
    ("gus@longfund.example", "Gus Grantmaker", ["grantmaker"], "Long Fund"),
    ("bea@safetycommons.example", "Bea Builder", ["builder"], "Safety Commons"),
    ("ann@reviewtool.example", "Ann Admin", ["admin"], "reviewtool"),
    ("pia@panel.example", "Pia Panellist", ["panellist"], "Community panel"),
]

COURSE: dict[str, Any] = {
    "title": "AI-safety fundamentals course for engineers in Lagos",
    "summary": "An eight-week, cohort-based course introducing **experienced software "
               "engineers** to technical AI-safety research.\n\n- 4 cohorts of 12\n"
               "- facilitated by two alumni of an established programme\n"
               "- ends with a capstone project reviewed by a senior researcher",
    "project_type": "training_course", "work_groups": ["technical", "movement_building"],
    "activity": "start",
    "outcomes": [{"outcome": "contributors", "measure": "Participants who apply to a safety "
                  "role or fellowship within 6 months (target: 8 of 48)."},
                 {"outcome": "coordination", "measure": "Alumni who join the regional "
                  "safety Slack and attend a follow-up meeting."}],
    "roles_needed": [{"kind": "profession", "key": "education", "technical": True,
                      "commitment": "fractional", "hours_per_month": 20},
                     {"kind": "skill", "key": "curriculum_design", "technical": True,
                      "commitment": "fractional", "hours_per_month": 10}],
    "location": "Lagos and online", "budget": "USD 18,000", "timeline": "January to April 2027",
}

OUTREACH: dict[str, Any] = {
    "title": "Campus outreach campaign on AI risk",
    "summary": "A social-media and poster campaign at five universities, pointing students "
               "to reading groups.",
    "project_type": "communications", "work_groups": ["movement_building"], "activity": "scale",
    "outcomes": [{"outcome": "contributors", "measure": "Sign-ups to reading groups."}],
    "roles_needed": [{"kind": "profession", "key": "marketing_communications",
                      "technical": False, "commitment": "fractional", "hours_per_month": 40}],
    "location": "Five UK universities", "budget": "GBP 9,000", "timeline": "Spring term",
}

MENTORING_DRAFT: dict[str, Any] = {
    "title": "Mentoring scheme for policy researchers",
    "summary": "Pairing early-career policy researchers with senior mentors.",
    "project_type": "fellowship_mentoring", "work_groups": ["governance"],
}

RETREAT: dict[str, Any] = {**MENTORING_DRAFT, "title": "Founders' retreat (withdrawn)",
                           "project_type": "events", "activity": "start",
                           "outcomes": [{"outcome": "coordination", "measure": "Follow-ups."}],
                           "roles_needed": [{"kind": "skill", "key": "facilitation",
                                             "technical": False, "commitment": "fractional",
                                             "hours_per_month": 12}]}

def _risk(category: str, description: str, l_s: tuple[int, int], residual: tuple[int, int],
          mitigation: str = "", reversibility: str = "reversible", pilot: str = "yes",
          knowledge: str = "medium") -> dict[str, Any]:
    return {"category": category, "description": description, "likelihood": l_s[0],
            "severity": l_s[1], "residual_likelihood": residual[0],
            "residual_severity": residual[1], "mitigation": mitigation,
            "reversibility": reversibility, "pilot_reveals": pilot, "knowledge": knowledge}


COURSE_RISKS: dict[str, Any] = {
    "risks": [
        _risk("reputational_harm", "A poorly run cohort is seen as amateurish by local labs.",
              (2, 3), (1, 3), "Facilitators trained by an established programme."),
        _risk("capabilities", "Graduates move into capabilities work at local AI start-ups.",
              (3, 4), (2, 4), "Selection interviews on motivation; alumni follow-up.",
              reversibility="hard_to_reverse", pilot="partly", knowledge="low"),
        _risk("participant_harm", "Capstone workload burns out participants with day jobs.",
              (2, 2), (1, 2), "Capstone is optional and capped at 20 hours."),
        _risk("low_fidelity", "Simplified course material distorts key arguments.",
              (3, 3), (2, 3), "Curriculum reviewed by a senior researcher.", pilot="partly"),
    ],
    "not_applicable": [
        {"category": "displacement", "reason": "No comparable course runs in West Africa."},
        {"category": "info_hazard", "reason": "Only published, introductory material is used."},
        {"category": "coordination_harm", "reason": "Run together with the regional network."},
    ],
}

# Incomplete on purpose: three categories missing, and reputational harm marked not
# applicable although the project needs marketing, a risky profession.
OUTREACH_RISKS: dict[str, Any] = {
    "risks": [
        _risk("low_fidelity", "Slogans oversimplify AI risk into doom messaging.", (4, 4),
              (4, 4), reversibility="irreversible", pilot="partly", knowledge="low"),
        _risk("capabilities", "Recruits students into general ML rather than safety.", (2, 3),
              (2, 3)),
    ],
    "not_applicable": [
        {"category": "reputational_harm", "reason": "It is only posters."},
        {"category": "info_hazard", "reason": "Public information only."},
    ],
}

ADVISING: dict[str, Any] = {
    "title": "Career-advising sprint for ML PhD students",
    "summary": "Twenty one-to-one calls with ML PhD students considering a switch to safety "
               "research, followed by introductions to mentors.",
    "project_type": "career_advising", "work_groups": ["technical"], "activity": "start",
    "outcomes": [{"outcome": "contributors", "measure": "Advisees who apply to a safety "
                  "position within a year."}],
    "roles_needed": [{"kind": "skill", "key": "career_coaching", "technical": True,
                      "commitment": "fractional", "hours_per_month": 15}],
    "location": "Online", "budget": "USD 6,000", "timeline": "February 2027",
}

ADVISING_RISKS: dict[str, Any] = {
    "risks": [
        _risk("displacement", "Advice steers strong candidates away from better-fitting paths.",
              (3, 3), (3, 3), knowledge="low"),
        _risk("capabilities", "Advisees take capabilities roles introduced through the calls.",
              (2, 4), (2, 4), reversibility="hard_to_reverse", pilot="partly"),
        _risk("participant_harm", "Career pressure on students in the middle of their PhD.",
              (2, 3), (2, 3)),
    ],
    "not_applicable": [
        {"category": "reputational_harm", "reason": "Private one-to-one calls, no publicity."},
        {"category": "low_fidelity", "reason": "Advisors are experienced researchers."},
        {"category": "info_hazard", "reason": "No research content is shared."},
        {"category": "coordination_harm", "reason": "Coordinated with 80,000 Hours-style "
                                                    "advisors."},
    ],
}


def _review(stance: str, net_negative: bool, rationale: str, concerns: list[str],
            confidence: int, safeguards: list[str] | None = None) -> dict[str, Any]:
    return {"stance": stance, "net_negative": net_negative, "rationale": rationale,
            "concern_categories": concerns, "confidence": confidence, "no_conflict": True,
            "suggested_safeguards": safeguards or [], "expertise": "expert"}


# Reviews by reviewer e-mail. The course's capabilities risk gets the widest disagreement.
COURSE_REVIEWS = {
    "rhea@carefulai.example": _review(
        "optimistic", False, "Well designed; the selection step addresses most worries.", [], 4),
    "sam@oxgov.example": _review(
        "pessimistic", True, "Graduates of technical courses in this region mostly join "
        "capabilities start-ups; the course could be net negative without follow-up.",
        ["capabilities"], 3, ["Alumni mentoring for a year", "Placement partnerships"]),
}
ADVISING_REVIEWS = {
    "rhea@carefulai.example": _review(
        "optimistic", True, "Could pull students out of PhDs too early.", ["participant_harm"],
        4, ["Advisors trained on when not to recommend a switch"]),
    "sam@oxgov.example": _review("optimistic", False, "", [], 3),
    "omar@safetyinstitute.example": _review(
        "neutral", True, "Advisees may be introduced to capabilities labs.",
        ["capabilities", "participant_harm"], 5, ["Only refer to safety-focused teams"]),
}

# owner e-mail, fields, risk model or None, triggers to fire in order, reviews for round 1
PROJECTS: list[tuple[str, dict[str, Any], dict[str, Any] | None, list[str],
                     dict[str, dict[str, Any]]]] = [
    ("ada@safetycommons.example", COURSE, COURSE_RISKS, ["submit", "request_review"],
     COURSE_REVIEWS),
    ("ben@campusalignment.example", OUTREACH, OUTREACH_RISKS, ["submit"], {}),
    ("ada@safetycommons.example", MENTORING_DRAFT, None, [], {}),
    ("tess@tessreviews.example", RETREAT, None, ["submit", "withdraw"], {}),
    ("ben@campusalignment.example", ADVISING, ADVISING_RISKS,
     ["submit", "request_review", "request_safeguards"], ADVISING_REVIEWS),
]
# Reviewers assigned to round 1 of every project that reaches review.
REVIEWERS = ["rhea@carefulai.example", "sam@oxgov.example", "omar@safetyinstitute.example"]
GRANTMAKER = "gus@longfund.example"



# --- Pilot trials (demo.py `_load_pilots`): one pilot running, one project that skipped it. ---
STUDY_GROUP: dict[str, Any] = {
    "title": "Interpretability study group for Manchester engineers",
    "summary": "A ten-week evening study group working through **mechanistic "
               "interpretability** tutorials, ending with small open-source notebooks.",
    "project_type": "community_group", "work_groups": ["technical"], "activity": "start",
    "outcomes": [{"outcome": "contributors", "measure": "Members who finish and apply to a "
                  "safety programme."},
                 {"outcome": "contributions", "measure": "Notebooks published."}],
    "roles_needed": [{"kind": "skill", "key": "facilitation", "technical": True,
                      "commitment": "fractional", "hours_per_month": 10}],
    "location": "Manchester", "budget": "GBP 2,500", "timeline": "Ten weeks from February",
}

STUDY_GROUP_RISKS: dict[str, Any] = {
    "risks": [
        _risk("participant_harm", "Evening sessions on top of full-time jobs cause burnout.",
              (3, 2), (2, 2), "Sessions capped at two hours; homework optional."),
        _risk("capabilities", "Members use interpretability skills for capabilities work.",
              (2, 3), (2, 3), pilot="partly", knowledge="low"),
        _risk("low_fidelity", "Tutorials are followed without understanding the safety case.",
              (2, 2), (1, 2), "A researcher joins every third session."),
    ],
    "not_applicable": [
        {"category": "reputational_harm", "reason": "A small private group; no publicity."},
        {"category": "displacement", "reason": "No such group exists in the region."},
        {"category": "info_hazard", "reason": "Only published tutorials are used."},
        {"category": "coordination_harm", "reason": "Announced in the regional network."},
    ],
}

STUDY_GROUP_REVIEWS = {
    "rhea@carefulai.example": _review("optimistic", False, "A cheap, well-bounded start.", [],
                                      4),
    "sam@oxgov.example": _review("neutral", False, "", [], 3),
    "omar@safetyinstitute.example": _review(
        "optimistic", False, "Worth testing; watch the workload.", ["participant_harm"], 3,
        ["A mid-point workload survey"]),
}

# The plan Gus writes and freezes; Bea builds. Observations: (criterion index, value,
# days ago, note). Criterion 0 is met, 1 and 3 are still pending, the kill criterion (2) is not
# breached.
STUDY_GROUP_PILOT: dict[str, Any] = {
    "builder": "bea@safetycommons.example", "starts_days_ago": 21, "ends_in_days": 49,
    "budget": "GBP 900 for the pilot's first five weeks",
    "criteria": [
        {"kind": "success", "outcome": "contributors", "metric": "Members attending week 3",
         "comparator": ">=", "target": 8, "unit": "people",
         "measurement": "Sign-in sheet of the third session"},
        {"kind": "success", "outcome": "contributions", "metric": "Notebooks published",
         "comparator": ">=", "target": 3, "unit": "notebooks",
         "measurement": "Public repositories linked from the group page"},
        {"kind": "kill", "outcome": "participant_harm",
         "metric": "Members reporting an unmanageable workload", "comparator": ">=",
         "target": 3, "unit": "people", "measurement": "Anonymous survey after week 4"},
        {"kind": "success", "outcome": "coordination", "metric": "Members joining the "
         "regional safety network", "comparator": ">=", "target": 5, "unit": "people",
         "measurement": "Network sign-ups that name the group"},
    ],
    "observations": [(0, 9, 7, "Nine of twelve came to the third session."),
                     (2, 1, 2, "One member said the homework was too much.")],
}

HACKATHON: dict[str, Any] = {
    "title": "Red-teaming weekend for university students",
    "summary": "A weekend in which student teams try to make open-weight models misbehave, "
               "with findings sent to the model developers.",
    "project_type": "events", "work_groups": ["technical"], "activity": "start",
    "outcomes": [{"outcome": "contributors", "measure": "Students who join a red-teaming "
                  "programme within six months."}],
    "roles_needed": [{"kind": "skill", "key": "facilitation", "technical": True,
                      "commitment": "fractional", "hours_per_month": 20}],
    "location": "Edinburgh", "budget": "GBP 7,000", "timeline": "One weekend in May",
}

HACKATHON_RISKS: dict[str, Any] = {
    "risks": [
        _risk("info_hazard", "Jailbreaks found at the event circulate before disclosure.",
              (3, 4), (2, 4), "Findings stay on event machines until disclosed.",
              reversibility="irreversible", pilot="no", knowledge="low"),
        _risk("participant_harm", "Students are exposed to disturbing model outputs.",
              (2, 3), (1, 3), "Content warnings and an opt-out track."),
    ],
    "not_applicable": [
        {"category": "reputational_harm", "reason": "Run under a university's existing "
                                                    "responsible-disclosure policy."},
        {"category": "capabilities", "reason": "No model training or fine-tuning."},
        {"category": "displacement", "reason": "No comparable event in Scotland."},
        {"category": "low_fidelity", "reason": "Briefings are given by safety researchers."},
        {"category": "coordination_harm", "reason": "Developers are told in advance."},
    ],
}

HACKATHON_REVIEWS = {
    "rhea@carefulai.example": _review("neutral", True, "A leak of a working jailbreak cannot "
                                      "be undone.", ["info_hazard"], 4),
    "sam@oxgov.example": _review("optimistic", False, "", [], 3),
    "omar@safetyinstitute.example": _review("neutral", False, "Fine if disclosure holds.",
                                            ["info_hazard"], 4),
}
SKIP_PILOT_RATIONALE = ("The main risk, a leaked jailbreak, is irreversible and would not show "
                        "in a small trial: decide on the full event directly.")

# owner e-mail, fields, risk model, round-1 reviews, pilot plan (None: skip_pilot instead)
PILOT_PROJECTS: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, dict[str, Any]],
                           dict[str, Any] | None]] = [
    ("ada@safetycommons.example", STUDY_GROUP, STUDY_GROUP_RISKS, STUDY_GROUP_REVIEWS,
     STUDY_GROUP_PILOT),
    ("ben@campusalignment.example", HACKATHON, HACKATHON_RISKS, HACKATHON_REVIEWS, None),
]
