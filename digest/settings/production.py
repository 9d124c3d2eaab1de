"""The internet: the WSGI/ASGI entry points, gunicorn.conf.py and the Docker image use these.

Every default is the production-safe one (DEBUG off: HTTPS redirect, HSTS, secure cookies,
no development mail), and the process refuses to start without ``SECRET_KEY`` rather than
sign sessions with a key that anyone reading the repository could guess.
"""

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool

if env_bool("DEBUG"):
    raise ImproperlyConfigured(
        "DEBUG must be off with digest.settings.production: it would show tracebacks and "
        "settings to anyone. For a local run use digest.settings.development "
        "(manage.py's default)."
    )

from .base import *  # noqa: E402, F403
from .base import SECRET_KEY  # noqa: E402

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in production (digest.settings.production). For a local run "
        "use digest.settings.development (manage.py's default, what make run uses), or "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
