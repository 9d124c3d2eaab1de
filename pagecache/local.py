"""The local tier: with Redis, each process also keeps the pages it served lately and the
current token in its own memory, so most hits cost no round trip at all.

It stays exact because every change is announced on a Redis channel that the process drains,
without waiting, before it answers from that memory. A process that cannot hear the channel
(Redis away, a broken subscription) does not use its memory, and the token is checked against
Redis at least once a second anyway (the one case the channel cannot cover: a subscription that
died without a word). With any other cache the tier stays off.
"""

import os
import threading
import time
from collections import OrderedDict

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import conf

CHANNEL = "pagecache:changed"
# Errors that mean "Redis is not there right now".
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
# How long the local copy of the token is trusted without asking Redis.
STATE_SECONDS = 1.0
RETRY_SECONDS = 5.0
SUBSCRIBE_SECONDS = 0.25


def redis_client(store):
    """The redis-py client behind a Django Redis cache, or None for other backends."""
    if not isinstance(store, RedisCache):
        return None
    return store._cache.get_client(write=True)


class LocalTier:
    """This process's memory of the current state and of the pages it served, bounded to
    ``PAGECACHE_LOCAL_BYTES``."""

    def __init__(self):
        self.lock = threading.RLock()
        self.pid = None
        self.pubsub = None
        self.retry_at = 0.0
        self.clear()

    def clear(self):
        with self.lock:
            self.outage = False
            self.state = None
            self.checked = 0.0
            self.pages = OrderedDict()
            self.size = 0

    def reset(self):
        """Forget everything, the subscription included (a new cache configuration)."""
        with self.lock:
            if self.pubsub is not None:
                try:
                    self.pubsub.close()
                except REDIS_DOWN:
                    pass
            self.pubsub = None
            self.retry_at = 0.0
            self.clear()

    def changed(self, store):
        """The content changed in this process: forget, and tell every other process."""
        self.clear()
        client = redis_client(store)
        if client is None:
            return
        try:
            client.publish(store.make_key(CHANNEL), b"1")
        except REDIS_DOWN:
            pass  # their subscriptions are broken too: they do not use their memory

    def wait(self, timeout):
        """Whether an announcement is waiting to be read within *timeout* seconds (for tools
        and tests that must know another process's change has reached this one)."""
        with self.lock:
            return self.pubsub is not None and self.pubsub.connection.can_read(timeout=timeout)

    def _listening(self, store):
        """Subscribed to the channel (subscribing first if need be), with nothing unheard?"""
        if self.pid != os.getpid():  # a forked child: the parent's subscription is not its own
            self.pid, self.pubsub = os.getpid(), None
            self.clear()
        if self.pubsub is None:
            if time.monotonic() < self.retry_at:
                return False
            client = redis_client(store)
            if client is None or not conf.get("PAGECACHE_LOCAL_BYTES"):
                return False
            try:
                pubsub = client.pubsub()
                pubsub.subscribe(store.make_key(CHANNEL))
                # The confirmation: from now on no announcement can be missed.
                # (A frozen Redis accepts the connection and never confirms: wait no longer
                # than for any other answer from it.)
                if pubsub.get_message(timeout=SUBSCRIBE_SECONDS) is None:
                    raise OSError("no subscription confirmation")
            except REDIS_DOWN:
                self.retry_at = time.monotonic() + RETRY_SECONDS
                return False
            self.pubsub = pubsub
            self.clear()
        try:
            while (message := self.pubsub.get_message(timeout=0.0)) is not None:
                if message["type"] == "message":
                    self.clear()
        except REDIS_DOWN:
            self._fail()
            return False
        return True

    def _fail(self):
        try:
            if self.pubsub is not None:
                self.pubsub.close()
        except REDIS_DOWN:
            pass
        self.pubsub = None
        self.retry_at = time.monotonic() + RETRY_SECONDS
        self.clear()

    def begin(self, store, now):
        """(listening, state): the state is the local copy when it may answer this request."""
        with self.lock:
            if not self._listening(store):
                return False, None
            fresh = (
                self.state is not None
                and time.monotonic() - self.checked < STATE_SECONDS
                and (self.state["until"] is None or now < self.state["until"])
            )
            return True, self.state if fresh else None

    def adopt(self, state):
        """The shared cache is away: keep the pages rendered under this process's own *state*
        (`pagecache.state.Outage`), without a channel (no other process can announce)."""
        with self.lock:
            if self.state is None or self.state["token"] != state["token"]:
                self.pages.clear()
                self.size = 0
            self.state, self.checked, self.outage = state, time.monotonic(), True

    def set_state(self, state):
        with self.lock:
            if self.pubsub is not None:
                if self.state is None or self.state["token"] != state["token"]:
                    self.pages.clear()
                    self.size = 0
                self.state, self.checked = state, time.monotonic()

    def page(self, key, token):
        with self.lock:
            page = self.pages.get(key)
            if page is None or page["token"] != token:
                return None
            self.pages.move_to_end(key)
            return page

    def keep(self, key, page):
        limit = conf.get("PAGECACHE_LOCAL_BYTES")
        with self.lock:
            if self.state is None or page["token"] != self.state["token"]:
                return
            if self.pubsub is None and not self.outage:
                return
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])
            self.pages[key] = page
            self.size += len(page["content"])
            while self.size > limit and self.pages:
                _key, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped["content"])


tier = LocalTier()
