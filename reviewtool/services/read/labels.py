"""Labels of catalogue keys that outlive the catalogue: a project keeps the risk categories
its revisions were written against, even after an admin adds new ones."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reviewtool.models import Project
from reviewtool.services.catalogues import Catalogues
from reviewtool.services.risks import categories_of


def category_labels(session: Session, cats: Catalogues, project: Project) -> dict[str, str]:
    """Risk category labels: the catalogue's, then those each revision was written against."""
    labels, seen = dict(cats.choices("risk_categories")), set()
    for revision in project.revisions:  # one lookup per catalogue version, not per revision
        if revision.risk_catalogue_version_id not in seen:
            seen.add(revision.risk_catalogue_version_id)
            labels.update({c["key"]: c["label"] for c in categories_of(revision, session)})
    return labels
