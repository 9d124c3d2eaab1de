"""WSGI entry point (gunicorn digest.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings")

application = get_wsgi_application()
