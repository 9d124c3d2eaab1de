"""Digest's settings, one module per kind of machine; all of them start from `base`.

    digest.settings.development   manage.py's default: a local checkout, no variables needed
    digest.settings.production    wsgi/asgi, gunicorn and the Docker image's default
    digest.settings.test          pytest (pyproject.toml)

Nothing is imported here: importing `digest.settings.base` must not load another module.
"""
