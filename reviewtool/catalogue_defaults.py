"""The default catalogues of DOMAIN.md. `reviewtool db upgrade` inserts any that are missing;
an admin may add entries or deactivate these, and upgrades never overwrite their edits."""

from __future__ import annotations

from typing import Any

# (key, label, extra)
Entry = tuple[str, str, dict[str, Any]]

PROJECT_TYPES: list[Entry] = [
    ("training_course", "Training programme or course", {}),
    ("talent_search", "Talent search or recruiting", {}),
    ("research_org", "Research organisation or lab", {}),
    ("fellowship_mentoring", "Fellowship or mentoring scheme", {}),
    ("events", "Events and conferences", {}),
    ("communications", "Communications and outreach", {}),
    ("community_group", "Community or university group", {}),
    ("career_advising", "Career advising", {}),
    ("research_support", "Research support and operations", {}),
    ("community_research", "Survey or community research", {}),
    ("other", "Other", {}),
]

WORK_GROUPS: list[Entry] = [
    ("strategy", "Strategy", {}),
    ("governance", "Governance", {}),
    ("technical", "Technical", {}),
    ("movement_building", "Movement Building", {}),
]

ACTIVITIES: list[Entry] = [
    ("start", "Start a project", {}),
    ("sustain", "Sustain a project", {}),
    ("scale", "Scale a project", {}),
]

OUTCOMES: list[Entry] = [
    ("contributors", "Contributors", {"description": "How many people work on AI safety"}),
    ("contributions", "Contributions", {"description": "How well they function and perform"}),
    ("coordination", "Coordination",
     {"description": "How well they understand and work with each other"}),
]

# technical: the contribution modes in which DOMAIN.md lists the profession or skill.
# risky: the essay names marketing, advocacy and entrepreneurship (and skills around them).
PROFESSIONS: list[Entry] = [
    ("research", "Research", {"technical": [True, False], "risky": False}),
    ("engineering", "Engineering", {"technical": [True], "risky": False}),
    ("policymaking", "Policymaking", {"technical": [True], "risky": False}),
    ("entrepreneurship", "Entrepreneurship", {"technical": [True, False], "risky": True}),
    ("consulting", "Consulting", {"technical": [True], "risky": False}),
    ("management", "Management", {"technical": [True, False], "risky": False}),
    ("recruiting", "Recruiting", {"technical": [True, False], "risky": False}),
    ("education", "Education", {"technical": [True], "risky": False}),
    ("community_management", "Community management", {"technical": [True], "risky": False}),
    ("marketing_communications", "Marketing and communications",
     {"technical": [False], "risky": True}),
    ("coaching", "Coaching", {"technical": [False], "risky": False}),
    ("operations", "Operations", {"technical": [False], "risky": False}),
]

SKILLS: list[Entry] = [
    ("mentorship", "Mentorship", {"technical": [True], "risky": False}),
    ("ambassador_advocacy", "Ambassador / advocacy", {"technical": [True], "risky": True}),
    ("ml_recruitment", "ML-focused recruitment", {"technical": [True], "risky": False}),
    ("curriculum_design", "AI-safety curriculum design", {"technical": [True], "risky": False}),
    ("research_dissemination", "Research dissemination", {"technical": [True], "risky": False}),
    ("career_coaching", "Career coaching", {"technical": [True], "risky": False}),
    ("writing", "Writing", {"technical": [True], "risky": False}),
    ("presenting", "Presenting", {"technical": [True], "risky": False}),
    ("networking", "Networking", {"technical": [True], "risky": False}),
    ("social_skills", "Social skills", {"technical": [True], "risky": False}),
    ("teaching", "Teaching", {"technical": [True], "risky": False}),
    ("seo", "Search-engine optimisation", {"technical": [False], "risky": True}),
    ("lab_management", "Research-lab management", {"technical": [False], "risky": False}),
    ("commercial_innovation", "Commercial innovation", {"technical": [False], "risky": True}),
    ("surveying", "Surveying", {"technical": [False], "risky": False}),
    ("therapy", "Therapy", {"technical": [False], "risky": False}),
    ("project_management", "Project management", {"technical": [False], "risky": False}),
    ("job_description_writing", "Job-description writing",
     {"technical": [False], "risky": False}),
    ("facilitation", "Facilitation", {"technical": [False], "risky": False}),
    ("design", "Design", {"technical": [False], "risky": False}),
]

RISK_CATEGORIES: list[Entry] = [
    ("reputational_harm", "Reputational harm to the community", {
        "description": "Damage to how the field and its community are seen.",
        "guidance": "How could this project make the community look bad to the people whose "
                    "trust it needs (researchers, labs, policymakers, the public)?",
        # A proposal that needs a risky profession or skill must model this category.
        "risky_roles_require": True}),
    ("capabilities", "Speeding up capabilities research", {
        "description": "Work or people that advance AI capabilities more than safety.",
        "guidance": "Could participants or outputs end up accelerating AI capabilities?"}),
    ("displacement", "Displacement", {
        "description": "Occupying a role or niche someone better placed would have filled.",
        "guidance": "Who else could do this, and would this project crowd them out?"}),
    ("low_fidelity", "Low-fidelity message", {
        "description": "Spreading a distorted version of the field's ideas.",
        "guidance": "How could the field's ideas be simplified or distorted by this project?"}),
    ("participant_harm", "Participant harm", {
        "description": "Burnout, mental-health or career harm to the people involved.",
        "guidance": "What could go wrong for the people who take part?"}),
    ("info_hazard", "Information hazard", {
        "description": "Sharing information that is dangerous to spread.",
        "guidance": "Could the project publish or spread information that should not spread?"}),
    ("coordination_harm", "Coordination harm", {
        "description": "Fragmenting or duplicating existing efforts.",
        "guidance": "Does this duplicate or split an existing effort?"}),
]

SAFEGUARD_TYPES: list[Entry] = [
    ("supervisory_team", "Supervisory team", {}),
    ("pilot_testing", "Pilot testing process", {}),
    ("senior_signoff", "Senior-advisor sign-off", {}),
    ("staged_rollout", "Staged roll-out", {}),
    ("comms_review", "Communications review", {}),
    ("kill_criteria", "Pre-set kill criteria", {}),
    ("capped_participants", "Capped participant numbers", {}),
    ("partnership", "Partnership with an established organisation", {}),
]

CONFLICT_TYPES: list[Entry] = [
    ("recent_collaborator", "Recent collaborator", {}),
    ("advisor_advisee", "Advisor / advisee", {}),
    ("same_organisation", "Same organisation", {}),
    ("personal", "Personal relationship", {}),
    ("funder_relationship", "Funder relationship", {}),
    ("other", "Other", {}),
]

DEFAULTS: dict[str, list[Entry]] = {
    "project_types": PROJECT_TYPES,
    "work_groups": WORK_GROUPS,
    "activities": ACTIVITIES,
    "outcomes": OUTCOMES,
    "professions": PROFESSIONS,
    "skills": SKILLS,
    "risk_categories": RISK_CATEGORIES,
    "safeguard_types": SAFEGUARD_TYPES,
    "conflict_types": CONFLICT_TYPES,
}
