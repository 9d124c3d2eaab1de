"""WSGI entry point (gunicorn digest.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

# Only production serves through WSGI; a local run is manage.py runserver (development).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.production")

application = get_wsgi_application()
