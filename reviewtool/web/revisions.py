"""Safeguard revisions: the proposer's safeguard editor, every revision read-only, and
word-level diffs between revisions.

What each viewer may see of the rounds is decided in services/read/rounds.py alone; these
pages only lay it out. Each page reads a fixed number of queries, never one per row."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.errors import Conflict
from reviewtool.http.pipeline import actor, project_route
from reviewtool.models import Project
from reviewtool.permissions import require
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.diffs import changed_words, revision_diff
from reviewtool.services.read.labels import category_labels
from reviewtool.services.read.revisions import find_revision, revision_body
from reviewtool.services.read.safeguard_concerns import safeguard_concerns
from reviewtool.services.revisions import save_revision
from reviewtool.web.form_errors import attach
from reviewtool.web.pipeline import attempt, pages
from reviewtool.web.repeat_rows import added_row
from reviewtool.web.revision_forms import SafeguardsForm, concern_value, form_data

bp = pages("revisions", __name__)
# Pydantic's generic sentences for a control left empty, said in the form's own words.
PLAIN = {"type": "Choose a safeguard type.",
         "description": "Describe the safeguard.",
         "addresses": "Tick at least one risk category it addresses.",
         "residual_likelihood": "Choose the expected residual likelihood.",
         "residual_severity": "Choose the expected residual severity."}


# --- the safeguard editor ----------------------------------------------------------------------

def _setup(project: Project, form: SafeguardsForm) -> dict[str, Any]:
    """Fill the form's choices and row labels; return what the editor page shows with it."""
    cats = load_catalogues(db.session())
    labels = category_labels(db.session(), cats, project)
    concerns = safeguard_concerns(db.session(), project, labels)
    concerns["choices"] = [(concern_value(number, letter), f"Round {number}, {name}")
                           for number, letter, name in concerns["answerable"]]
    form.setup(cats.choices("safeguard_types"), cats.choices("risk_categories"),
               concerns["choices"])
    return {"cats": cats, "labels": labels, "concerns": concerns}


def _render_safeguards(project: Project, form: SafeguardsForm, *, problems: list[str] = (),
                       status: int = 200):
    shown = _setup(project, form)
    cats, labels, concerns = shown["cats"], shown["labels"], shown["concerns"]
    return render_template("revisions/safeguards.html", project=project,
                           revision=project.current_revision, form=form, cats=cats,
                           labels=labels, concerns=concerns, problems=list(problems),
                           concern_labels=dict(concerns["choices"])), status


def _require_reviser(project: Project) -> None:
    """403 unless the proposer; 409 unless the project waits for safeguards."""
    require(actor(), "edit", project)
    if project.state != "revision":
        raise Conflict("Safeguards are written once reviewers asked for them (state "
                       f"'revision'); the project is in '{project.state}'.")


@bp.route("/projects/<int:project_id>/safeguards", methods=["GET", "POST"])
@project_route()
def safeguards(project: Project):
    """The safeguard editor: each concern of the last round with the safeguards answering it,
    then the safeguards themselves; errors come back inline with 422."""
    _require_reviser(project)
    if request.method == "GET":
        form = SafeguardsForm(data={**form_data(project.current_revision.safeguards),
                                    "version": project.version})
        return _render_safeguards(project, form)
    form = SafeguardsForm()
    if added_row({"safeguards"}):
        form.add_blank()  # "Add another safeguard" without the script: nothing is saved
        return _render_safeguards(project, form)
    if not form.validate_on_submit():
        return _render_safeguards(project, form, status=422,
                                  problems=["Please correct the marked fields."])
    items, rows = form.to_payload()
    version = form.version.data or ""
    payload = {"safeguards": items, "version": int(version) if version.isdigit() else -1}
    saved = attempt(save_revision, db.session(), actor(), project, payload,
                    load_catalogues(db.session()))
    if saved.ok:
        flash("Safeguards saved.")
        return redirect(url_for("revisions.safeguards", project_id=project.id)), 303
    if saved.error.status == 409:
        form.version.data = str(project.version)
        return _render_safeguards(project, form, problems=saved.error.messages, status=409)
    _setup(project, form)  # labels the rows first, so that the summary can name them
    problems = attach(form, saved.error.problems,
                      lists={"safeguards": (form.safeguards, rows)}, plain=PLAIN)
    return _render_safeguards(project, form, problems=problems, status=saved.error.status)


# --- revisions and diffs -----------------------------------------------------------------------

@bp.get("/projects/<int:project_id>/revisions")
@project_route()
def index(project: Project):
    """Every revision, oldest first: number, when submitted, the SHA-256 of its snapshot."""
    return render_template("revisions/index.html", project=project,
                           revisions=list(project.revisions))


@bp.get("/projects/<int:project_id>/revisions/<int:number>")
@project_route()
def show(project: Project, number: int):
    """One revision, read-only: its frozen snapshot once submitted, else the live draft."""
    revision = find_revision(project, number)
    cats = load_catalogues(db.session())
    return render_template("revisions/show.html", project=project, revision=revision,
                           body=revision_body(revision), cats=cats,
                           labels=category_labels(db.session(), cats, project))


@bp.get("/projects/<int:project_id>/diff")
@project_route()
def diff(project: Project):
    """Word-level differences between revisions `from` and `to` (default: the last two)."""
    newest = project.revisions[-1].number
    new = find_revision(project, request.args.get("to", newest))
    old = find_revision(project, request.args.get("from", max(1, new.number - 1)))
    result = revision_diff(old, new, load_catalogues(db.session()))
    return render_template("revisions/diff.html", project=project, diff=result,
                           words=changed_words(result), revisions=list(project.revisions))
