"""Admins' pages for accounts: the list, and one account's roles and whether it is active."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.errors import ServiceError
from reviewtool.http.client import address
from reviewtool.http.pipeline import actor
from reviewtool.inputs import NUMBER_MAX, whole_number
from reviewtool.models import User
from reviewtool.permissions import require
from reviewtool.services import invitations, user_admin
from reviewtool.services.accounts import user_page
from reviewtool.web.account_forms import ButtonForm, InviteForm, RolesForm
from reviewtool.web.form_errors import attach, form_problems
from reviewtool.web.pipeline import attempt, pages

bp = pages("admin_users", __name__)
PER_PAGE = 50


@bp.before_request
def admins_only() -> None:
    """Every page here needs the manage_users rule (403 otherwise)."""
    require(actor(), "manage_users")


@bp.get("/admin/users")
def index():
    """Every account, by name, filtered by a text in the name or e-mail."""
    page = whole_number(request.args.get("page", "1"), low=1, high=NUMBER_MAX)
    if page is None:
        abort(404)
    q = (request.args.get("q") or "").strip()[:200]
    found = user_page(db.session(), q=q, page=page, per_page=PER_PAGE)
    pages_total = max(1, -(-found.total // PER_PAGE))
    return render_template("admin/users.html", users=found.items, q=q, page=page,
                           pages=pages_total, total=found.total)


@bp.route("/admin/users/invite", methods=["GET", "POST"])
def invite():
    """Invite someone by e-mail: the account is made with the roles ticked, and a mail with a
    link to choose a password is queued."""
    form = InviteForm()
    if not form.validate_on_submit():
        return (render_template("admin/invite.html", form=form, problems=form_problems(form)),
                422 if form.errors else 200)
    made = attempt(invitations.invite, db.session(), actor(), {
        "email": form.email.data, "name": form.name.data, "organisation": form.organisation.data,
        "roles": form.roles.data or []}, address=address())
    if not made.ok:
        problems = attach(form, made.error.problems)
        return render_template("admin/invite.html", form=form, problems=problems), \
            made.error.status
    flash(f"{made.value.email} is invited: a mail with a link to choose a password is on its "
          f"way (it works once, for {invitations.INVITE_DAYS} days).")
    return redirect(url_for("admin_users.show", user_id=made.value.id))


def _render_user(user: User, *, roles_form: RolesForm | None = None,
                 problems: list[str] | None = None, status: int = 200):
    form = roles_form or RolesForm(data={"roles": sorted(user.roles)})
    return render_template("admin/user.html", user=user, form=form, button=ButtonForm(),
                           is_self=user.id == actor().id, problems=problems or []), status


@bp.get("/admin/users/<int:user_id>")
def show(user_id: int):
    """One account: its roles and whether it is active."""
    return _render_user(user_admin.load_user(db.session(), actor(), user_id))


@bp.post("/admin/users/<int:user_id>/roles")
def roles(user_id: int):
    """Give the account exactly the roles ticked; its sessions and tokens end."""
    user = user_admin.load_user(db.session(), actor(), user_id)
    form = RolesForm()
    form.validate()  # the service checks the choices, in its own words
    changed = attempt(user_admin.set_roles, db.session(), actor(), user, form.roles.data or [],
                      address=address())
    if not changed.ok:
        return _refused(user, changed.error, form)
    flash(f"{user.name} now holds {', '.join(sorted(user.roles))}; their sessions and API "
          "tokens have ended." if changed.value else f"{user.name}'s roles are unchanged.")
    return redirect(url_for("admin_users.show", user_id=user.id))


def _refused(user: User, error: ServiceError, form: RolesForm | None = None):
    roles_form = form or RolesForm(data={"roles": sorted(user.roles)})
    problems = attach(roles_form, error.problems)
    return _render_user(user, roles_form=roles_form, problems=problems, status=error.status)


@bp.post("/admin/users/<int:user_id>/disable")
def disable(user_id: int):
    """Disable the account: it cannot sign in, and its sessions and tokens end for good."""
    return _set_active(user_id, False)


@bp.post("/admin/users/<int:user_id>/enable")
def enable(user_id: int):
    """Enable the account again (its old sessions and tokens stay ended)."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = user_admin.load_user(db.session(), actor(), user_id)
    changed = attempt(user_admin.set_active, db.session(), actor(), user, active,
                      address=address())
    if not changed.ok:
        return _refused(user, changed.error)
    if not changed.value:
        flash(f"{user.email} was already {'enabled' if active else 'disabled'}.")
    elif active:
        flash(f"{user.email} is enabled; it signs in afresh (its old sessions and tokens "
              "stay ended).")
    else:
        flash(f"{user.email} is disabled; its sessions and API tokens have ended.")
    return redirect(url_for("admin_users.show", user_id=user.id))
