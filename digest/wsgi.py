"""WSGI entry point (gunicorn digest.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

# Only production serves through WSGI; a local run is manage.py runserver (development).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.production")

application = get_wsgi_application()

# Issue 16: no request waits on the database longer than DATABASE_TIMEOUT (digest/dbguard.py).
from digest import dbguard  # noqa: E402

dbguard.install()
