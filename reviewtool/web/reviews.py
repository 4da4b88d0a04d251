"""Senior-review pages: the review form and declaring a conflict of interest.

What each role may see of a round is decided in services/read/rounds.py alone; these pages
only lay it out. Every list here is read in a fixed number of queries, never one per row."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from reviewtool import db
from reviewtool.http.pipeline import actor, project_route, workflow
from reviewtool.models import Assignment, Project, ReviewRound, Revision
from reviewtool.models.review import CONFLICT_KINDS
from reviewtool.services import reviews
from reviewtool.services.catalogues import load_catalogues
from reviewtool.services.read.review_changes import changes_context
from reviewtool.services.read.risk_model import risk_model_view
from reviewtool.services.risks import categories_of
from reviewtool.web.form_errors import attach
from reviewtool.web.pipeline import attempt, pages
from reviewtool.web.review_forms import ConflictForm, ReviewForm, review_form_data

bp = pages("reviews", __name__)
# Pydantic's generic sentences for a control left empty, said in the form's own words.
PLAIN = {"stance": "Choose a stance: optimistic, neutral or pessimistic.",
         "net_negative": "Answer “Could this project be net negative?” with yes or no.",
         "confidence": "Choose your confidence, from 1 to 5.",
         "expertise": "Choose your expertise: general, familiar or expert.",
         "no_conflict": "Tick “I have no conflict of interest with this project”, or declare "
                        "your conflict of interest below instead.",
         "likelihood": "Choose a likelihood from 1 to 5, or leave both scores blank.",
         "severity": "Choose a severity from 1 to 5, or leave both scores blank."}


def conflict_form(session: Session) -> ConflictForm:
    """The "Declare a conflict of interest" form, its kinds labelled from the catalogue."""
    form = ConflictForm()
    cats = load_catalogues(session)
    form.kind.choices = [(k, cats.label("conflict_types", k)) for k in CONFLICT_KINDS]
    return form


def _my_assignment(project: Project) -> tuple[ReviewRound, Assignment]:
    """The open round and the current user's live assignment in it (409, then 403)."""
    return reviews.my_assignment(db.session(), actor(), project)


def _under_review(project: Project, review_round: ReviewRound) -> Revision:
    """The revision the round reviews (reviews are pinned to it)."""
    return next(r for r in project.revisions if r.id == review_round.revision_id)


def _render_review(project: Project, form: ReviewForm, *, problems: list[str] = (),
                   status: int = 200):
    session = db.session()
    review_round, assignment = _my_assignment(project)
    revision = _under_review(project, review_round)
    view = risk_model_view(session, revision, workflow().settings, load_catalogues(session))
    return render_template("reviews/review.html", project=project, revision=revision,
                           review_round=review_round, assignment=assignment, form=form,
                           problems=list(problems), view=view,
                           conflict_form=conflict_form(session),
                           changes=changes_context(session, actor(), project)), status


@bp.route("/projects/<int:project_id>/review", methods=["GET", "POST"])
@project_route()
def review(project: Project):
    """Write or edit your review of the open round; errors come back inline with 422."""
    session = db.session()
    review_round, assignment = _my_assignment(project)
    revision = _under_review(project, review_round)
    form = ReviewForm() if request.method == "POST" else \
        ReviewForm(data=review_form_data(assignment.review))
    form.setup(categories_of(revision, session), list(revision.risks))
    if request.method == "GET":
        return _render_review(project, form)
    if not form.validate_on_submit():
        return _render_review(project, form, status=422,
                              problems=["Please correct the marked fields."])
    data, rows = form.to_data()
    saved = attempt(reviews.submit_review, session, actor(), project, data)
    if not saved.ok:
        problems = attach(form, saved.error.problems, lists={"risk_scores": (form.scores, rows)},
                          plain=PLAIN)
        return _render_review(project, form, status=saved.error.status, problems=problems)
    flash("Your review is updated." if saved.value.version > 1 else
          "Your review is submitted. The other reviews of this round are shown below.")
    return redirect(url_for("projects.show", project_id=project.id, _anchor="senior-review")), 303


@bp.post("/projects/<int:project_id>/conflicts")
@project_route()
def declare_conflict(project: Project):
    """Declare a conflict of interest: you are withdrawn and the project's reviews hidden."""
    form = conflict_form(db.session())
    if not form.validate_on_submit():
        abort(400)
    title = project.current_revision.title
    declared = attempt(reviews.declare_conflict, db.session(), actor(), project,
                       form.kind.data, form.note.data or "")
    if not declared.ok:
        return render_template("reviews/conflict.html", project=project, form=form,
                               problems=declared.error.messages), declared.error.status
    flash(f"You declared a conflict of interest with “{title}”: you are withdrawn from its "
          "review and its reviews are hidden from you.")
    return redirect(url_for("projects.dashboard")), 303
