"""The signed-in person's own account: the overview, changing the password, API tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from reviewtool import db
from reviewtool.http.client import address
from reviewtool.http.pipeline import actor, settings
from reviewtool.models import utcnow
from reviewtool.services import tokens
from reviewtool.services.signin import change_password
from reviewtool.web.account_forms import NEW_HINT, ButtonForm, ChangePasswordForm, TokenForm
from reviewtool.web.form_errors import attach, form_problems
from reviewtool.web.pipeline import attempt, pages
from reviewtool.web.sessions import start_session

bp = pages("account", __name__)


@bp.get("/account")
def overview():
    """Who you are, and what you can do about your sign-in."""
    return render_template("account/overview.html", user=actor())


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    """Change the password: the current one first; every other session and token ends, this
    browser stays signed in."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("account/password.html", form=form, hint=NEW_HINT,
                               problems=form_problems(form)), status
    user = actor()
    changed = attempt(change_password, db.session(), user, form.current_password.data,
                      form.new_password.data, address=address(), settings=settings(),
                      via="page")
    if not changed.ok:
        problems = attach(form, changed.error.problems)
        headers = ({"Retry-After": str(changed.error.details["retry_after"])}
                   if "retry_after" in changed.error.details else {})
        return render_template("account/password.html", form=form, hint=NEW_HINT,
                               problems=problems), changed.error.status, headers
    start_session(user)  # the session token rotated: this browser signs in again
    flash("Your password is changed; your other sessions and API tokens have ended.")
    return redirect(url_for("account.overview"))


def _render_tokens(form: TokenForm, *, new_token: str | None = None, problems=(),
                   status: int = 200):
    return render_template("account/tokens.html", form=form, new_token=new_token,
                           tokens=tokens.list_tokens(db.session(), actor()), now=utcnow(),
                           revoke=ButtonForm(), problems=list(problems)), status


@bp.route("/account/tokens", methods=["GET", "POST"])
def api_tokens():
    """Your API tokens: make one (shown once), see them, revoke them."""
    form = TokenForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return _render_tokens(form, problems=form_problems(form), status=status)
    made = attempt(tokens.create_token, db.session(), actor(), name=form.name.data or "",
                   days=form.expires_in_days.data, actor=actor(), address=address(),
                   via="page")
    if not made.ok:
        return _render_tokens(form, problems=attach(form, made.error.problems),
                              status=made.error.status)
    return _render_tokens(TokenForm(formdata=None), new_token=made.value.token, status=201)


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one of your tokens (404 for anyone else's)."""
    row = tokens.revoke_token(db.session(), actor(), token_id, address=address())
    flash(f"API token {row.name or row.id} is revoked; it no longer works.")
    return redirect(url_for("account.api_tokens"))
