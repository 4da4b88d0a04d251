"""Forgotten passwords: ask for a link by e-mail, then set a new password through it. Both
pages work without signing in; the first answers the same whether or not the account
exists."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import logout_user

from reviewtool import db
from reviewtool.http.client import address
from reviewtool.http.pipeline import settings
from reviewtool.services.password_reset import request_reset, reset_password, usable_link
from reviewtool.web.account_forms import NEW_HINT, ForgotForm, ResetForm
from reviewtool.web.form_errors import attach, form_problems
from reviewtool.web.pipeline import attempt

bp = Blueprint("password_reset", __name__)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link; the answer never says whether the account exists."""
    form = ForgotForm()
    if not form.validate_on_submit():
        return render_template("account/forgot.html", form=form), 422 if form.errors else 200
    request_reset(db.session(), form.email.data, address=address(), settings=settings())
    hours = settings().password_reset_hours
    return render_template("account/forgot_sent.html", email=form.email.data,
                           lifetime=f"{hours} hour{'s' if hours != 1 else ''}")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Set a new password through a reset link; a used, expired or unknown link says so."""
    link = attempt(usable_link, db.session(), token, settings())
    if not link.ok:
        return (render_template("account/reset_unusable.html", message=link.error.messages[0]),
                link.error.status)
    form = ResetForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("account/reset.html", form=form, hint=NEW_HINT,
                               email=link.value.user.email, problems=form_problems(form)), status
    done = attempt(reset_password, db.session(), token, form.new_password.data,
                   address=address(), settings=settings())
    if not done.ok:
        problems = attach(form, done.error.problems)
        return render_template("account/reset.html", form=form, hint=NEW_HINT,
                               email=link.value.user.email, problems=problems), done.error.status
    logout_user()  # whoever was signed in on this browser: its session has ended anyway
    flash("Your new password is set, and every session and API token of the account has "
          "ended. Sign in with the new password.")
    return redirect(url_for("auth.login"))
