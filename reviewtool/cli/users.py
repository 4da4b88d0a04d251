"""`reviewtool users disable EMAIL` and `users enable EMAIL` (CONTRACT.md, Additions)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from reviewtool import db as database
from reviewtool.cli.commands import users
from reviewtool.services.accounts import find_user
from reviewtool.services.user_admin import set_active


def _switch(email: str, active: bool) -> None:
    session = database.session()
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    changed = set_active(session, None, user, active, via="cli")
    session.commit()
    state = "enabled" if active else "disabled"
    if not changed:
        click.echo(f"{user.email} was already {state}.")
    elif active:
        click.echo(f"Enabled {user.email}; its old sessions and API tokens stay ended.")
    else:
        click.echo(f"Disabled {user.email}; its sessions and API tokens have ended.")


@users.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email: str) -> None:
    """Disable a user: no sign-in, and every session and API token ends for good."""
    _switch(email, False)


@users.command("enable")
@click.argument("email")
@with_appcontext
def users_enable(email: str) -> None:
    """Enable a disabled user (its old sessions and tokens stay ended)."""
    _switch(email, True)
