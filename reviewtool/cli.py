"""The `reviewtool` command: a Flask CLI group. Bad input → one line on stderr, non-zero exit."""

from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from reviewtool.config import ConfigError


def _app():
    from reviewtool import create_app

    return create_app()


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """reviewtool: validate community projects before they scale."""
    # A plain group (not FlaskGroup), so that commands without the app, like
    # `workflow check`, work before the database or SECRET_KEY is set up.
    ctx.obj = ScriptInfo(create_app=_app, set_debug_flag=False, load_dotenv_defaults=False)


def _db():
    return current_app.extensions["reviewtool.db"]


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest migration (safe to run twice)."""
    from reviewtool.migrate import upgrade

    added = upgrade(_db().engine)
    click.echo(f"Database is at the newest schema; {added} default catalogue entries added.")


from reviewtool import cli_commands  # noqa: E402, F401 - users, workflow, demo, serve


def main() -> None:
    """Console entry point: turn expected failures into one line and exit status 1."""
    try:
        cli.main(prog_name="reviewtool", standalone_mode=True)
    except ConfigError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "unreachable"
        click.echo(f"Error: cannot use the database: {reason}", err=True)
        sys.exit(1)
    except SQLAlchemyError as exc:
        click.echo(f"Error: database error: {str(exc).splitlines()[0]}", err=True)
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("REVIEWTOOL_DEBUG"):
            raise
        click.echo(f"Error: {type(exc).__name__}: {exc} (REVIEWTOOL_DEBUG=1 shows the "
                   "traceback)", err=True)
        sys.exit(1)
