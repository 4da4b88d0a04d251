"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from reviewtool import db
from reviewtool.services.accounts import PASSWORD_MAX, authenticate, end_sessions
from reviewtool.web.pipeline import sign_in_required
from reviewtool.web.redirects import safe_next

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; sign in and go to a safe `next` or the dashboard."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.email.data, form.password.data)
        if user is None:
            form.password.errors.append("Wrong email or password.")
            return render_template("auth/login.html", form=form), 401
        login_user(user)  # a rehashed password, if argon2's parameters moved on, is committed
        return redirect(safe_next(request.args.get("next")) or url_for("projects.dashboard"))
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
