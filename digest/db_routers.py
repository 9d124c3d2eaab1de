"""Primary/replica routing, on when DATABASE_REPLICA_URL is set.

Reads go to the "replica" alias; writes always go to "default" (the primary). A request that
writes, or comes from a signed-in user (ReplicaPinMiddleware), is pinned to the primary for all
its reads, so nobody misses their own change to replication lag. Outside requests (management
commands, the importer) reads use the replica until the first write, then the primary.
"""

from contextvars import ContextVar

_pinned = ContextVar("digest_db_pinned", default=False)

PRIMARY = "default"
REPLICA = "replica"


def start_request(*, pinned):
    return _pinned.set(pinned)


def end_request(token):
    _pinned.reset(token)


def pin_to_primary():
    _pinned.set(True)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return PRIMARY if _pinned.get() else REPLICA

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
