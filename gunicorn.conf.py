"""gunicorn settings for reviewtool: `gunicorn -c gunicorn.conf.py 'reviewtool:create_app()'`.

Each worker loads WeasyPrint, Pango and the fonts as it starts (several seconds the first
time), not inside the first request that renders a memo."""

from reviewtool.memo.render import warm_up


def post_fork(server, worker) -> None:
    """Load the PDF fonts in the new worker before it takes requests."""
    warm_up()
