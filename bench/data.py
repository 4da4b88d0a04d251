"""A benchmark data set: N projects with risk models and reviews, one decided with a memo."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from reviewtool import create_app, db
from reviewtool.demo.data import ADVISING, ADVISING_RISKS
from reviewtool.migrate import upgrade
from reviewtool.services.accounts import create_user, issue_token
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.proposals import create_project
from reviewtool.services.reviews import assign_reviewer, submit_review
from reviewtool.services.risks import replace_risk_model
from reviewtool.services.transitions import fire

PASSWORD = "bench-password"


def _review(net_negative: bool) -> dict[str, Any]:
    return {"stance": "neutral", "net_negative": net_negative, "confidence": 3,
            "rationale": "Benchmark rationale." if net_negative else "", "no_conflict": True,
            "concern_categories": ["capabilities"] if net_negative else []}


def build_demo_db(tmp: Path, n_projects: int):
    """Create an app on a fresh SQLite file with `n_projects` projects in review."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
                      "SECRET_KEY": "bench-secret-key-0123456789", "REVIEWTOOL_ENV": "testing",
                      "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": str(tmp)})
    upgrade(app.extensions["reviewtool.db"].engine)
    workflow = app.extensions["reviewtool.workflow"]
    with app.app_context():
        session = db.session()
        gm = create_user(session, email="gm@bench.example", password=PASSWORD,
                         roles=["grantmaker"], name="Grant Maker")
        reviewers = [create_user(session, email=f"r{i}@reviewer{i}.example", password=PASSWORD,
                                 roles=["reviewer"], name=f"Reviewer {i}") for i in range(3)]
        cats = load_catalogues(session)
        decided = None
        for i in range(n_projects):
            owner = create_user(session, email=f"p{i}@org{i}.example", password=PASSWORD,
                                roles=["proposer"], name=f"Proposer {i}")
            project = create_project(session, owner, {**copy.deepcopy(ADVISING),
                                                      "title": f"Project {i}"}, cats)
            fire(session, workflow, project, "submit", actor=owner)
            replace_risk_model(session, owner, project, copy.deepcopy(ADVISING_RISKS))
            fire(session, workflow, project, "request_review", actor=owner)
            for n, reviewer in enumerate(reviewers):
                assign_reviewer(session, gm, project, reviewer.id, notify=False)
                submit_review(session, reviewer, project, _review(n == 0))
            if decided is None:
                fire(session, workflow, project, "skip_pilot", actor=gm,
                     comment="The main risk cannot be tested in a trial.")
                fire(session, workflow, project, "go", actor=gm, comment="Benchmark go.")
                decided = project.id
        token = issue_token(session, gm)
        session.commit()
    return app, {"decided": decided, "token": token}
