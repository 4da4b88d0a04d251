"""The `reviewtool` command: a Flask CLI group. Bad input → one line on stderr, non-zero exit."""

from __future__ import annotations

import os
import sys

import click
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from reviewtool.cli import commands, users, worker  # noqa: F401 - registers the commands
from reviewtool.cli.group import cli
from reviewtool.config import ConfigError

__all__ = ["cli", "main"]


def main() -> None:
    """Console entry point: turn expected failures into one line and exit status 1."""
    try:
        # Not click's standalone mode: it prints a usage block and a hint for a mistyped
        # option (three lines); we say what is wrong in one.
        code = cli.main(prog_name="reviewtool", standalone_mode=False)
    except click.UsageError as exc:
        click.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
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
    sys.exit(code if isinstance(code, int) else 0)
