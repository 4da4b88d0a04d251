"""The forms of the account pages: password change and reset, API tokens, admins' roles."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from reviewtool.enums import Role
from reviewtool.services.passwords import PASSWORD_MAX, PASSWORD_MIN
from reviewtool.services.tokens import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, TOKEN_NAME_MAX
from reviewtool.web.proposal_forms import CheckboxesField

NEW_HINT = (f"At least {PASSWORD_MIN} characters, and not one of the common passwords that "
            "attackers try first. A few unrelated words make a strong one.")
SAME = "The two new passwords differ; type the same one twice."


class NewPasswordFields(FlaskForm):
    """A new password, typed twice."""

    new_password = PasswordField("New password", validators=[
        DataRequired(), Length(max=PASSWORD_MAX)])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message=SAME)])


class ChangePasswordForm(NewPasswordFields):
    """The current password, then the new one twice."""

    current_password = PasswordField("Current password", validators=[
        DataRequired(), Length(max=PASSWORD_MAX)])


class ForgotForm(FlaskForm):
    """The e-mail of the account whose password was forgotten."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])


class ResetForm(NewPasswordFields):
    """A new password through a reset link."""


class TokenForm(FlaskForm):
    """A new API token: a name to recognise it by, and how long it lasts."""

    name = StringField("Name", validators=[Optional(), Length(max=TOKEN_NAME_MAX)])
    expires_in_days = IntegerField(
        "Expires after (days)", default=TOKEN_DAYS_DEFAULT,
        validators=[DataRequired(message=f"Give a number of days from 1 to {TOKEN_DAYS_MAX}."),
                    NumberRange(min=1, max=TOKEN_DAYS_MAX,
                                message=f"Give a number of days from 1 to {TOKEN_DAYS_MAX}.")])


class RolesForm(FlaskForm):
    """The roles an account holds, as checkboxes."""

    roles = CheckboxesField("Roles", choices=[(r.value, r.value) for r in Role])


class InviteForm(FlaskForm):
    """Whom an admin invites, and with which roles."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    organisation = StringField("Organisation", validators=[Optional(), Length(max=200)])
    roles = CheckboxesField("Roles", choices=[(r.value, r.value) for r in Role])


class ButtonForm(FlaskForm):
    """A form that is only a button (revoke, disable, enable): its CSRF token."""
