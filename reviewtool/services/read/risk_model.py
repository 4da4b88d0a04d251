"""The risk model as plain values, for the API, the pages and (later) the memo."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from reviewtool.models import Revision, Risk
from reviewtool.services.catalogues import Catalogues, latest_risk_catalogue
from reviewtool.services.risks import (
    above_appetite,
    appetite,
    categories_of,
    completeness_problems,
)


def risk_json(risk: Risk, settings: Mapping[str, Any]) -> dict[str, Any]:
    """One risk with its scores and whether it is above the appetite."""
    return {"id": risk.id, "category": risk.category, "description": risk.description,
            "likelihood": risk.likelihood, "severity": risk.severity, "score": risk.score,
            "reversibility": risk.reversibility, "pilot_reveals": risk.pilot_reveals,
            "knowledge": risk.knowledge, "mitigation": risk.mitigation,
            "residual_likelihood": risk.residual_likelihood,
            "residual_severity": risk.residual_severity, "residual_score": risk.residual_score,
            "above_appetite": above_appetite(risk, settings)}


def risk_model_view(session: Session, revision: Revision, settings: Mapping[str, Any],
                    cats: Catalogues) -> dict[str, Any]:
    """The whole model: per category its risks or exclusion, what is missing, the appetite."""
    # The newest version first: when the revision pins that one, loading the pin below is
    # then the session's identity map, not a second statement.
    latest = latest_risk_catalogue(session)
    categories = categories_of(revision, session)
    # In the order they were sent (position), as PUT answers it, not the ORM's by-category order.
    risks = [risk_json(r, settings) for r in sorted(revision.risks, key=lambda r: r.position)]
    exclusions = {e.category: e.reason for e in revision.exclusions}
    pinned = revision.risk_catalogue_version
    return {
        "catalogue_version": pinned.number if pinned else None,
        "newer_catalogue": bool(pinned and latest and latest.number > pinned.number),
        "risks": risks,
        "not_applicable": [{"category": k, "reason": v} for k, v in exclusions.items()],
        "categories": [{**c, "risks": [r for r in risks if r["category"] == c["key"]],
                        "not_applicable": exclusions.get(c["key"])} for c in categories],
        "problems": completeness_problems(revision, categories, cats),
        "above_appetite": sum(r["above_appetite"] for r in risks),
        "appetite": appetite(settings),
        "cells": {"inherent": [(r["likelihood"], r["severity"]) for r in risks],
                  "residual": [(r["residual_likelihood"], r["residual_severity"])
                               for r in risks]},
    }
