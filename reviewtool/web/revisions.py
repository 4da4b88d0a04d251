"""Safeguard revisions: the proposer's safeguard editor, every revision read-only, word-level
diffs, the trajectory of the figures across rounds, and "changes since your last review".

What each viewer may see of the rounds is decided in services/round_view.py alone; these
pages only lay it out. Each page reads a fixed number of queries, never one per row."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from reviewtool import db
from reviewtool.charts import trajectory
from reviewtool.errors import Conflict, Forbidden, Invalid, NotFound
from reviewtool.models import Project, Revision, User
from reviewtool.permissions import OVERSIGHT_ROLES, is_owner, load_project
from reviewtool.services.catalogues import Catalogues, load_catalogues
from reviewtool.services.diffs import changed_words, revision_diff
from reviewtool.services.revisions import content, save_revision
from reviewtool.services.risks import categories_of
from reviewtool.services.round_view import (
    changes_since_last_review,
    reviewer_movement,
    rounds_view,
)
from reviewtool.services.rounds import previous_round
from reviewtool.web.helpers import commit
from reviewtool.web.revision_forms import SafeguardsForm, concern_value, form_data, row_name

bp = Blueprint("revisions", __name__)
# Pydantic's generic sentences for a control left empty, said in the form's own words.
PLAIN = {"type": "Choose a safeguard type.",
         "description": "Describe the safeguard.",
         "addresses": "Tick at least one risk category it addresses.",
         "residual_likelihood": "Choose the expected residual likelihood.",
         "residual_severity": "Choose the expected residual severity."}


@bp.before_request
@login_required
def require_login() -> None:
    """Every page here needs a signed-in user."""


def _labels(session: Session, cats: Catalogues, revisions: list[Revision]) -> dict[str, str]:
    """Risk category labels: the catalogue's, then those each revision was written against."""
    labels, seen = dict(cats.choices("risk_categories")), set()
    for revision in revisions:  # one lookup per catalogue version, not per revision
        if revision.risk_catalogue_version_id not in seen:
            seen.add(revision.risk_catalogue_version_id)
            labels.update({c["key"]: c["label"] for c in categories_of(revision, session)})
    return labels


# --- the safeguard editor ----------------------------------------------------------------------

def _concerns(session: Session, project: Project, labels: dict[str, str]) -> dict[str, Any]:
    """The last closed round's concerns (flagged categories, reviews), each with the saved
    safeguards answering it, and every review a safeguard may answer, as the proposer sees
    them (anonymised)."""
    last = previous_round(session, project)
    rounds = [r for r in rounds_view(session, project, current_user) if r["status"] == "closed"]
    entry = next((r for r in rounds if last and r["number"] == last.number), None)
    saved = list(project.current_revision.safeguards)
    reviews = []
    for rv in entry["reviews"] if entry else []:
        if rv["net_negative"] or rv["concern_categories"] or rv["suggested_safeguards"] \
                or rv["rationale"]:
            ref = {"round": entry["number"], "reviewer": rv["reviewer"].removeprefix("Reviewer ")}
            reviews.append({**rv, "answers": [s for s in saved if ref in s.concerns]})
    return {
        "round": entry,
        "categories": [{"key": c["category"], "label": labels.get(c["category"], c["category"]),
                        "concern_pct": c["concern_pct"],
                        "answers": [s for s in saved if c["category"] in s.addresses]}
                       for c in (entry["categories"] if entry else []) if c["concern_pct"]],
        "reviews": reviews,
        "choices": [(concern_value(r["number"], rv["reviewer"].removeprefix("Reviewer ")),
                     f"Round {r['number']}, {rv['reviewer']}")
                    for r in rounds for rv in r["reviews"]],
    }


def _attach(form: SafeguardsForm, problems: list[dict[str, Any]], rows: list[int]) -> list[str]:
    """Put each problem next to its control; return every message for the summary."""
    messages = []
    for problem in problems:
        name, message = problem.get("field", ""), problem["message"]
        parts = name.split(".")
        if len(parts) >= 3 and parts[0] == "safeguards" and parts[1].isdigit() \
                and int(parts[1]) < len(rows) and parts[2] in form.safeguards[0].form:
            index = rows[int(parts[1])]
            row = form.safeguards[index].form
            field, prefix = row[parts[2]], row_name(index + 1, row.saved.data)
            label = field.label.text.split(": ", 1)[-1]
            if message.startswith(f"{name}: "):  # the service's own sentence
                inline = message.removeprefix(f"{name}: ")
            else:  # pydantic's: "safeguards.0.description is required."
                sentence = message.removeprefix(name).strip()
                left_empty = sentence in ("is required.", "should be a whole number.") \
                    or sentence.startswith("List should have at least")
                inline = PLAIN[parts[2]] if left_empty and parts[2] in PLAIN \
                    else f"{label} {sentence}"
            field.errors = [*field.errors, inline]
            message = f"{prefix}: {inline}"
        messages.append(message)
    return messages


def _render_safeguards(session: Session, project: Project, form: SafeguardsForm, *,
                       problems: list[str] = (), status: int = 200):
    cats = load_catalogues(session)
    labels = _labels(session, cats, list(project.revisions))
    concerns = _concerns(session, project, labels)
    form.setup(cats.choices("safeguard_types"), cats.choices("risk_categories"),
               concerns["choices"])
    return render_template("revisions/safeguards.html", project=project,
                           revision=project.current_revision, form=form, cats=cats,
                           labels=labels, concerns=concerns, problems=list(problems),
                           concern_labels=dict(concerns["choices"])), status


