"""The JSON API under /api/v1: thin handlers over the services, one module per area."""

from reviewtool.api import (
    accounts,
    audit,
    consultations,
    forecasts,
    memos,
    openapi,
    pilots,
    portfolio,
    projects,
    reviews,
    revisions,
    tokens,
)
from reviewtool.api.pipeline import bp

__all__ = ["accounts", "audit", "bp", "consultations", "forecasts", "memos", "openapi",
           "pilots", "portfolio", "projects", "reviews", "revisions", "tokens"]
