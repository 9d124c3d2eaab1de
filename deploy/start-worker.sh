#!/bin/sh
# The task worker (newsletter sending, issue 20), in the compose `worker` service and in CI's
# production smoke test: wait until the web container migrated, make sure the newsletter's
# clock is queued, then run django-tasks-db's worker. It exits if the database goes away;
# the restart policy starts it again, and unfinished sends resume where they stopped.
set -eu
until python manage.py migrate --check >/dev/null 2>&1; do
  echo "worker: waiting for the database and its migrations"; sleep 2
done
python manage.py newsletter_clock
exec python manage.py db_worker --no-reload --interval "${WORKER_INTERVAL:-1}"
