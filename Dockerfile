# Digest web image: Python 3.13 slim, dependencies from the hash-pinned lock, static files
# collected (compressed + fingerprinted) at build time, gunicorn as a non-root user.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=digest.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/srv/media

# postgresql-client and make: `make backup` / `make restore` from inside the container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client make \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/digest digest

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes --no-deps -r requirements/base.txt

COPY --chown=root:root . .
# collectstatic needs settings, not secrets: a throwaway key only for this build step.
RUN SECRET_KEY=collectstatic-build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v0 \
    && mkdir -p /srv/media && chown digest:digest /srv/media

USER digest
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["deploy/start-web.sh"]
