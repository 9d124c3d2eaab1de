#!/bin/sh
# The production start sequence, in the container (docker-compose.yml) and in CI
# (.ci/production-smoke): migrate, load the seed only into an empty database, serve.
set -eu
# manage.py alone would pick the development settings: this is production.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-digest.settings.production}"
python manage.py migrate --noinput
python manage.py load_seed
exec gunicorn -c gunicorn.conf.py digest.wsgi
