"""Each person's choice of mail: per kind, immediately, in a daily digest, or off (security mail
is always sent and not listed)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from reviewtool import db
from reviewtool.http.pipeline import actor
from reviewtool.models.notification import DELIVERY_MODES
from reviewtool.services.notifications import preferences, set_preferences
from reviewtool.web.account_forms import ButtonForm
from reviewtool.web.pipeline import attempt, pages

bp = pages("notification_prefs", __name__)
MODE_LABELS = {"immediately": "Immediately", "digest": "Daily digest", "off": "Off"}


def _page(rows: list[dict[str, str]], problems: list[dict[str, str]], status: int = 200):
    wrong = {p.get("field") for p in problems}
    return render_template("account/notifications.html", rows=rows, modes=DELIVERY_MODES,
                           mode_labels=MODE_LABELS, wrong=wrong, button=ButtonForm(),
                           problems=[p["message"] for p in problems]), status


@bp.get("/account/notifications")
def show():
    """Every kind of mail the person may choose, with their current choice."""
    return _page(preferences(db.session(), actor()), [])


@bp.post("/account/notifications")
def save():
    """Save the choices sent (a kind not sent keeps its choice)."""
    form = ButtonForm()
    rows = preferences(db.session(), actor())
    if not form.validate_on_submit():
        return _page(rows, [{"message": "The form expired; send it again."}], 400)
    choices = {row["kind"]: request.form[row["kind"]] for row in rows
               if row["kind"] in request.form}
    saved = attempt(set_preferences, db.session(), actor(), choices)
    if not saved.ok:
        typed = [{**row, "mode": choices.get(row["kind"], row["mode"])} for row in rows]
        return _page(typed, saved.error.problems, saved.error.status)
    flash("Your mail choices are saved.")
    return redirect(url_for("notification_prefs.show"))
