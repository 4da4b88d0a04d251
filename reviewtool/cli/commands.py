"""The commands: db upgrade, users, workflow check, demo, serve, memos export, catalogue add."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from reviewtool import db as database
from reviewtool.cli.group import cli
from reviewtool.cli.worker import log_to_stderr
from reviewtool.demo import load_demo
from reviewtool.demo.scale import generate_projects
from reviewtool.enums import Role
from reviewtool.errors import ServiceError
from reviewtool.migrate import upgrade
from reviewtool.models import Project
from reviewtool.services.accounts import create_user, find_user, issue_token
from reviewtool.services.audit import verify
from reviewtool.services.catalogues import add_entry
from reviewtool.services.decisions import slug, stored_memo
from reviewtool.services.tokens import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX
from reviewtool.services.workflows import load_app_workflow
from reviewtool.worker import inline_worker
from reviewtool.workflow import WorkflowError


def _fail(exc: ServiceError) -> click.ClickException:
    return click.ClickException(" ".join(exc.messages))


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest migration (safe to run twice)."""
    added = upgrade(current_app.extensions["reviewtool.db"].engine)
    click.echo(f"Database is at the newest schema; {added} default catalogue entries added.")


@cli.group()
def users() -> None:
    """Create, disable and enable users; issue API tokens."""


@users.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="A role; repeat for several.")
@click.option("--password", required=True, help="8 to 128 characters.")
@click.option("--name", default=None, help="Display name (default: the email's local part).")
@click.option("--organisation", default=None, help="Organisation, for conflict checks.")
@with_appcontext
def users_create(email: str, roles: tuple[str, ...], password: str, name: str | None,
                 organisation: str | None) -> None:
    """Create a user; prints the new user's id on the last line."""
    session = database.session()
    try:
        user = create_user(session, email=email, password=password, roles=list(roles),
                           name=name, organisation=organisation)
    except ServiceError as exc:
        raise _fail(exc) from None
    session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(user.roles))}.")
    click.echo(user.id)


@users.command("token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for (shown in its list).")
@click.option("--days", default=TOKEN_DAYS_DEFAULT, show_default=True,
              type=click.IntRange(1, TOKEN_DAYS_MAX), help="Days until it expires.")
@with_appcontext
def users_token(email: str, name: str, days: int) -> None:
    """Issue an API token for a user; prints it on the last line."""
    session = database.session()
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    if not user.is_active:
        raise click.ClickException(f"{user.email} is disabled; enable it first.")
    try:
        token = issue_token(session, user, name=name, days=days)
    except ServiceError as exc:
        raise _fail(exc) from None
    session.commit()
    click.echo(f"New API token for {user.email}, expires in {days} days (shown once; only "
               "its hash is stored):")
    click.echo(token)


@cli.group()
def workflow() -> None:
    """Workflow definitions."""


@workflow.command("check")
@click.argument("file", required=False)
def workflow_check(file: str | None) -> None:
    """Validate a workflow file (default: the configured one); errors name their lines."""
    target = file or os.environ.get("REVIEWTOOL_WORKFLOW") or "default"
    try:
        wf = load_app_workflow(target)
    except WorkflowError as exc:
        raise click.ClickException(str(exc)) from None
    d = wf.definition
    click.echo(f"{d.source}: OK ({len(d.states)} states, {len(d.triggers)} triggers)")


@cli.command("demo")
@click.option("--projects", type=click.IntRange(0, 1_000_000), default=0,
              help="Also generate this many projects over every state and type.")
@click.option("--seed", type=int, default=1, help="The generated data set's seed.")
@with_appcontext
def demo(projects: int, seed: int) -> None:
    """Load the demo data set (idempotent: running it twice adds nothing); with --projects N,
    add N generated projects (deterministic for a seed; each run adds N more)."""
    workflow = current_app.extensions["reviewtool.workflow"]
    summary = load_demo(database.session(), workflow)
    database.session().commit()
    click.echo(summary)
    if projects:
        with click.progressbar(length=projects, label="Generating projects",
                               file=sys.stderr) as bar:
            line = generate_projects(database.session(), projects, seed, workflow.settings,
                                     progress=bar.update)
        click.echo(line)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@with_appcontext
def serve(host: str, port: int) -> None:
    """Run the development server (use gunicorn in production)."""
    log_to_stderr()  # the inline worker's mail, logged when SMTP_HOST is unset, shows
    inline = inline_worker(current_app)
    click.echo(f"Serving reviewtool on http://{host}:{port}/login (Ctrl-C stops it)")
    click.echo("Mail is delivered by this process (REVIEWTOOL_INLINE_WORKER=1)." if inline
               else "Mail is only queued: run `reviewtool worker` to deliver it.")
    if inline is not None:
        inline.start()  # now, not at the first request: deliver what is already due
    try:
        # No reloader: its second process would run a second copy of everything.
        current_app.run(host=host, port=port, debug=False, use_reloader=False)
    finally:
        if inline is not None:
            inline.stop()  # finish the message at hand instead of dying mid-send


@cli.group()
def memos() -> None:
    """Decision memos."""


@memos.command("export")
@click.argument("outdir", type=click.Path(file_okay=False, writable=True))
@with_appcontext
def memos_export(outdir: str) -> None:
    """Write every decided project's stored memo to OUTDIR as <id>-<slug>.pdf."""
    target = Path(outdir)
    target.mkdir(parents=True, exist_ok=True)
    session = database.session()
    projects = session.scalars(select(Project).where(Project.state.in_(("go", "no_go")))
                               .order_by(Project.id)).all()
    written, total_bytes, missing = 0, 0, []
    # The bar goes to stderr so that stdout keeps only the summary line.
    with click.progressbar(projects, label="Exporting memos", file=sys.stderr,
                           show_pos=True) as bar:
        for project in bar:
            memo = stored_memo(session, project)
            if memo is None:
                missing.append(project.id)
                continue
            path = target / f"{project.id}-{slug(project.current_revision.title)}.pdf"
            path.write_bytes(memo.pdf)
            written += 1
            total_bytes += len(memo.pdf)
    click.echo(f"Wrote {written} memo(s), {total_bytes / 1024:.0f} KiB, to {target}"
               + (f"; no stored memo for project(s) {missing}" if missing else "") + ".")


@cli.group()
def catalogue() -> None:
    """Catalogues (project types, risk categories, safeguard types, ...)."""


@catalogue.command("add")
@click.argument("name")
@click.argument("key")
@click.argument("label")
@click.option("--description", default="", help="What the entry means.")
@click.option("--guidance", default="", help="For a risk category: the question to answer.")
@click.option("--as", "admin_email", required=True, help="E-mail of the admin making the change.")
@with_appcontext
def catalogue_add(name: str, key: str, label: str, description: str, guidance: str,
                  admin_email: str) -> None:
    """Add KEY with LABEL to catalogue NAME (a new risk category freezes a new version)."""
    session = database.session()
    admin = find_user(session, admin_email)
    if admin is None:
        raise click.ClickException(f"No user with email {admin_email}.")
    try:
        add_entry(session, admin, name, key, label, description=description,
                  extra={"guidance": guidance} if guidance else None)
    except ServiceError as exc:
        raise _fail(exc) from None
    session.commit()
    click.echo(f"Added {key!r} to {name}.")


@cli.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Walk the audit trail's hash chains; exit 1 naming the first broken event."""
    result = verify(database.session())
    if result.broken:
        click.echo(f"Audit trail broken at {result.broken}; {result.checked} event(s) before "
                   "it are intact.", err=True)
        sys.exit(1)
    click.echo(f"Audit trail intact: {result.checked} event(s) checked.")
