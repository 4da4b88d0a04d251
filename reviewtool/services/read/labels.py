"""Labels of catalogue keys that outlive the catalogue: a project keeps the risk categories
its revisions were written against, even after an admin adds new ones; and the texts of the
risks its reviews name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewtool.models import Project, Revision, Risk
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.risks import categories_of
from reviewtool.unit_memo import remember


def category_labels(session: Session, cats: Catalogues, project: Project) -> dict[str, str]:
    """Risk category labels: the catalogue's, then those each revision was written against."""
    labels, seen = dict(cats.choices("risk_categories")), set()
    for revision in project.revisions:  # one lookup per catalogue version, not per revision
        if revision.risk_catalogue_version_id not in seen:
            seen.add(revision.risk_catalogue_version_id)
            labels.update({c["key"]: c["label"] for c in categories_of(revision, session)})
    return labels


def risk_texts(session: Session, project: Project) -> dict[int, str]:
    """Risk id -> description over every revision of the project: one statement, not one per
    revision (reviews name risks of the revision they assessed, often an earlier one)."""
    return remember(session, ("risk_texts", project.id), lambda: dict(session.execute(
        select(Risk.id, Risk.description).join(Revision, Revision.id == Risk.revision_id)
        .where(Revision.project_id == project.id)).all()))
