"""Names shared by every layer. A leaf module: it imports nothing from reviewtool."""

from enum import StrEnum


class Role(StrEnum):
    """The roles a user can hold; one user may hold several."""

    PROPOSER = "proposer"
    REVIEWER = "reviewer"
    GRANTMAKER = "grantmaker"
    BUILDER = "builder"
    ADMIN = "admin"
    # A community member who consented to be surveyed in consultations (models/consultations)
    PANELLIST = "panellist"


class State(StrEnum):
    """Every state a project can be in, across all workflows we ship (the database checks it)."""

    DRAFT = "draft"
    RISK_MODEL = "risk_model"
    REVIEW = "review"
    REVISION = "revision"
    PILOT = "pilot"
    DECISION = "decision"
    GO = "go"
    NO_GO = "no_go"
    WITHDRAWN = "withdrawn"


# States in which the owner may edit the proposal (CONTRACT.md, PATCH /projects/{id}).
EDITABLE_STATES = frozenset({State.DRAFT, State.RISK_MODEL, State.REVISION})

# Catalogue names, as served by GET /api/v1/catalogues.
CATALOGUES = (
    "project_types",
    "work_groups",
    "activities",
    "outcomes",
    "professions",
    "skills",
    "risk_categories",
    "safeguard_types",
    "conflict_types",
)


class Commitment(StrEnum):
    """How much time a needed role asks for."""

    FULL_TIME = "full_time"
    FRACTIONAL = "fractional"


class NeedKind(StrEnum):
    """A role needed by a project is either a profession or a skill."""

    PROFESSION = "profession"
    SKILL = "skill"
