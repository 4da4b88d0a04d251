"""Every model, imported here so that metadata and Alembic see them all."""

from reviewtool.models.account import LoginFailure, PasswordReset
from reviewtool.models.audit import AccountEvent, TransitionEvent
from reviewtool.models.catalogue import CatalogueItem
from reviewtool.models.consultations import (
    Consultation,
    ConsultationWave,
    PanelMember,
    WaveAnswer,
    WaveInvitation,
)
from reviewtool.models.decision import Decision, Memo
from reviewtool.models.figure_stamp import FigureStamp
from reviewtool.models.forecast import DecisionForecast, Forecast, ForecastInvitation
from reviewtool.models.notification import DigestItem, NotificationPreference, SentReminder
from reviewtool.models.pilot import (
    Alert,
    Criterion,
    Incident,
    Observation,
    Pilot,
    PlanChange,
    pilot_builders,
)
from reviewtool.models.project import Project, Revision
from reviewtool.models.review import (
    Assignment,
    ConflictDeclaration,
    OutboxMessage,
    Review,
    ReviewRound,
    ReviewVersion,
)
from reviewtool.models.risk import Risk, RiskCatalogueVersion, RiskExclusion
from reviewtool.models.safeguard import Safeguard
from reviewtool.models.types import utcnow
from reviewtool.models.user import ApiToken, User, UserRole

__all__ = [
    "AccountEvent",
    "Alert",
    "ApiToken",
    "Assignment",
    "CatalogueItem",
    "ConflictDeclaration",
    "Consultation",
    "ConsultationWave",
    "Criterion",
    "Decision",
    "DecisionForecast",
    "DigestItem",
    "FigureStamp",
    "Forecast",
    "ForecastInvitation",
    "Incident",
    "LoginFailure",
    "Memo",
    "NotificationPreference",
    "Observation",
    "OutboxMessage",
    "PanelMember",
    "PasswordReset",
    "Pilot",
    "PlanChange",
    "Project",
    "Review",
    "ReviewRound",
    "ReviewVersion",
    "Revision",
    "Risk",
    "RiskCatalogueVersion",
    "RiskExclusion",
    "Safeguard",
    "SentReminder",
    "TransitionEvent",
    "User",
    "UserRole",
    "WaveAnswer",
    "WaveInvitation",
    "pilot_builders",
    "utcnow",
]
