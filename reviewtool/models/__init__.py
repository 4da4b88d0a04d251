"""Every model, imported here so that metadata and Alembic see them all."""

from reviewtool.models.audit import TransitionEvent
from reviewtool.models.catalogue import CatalogueItem
from reviewtool.models.project import Project, Revision
from reviewtool.models.risk import Risk, RiskCatalogueVersion, RiskExclusion
from reviewtool.models.types import utcnow
from reviewtool.models.user import ApiToken, User, UserRole

__all__ = [
    "ApiToken",
    "CatalogueItem",
    "Project",
    "Revision",
    "Risk",
    "RiskCatalogueVersion",
    "RiskExclusion",
    "TransitionEvent",
    "User",
    "UserRole",
    "utcnow",
]
