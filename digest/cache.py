"""A Redis cache that degrades to "no cache" when Redis is unreachable, and reuses its client.

Every operation that fails with a connection error or timeout behaves like a miss (reads return
the default, writes are dropped) and Redis is left alone for `RETRY_SECONDS` (a circuit that
stays open), so a dead or frozen Redis costs one short timeout (settings: 0.25 s, no retries)
per process every few seconds, not one per cache call. The page cache then keeps serving from
each process's memory (pagecache.state: the outage state).
"""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import ConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("digest.cache")

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0

# What each operation returns when Redis is away (None means: the caller's default).
_FALLBACK: dict[str, Any] = {
    "add": False,
    "get": None,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": None,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` object for every cache call (about half a
    millisecond, as much as the round trip itself); a client is safe to share, so keep one
    per connection pool."""

    # Django's own, private (so django-stubs leaves them out): the pool for reads or for
    # writes, and the redis.Redis class.
    _get_connection_pool: Callable[[bool], ConnectionPool]
    _client: type[Redis]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def ping(self):
        """Raise if Redis does not answer (used by /readyz); at once while it is left alone."""
        if time.monotonic() < ResilientRedisCache._down_until:
            raise RedisConnectionError("unreachable a moment ago; left alone for a few seconds")
        try:
            self._cache.get_client(write=False).ping()
        except REDIS_DOWN as exc:
            self._mark_down(exc)
            raise

    def _mark_down(self, exc):
        if time.monotonic() >= ResilientRedisCache._down_until:
            log.warning("cache unavailable, serving without it: %s", exc)
        ResilientRedisCache._down_until = time.monotonic() + RETRY_SECONDS


def _guard(name):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        fallback = _FALLBACK[name]
        if name == "get":
            fallback = kwargs.get("default", args[1] if len(args) > 1 else None)
        elif name == "incr":
            fallback = None
        if time.monotonic() < ResilientRedisCache._down_until:
            if name == "incr":
                raise ValueError("cache unavailable")
            return fallback
        try:
            return method(self, *args, **kwargs)
        except REDIS_DOWN as exc:
            self._mark_down(exc)
            if name == "incr":
                raise ValueError("cache unavailable") from exc
            return fallback

    return wrapper


for _name in _FALLBACK:
    setattr(ResilientRedisCache, _name, _guard(_name))
