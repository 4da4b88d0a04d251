"""The `reviewtool` click group. Commands register on it from their own modules."""

from __future__ import annotations

import click
from flask.cli import ScriptInfo

from reviewtool.app import create_app


def _app():
    # The app is made when a command needs it, not when the CLI loads: commands like
    # `workflow check` must work before the database or SECRET_KEY is set up.
    return create_app()


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """reviewtool: validate community projects before they scale."""
    # A plain group (not FlaskGroup), so that commands without the app work without it.
    ctx.obj = ScriptInfo(create_app=_app, set_debug_flag=False, load_dotenv_defaults=False)