def _require_reviser(project: Project) -> None:
    """403 unless the proposer; 409 unless the project waits for safeguards."""
    if not is_owner(current_user, project):
        raise Forbidden("Only the proposer can write safeguards.")
    if project.state != "revision":
        raise Conflict("Safeguards are written once reviewers asked for them (state "
                       f"'revision'); the project is in '{project.state}'.")


@bp.route("/projects/<int:project_id>/safeguards", methods=["GET", "POST"])
def safeguards(project_id: int):
    """The safeguard editor: each concern of the last round with the safeguards answering it,
    then the safeguards themselves; errors come back inline with 422."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    _require_reviser(project)
    if request.method == "GET":
        form = SafeguardsForm(data={**form_data(project.current_revision.safeguards),
                                    "version": project.version})
        return _render_safeguards(session, project, form)
    form = SafeguardsForm()
    if not form.validate_on_submit():
        return _render_safeguards(session, project, form, status=422,
                                  problems=["Please correct the marked fields."])
    items, rows = form.to_payload()
    version = form.version.data or ""
    payload = {"safeguards": items, "version": int(version) if version.isdigit() else -1}
    try:
        save_revision(session, current_user, project, payload, load_catalogues(session))
    except (Invalid, Conflict) as exc:
        session.rollback()
        project = load_project(session, current_user, project_id)
        messages = _attach(form, exc.problems, rows) if isinstance(exc, Invalid) \
            else exc.messages
        if isinstance(exc, Conflict):
            form.version.data = str(project.version)
        return _render_safeguards(session, project, form, problems=messages,
                                  status=exc.status)
    commit()
    flash("Safeguards saved.")
    return redirect(url_for("revisions.safeguards", project_id=project_id)), 303


# --- revisions and diffs -----------------------------------------------------------------------

def _revision(project: Project, number: Any) -> Revision:
    if isinstance(number, str):
        if not number.isdigit():
            raise Invalid("from and to should be revision numbers.")
        number = int(number)
    found = next((r for r in project.revisions if r.number == number), None)
    if found is None:
        raise NotFound(f"Project {project.id} has no revision {number}.")
    return found


@bp.get("/projects/<int:project_id>/revisions")
def index(project_id: int):
    """Every revision, oldest first: number, when submitted, the SHA-256 of its snapshot."""
    project = load_project(db.session(), current_user, project_id)
    return render_template("revisions/index.html", project=project,
                           revisions=list(project.revisions))


@bp.get("/projects/<int:project_id>/revisions/<int:number>")
def show(project_id: int, number: int):
    """One revision, read-only: its frozen snapshot once submitted, else the live draft."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    revision = _revision(project, number)
    body = json.loads(revision.snapshot) if revision.snapshot else content(revision)
    cats = load_catalogues(session)
    return render_template("revisions/show.html", project=project, revision=revision,
                           body=body, cats=cats, labels=_labels(session, cats, [revision]))


@bp.get("/projects/<int:project_id>/diff")
def diff(project_id: int):
    """Word-level differences between revisions `from` and `to` (default: the last two)."""
    session = db.session()
    project = load_project(session, current_user, project_id)
    newest = project.revisions[-1].number
    new = _revision(project, request.args.get("to", newest))
    old = _revision(project, request.args.get("from", max(1, new.number - 1)))
    result = revision_diff(old, new, load_catalogues(session))
    return render_template("revisions/diff.html", project=project, diff=result,
                           words=changed_words(result), revisions=list(project.revisions))


# --- parts of other pages ----------------------------------------------------------------------

def trajectory_context(session: Session, project: Project, viewer: User) -> dict | None:
    """What templates/revisions/_trajectory.html shows `viewer`; None before round 2 (or for
    a viewer who declared a conflict, who sees no figures at all)."""
    try:
        rounds = rounds_view(session, project, viewer)
    except Forbidden:
        return None
    if len(rounds) < 2:
        return None
    labels = _labels(session, load_catalogues(session), list(project.revisions))
    keys = list(dict.fromkeys(c["category"] for r in rounds for c in r["categories"]))
    for r in rounds:
        r["by_category"] = {c["category"]: c["concern_pct"] for c in r["categories"]}
    movement = None
    if viewer.has_role(*OVERSIGHT_ROLES) and not is_owner(viewer, project):
        movement = reviewer_movement(session, project)
        for person in movement:
            person["by_round"] = {cell["round"]: cell for cell in person["rounds"]}
            said = [cell["net_negative"] for cell in person["rounds"]
                    if cell["net_negative"] is not None]
            person["moved"] = _moved(said)
    return {"rounds": rounds, "categories": [(k, labels.get(k, k)) for k in keys],
            "chart": trajectory(rounds), "reviewers": movement}


def _moved(said: list[bool]) -> str:
    """How a reviewer's "could be net negative" answer moved from their first to last review."""
    if len(said) < 2:
        return "reviewed once"
    if said[0] == said[-1]:
        return "still net negative" if said[-1] else "still not net negative"
    return "no longer net negative" if said[0] else "now net negative"


def changes_context(session: Session, user: User, project: Project) -> dict | None:
    """What templates/revisions/_changes_since.html shows a reviewer in a later round: each
    changed section's inserted and removed words, and their own previous review; None when
    they have not reviewed this project before."""
    cats = load_catalogues(session)
    changes = changes_since_last_review(session, user, project, cats)
    if changes is None:
        return None
    sections = [{**s, **changed_words({"sections": [s]})}
                for s in changes["diff"]["sections"] if s["changed"]]
    return {**changes, "sections": sections,
            "labels": _labels(session, cats, list(project.revisions)),
            "risk_text": {r.id: r.description for rev in project.revisions for r in rev.risks}}
