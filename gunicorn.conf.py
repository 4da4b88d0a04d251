"""gunicorn settings for reviewtool: `gunicorn -c gunicorn.conf.py 'reviewtool:create_app()'`.

Each worker loads WeasyPrint, Pango and the fonts (several seconds the first time) and
computes the pipeline-wide figures as it starts, not inside the first request that needs
them: its first memo and project page are no slower than the rest."""

from reviewtool.app import warm_worker


def post_worker_init(worker) -> None:
    """Warm the new worker once its app is loaded (`worker.wsgi` is the Flask app)."""
    warm_worker(worker.wsgi)
