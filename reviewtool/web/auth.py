"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from reviewtool import db
from reviewtool.http.client import address
from reviewtool.http.pipeline import settings
from reviewtool.services.passwords import PASSWORD_MAX
from reviewtool.services.signin import sign_in
from reviewtool.services.tokens import end_sessions
from reviewtool.web.pipeline import attempt, sign_in_required
from reviewtool.web.redirects import safe_next
from reviewtool.web.sessions import start_session

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; sign in and go to a safe `next` or the dashboard. While the
    account or the address is locked (too many failures), 429 with Retry-After."""
    form = LoginForm()
    if form.validate_on_submit():
        signed = attempt(sign_in, db.session(), form.email.data, form.password.data,
                         address=address(), settings=settings(), via="page")
        if signed.ok:
            start_session(signed.value)  # a rehashed password, if any, is committed
            return redirect(safe_next(request.args.get("next")) or url_for("projects.dashboard"))
        if signed.error.status != 429:
            form.password.errors.append(signed.error.messages[0])
            return render_template("auth/login.html", form=form), signed.error.status
        return (render_template("auth/login.html", form=form, problem=signed.error.messages[0]),
                429, {"Retry-After": str(signed.error.details["retry_after"])})
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out everywhere: the session token rotates, so a copied cookie stops working.

    A POST, checked for its CSRF token by CSRFProtect, so no link or image can sign anyone out."""
    refused = sign_in_required()
    if refused is not None:
        return refused
    end_sessions(current_user)
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))
