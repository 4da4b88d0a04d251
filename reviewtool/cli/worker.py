"""`reviewtool worker [--once]`: deliver the outbox (CONTRACT.md "Additions").

With `--once` it delivers what is due now and exits 0; otherwise it keeps delivering until
SIGTERM or SIGINT. Several may run at once, on any host that reaches the database. Each ends
with one summary line on stdout; the log (stderr) says what went wrong with which message."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from reviewtool.cli.group import cli
from reviewtool.memo.render import warm_up
from reviewtool.services.outbox import Report
from reviewtool.worker import POLL_SECONDS, run_forever, run_once

log = logging.getLogger("reviewtool.worker")


def log_to_stderr() -> None:
    """Show reviewtool's log from INFO up on stderr (mail logged without SMTP_HOST, failed
    attempts), unless logging is set up already (tests, an embedding program). Only our
    logger: werkzeug's request lines keep their own format."""
    ours = logging.getLogger("reviewtool")
    if logging.getLogger().handlers or ours.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    ours.addHandler(handler)
    ours.setLevel(logging.INFO)


def summary(report: Report) -> str:
    """The one line a run ends with."""
    return (f"Delivered {report.sent} message(s); {report.failed} failed, "
            f"{report.retried} to retry.")


@cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--poll", "poll_seconds", default=POLL_SECONDS, show_default=True,
              type=click.FloatRange(min=0.05), help="Seconds between looks at the outbox.")
@with_appcontext
def worker(once: bool, poll_seconds: float) -> None:
    """Deliver due outbox mail (and keep doing so, unless --once)."""
    log_to_stderr()
    app = current_app._get_current_object()
    if once:
        click.echo(summary(run_once(app)))
        return
    warm_up()  # a long-running worker loads the PDF fonts once, before any memo is asked for
    total = run_forever(app, poll_seconds=poll_seconds,
                        on_report=lambda report: log.info(summary(report)))
    click.echo(summary(total))
