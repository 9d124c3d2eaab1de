"""Every database wait of a web process is bounded (issue 16).

A PostgreSQL server that accepts connections and never answers (frozen, swapping, a network
that drops packets) used to hold each gunicorn worker until gunicorn killed it: nothing on the
client side bounded a query once sent. Here psycopg2's wait callback does: each connection
attempt and each statement may wait ``DATABASE_TIMEOUT`` seconds at most, then fails as an
`OperationalError`, which the middleware answers with the friendly 503.

One such failure opens a *circuit* for the process: every further database call fails at once
(no worker waits again, so pages served from the page cache, which need no database, keep
flowing), while a background thread asks the server every second and closes the circuit as
soon as it answers. The server's own ``statement_timeout`` (the same number of seconds) stops a
statement that is merely slow, TCP keepalives (settings) notice a peer that is gone, and
TCP_USER_TIMEOUT data the server never acknowledges.

Installed by `digest.wsgi` only: management commands (a million-row COPY, a VACUUM) may run
as long as they need, and psycopg2's COPY does not work with a wait callback.
"""

import logging
import select
import threading
import time
from contextvars import ContextVar

import psycopg2
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from psycopg2 import extensions

log = logging.getLogger("digest.faults")

PROBE_SECONDS = 1.0
_probing = ContextVar("digest_db_probing", default=False)


class Circuit:
    """Whether this process gives up on the database at once (and since when)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.opened_at = None
        self.prober = None

    @property
    def is_open(self):
        return self.opened_at is not None

    def trip(self, reason):
        with self.lock:
            if self.opened_at is None:
                self.opened_at = time.monotonic()
                log.warning("database unavailable, answering 503 at once: %s", reason)
            if self.prober is None or not self.prober.is_alive():
                self.prober = threading.Thread(target=self._probe, name="db-probe", daemon=True)
                self.prober.start()

    def close(self):
        with self.lock:
            if self.opened_at is not None:
                log.warning(
                    "database answers again after %.1f s", time.monotonic() - self.opened_at
                )
            self.opened_at = None

    def _probe(self):
        _probing.set(True)
        while self.is_open:
            time.sleep(PROBE_SECONDS)
            connection = connections["default"]  # this thread's own
            try:
                connection.ensure_connection()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            except Exception:  # noqa: BLE001, S112 — not yet: ask again  # nosec B112
                continue
            finally:
                try:
                    connection.close()
                except Exception:  # noqa: BLE001, S110 — a broken socket  # nosec B110
                    pass
            self.close()


circuit = Circuit()


def timeout_seconds():
    return float(getattr(settings, "DATABASE_TIMEOUT", 5))


def wait(conn):
    """psycopg2's wait callback: poll *conn* until its operation is done, for at most
    `timeout_seconds()`; at once an error while the circuit is open."""
    probing = _probing.get()
    if circuit.is_open and not probing:
        raise psycopg2.OperationalError("the database did not answer a moment ago (circuit open)")
    deadline = time.monotonic() + (min(2.0, timeout_seconds()) if probing else timeout_seconds())
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            message = f"the database did not answer within {timeout_seconds():g} s"
            if not probing:
                circuit.trip(message)
            raise psycopg2.OperationalError(message)
        if state == extensions.POLL_READ:
            select.select([conn.fileno()], [], [], remaining)
        elif state == extensions.POLL_WRITE:
            select.select([], [conn.fileno()], [], remaining)
        else:  # pragma: no cover - psycopg2 documents no other state
            raise psycopg2.OperationalError(f"bad state from poll: {state}")


def _statement_timeout(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(timeout_seconds() * 1000)])


def bound_unacknowledged_data(databases) -> None:
    """A web process's connections give up on data the server leaves unacknowledged for
    ``DATABASE_TIMEOUT`` (TCP_USER_TIMEOUT). Commands keep the kernel's default: a COPY of a
    million rows may wait out a checkpoint of half a minute."""
    for database in databases.values():
        if database["ENGINE"].endswith("postgresql"):
            options = database.setdefault("OPTIONS", {})
            options["tcp_user_timeout"] = int(settings.DATABASE_TIMEOUT * 1000)


def install():
    """Bound the database waits of this (web) process."""
    if not any(db["ENGINE"].endswith("postgresql") for db in settings.DATABASES.values()):
        return
    bound_unacknowledged_data(connections.settings)
    extensions.set_wait_callback(wait)
    connection_created.connect(_statement_timeout, dispatch_uid="digest.dbguard")
