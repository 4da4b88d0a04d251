"""The app that bench/serve.py and bench/scaleout.py serve with gunicorn: the product's app
from the environment (DATABASE_URL, SECRET_KEY, ...) plus the floor page.

    gunicorn -c gunicorn.conf.py -w 2 'bench.wsgi:app'     # from the repository root"""

from bench.floor import add_floor
from reviewtool import create_app

app = add_floor(create_app())
