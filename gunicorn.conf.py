"""gunicorn settings for production (Dockerfile, .ci/production-smoke).

Workers default to 2 × CPUs + 1 (gunicorn's own advice for sync workers); override with
WEB_CONCURRENCY. Logs go to stdout; the request log itself is the app's JSON lines.
"""

import multiprocessing
import os

# gunicorn serves production only (a local run is manage.py runserver). With preload_app the
# master loads Django after reading this file, so the default is in place in time.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.production")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # all interfaces, inside the container
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Issue 16: a few threads per worker (gunicorn's gthread worker), so a page the cache holds
# is served while another thread of the same worker waits on a database that stopped
# answering (at most DATABASE_TIMEOUT, after which the process answers 503 at once).
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Load Django once in the master and fork the workers from it: a worker starts (or restarts)
# in milliseconds instead of re-importing the project, which would cost about a second of CPU
# and stall the requests queued on it. No connection is opened before the fork (Django and
# the Redis client connect lazily), so workers never share a socket.
preload_app = True
# Recycle workers now and then so a slow leak never grows without bound; seldom enough that a
# traffic spike is not spent restarting them.
max_requests = 20000
max_requests_jitter = 2000
# Worker heartbeat files only (gunicorn's advice for containers: tmpfs, not the overlay disk).
_SHM = "/dev/shm"  # noqa: S108  # nosec B108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
accesslog = None  # digest.middleware.RequestLogMiddleware logs each request as JSON
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# nginx in front sets X-Forwarded-*; Django reads the proto via SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
