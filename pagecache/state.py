"""The content version: one token every process of an installation shares.

A page is stored tagged with the token it was rendered under, and a change readers see
replaces the token (`content_changed()`), so every stored page is stale from the next request
on, in every process. The token also expires by itself at the next time content changes on its
own (a scheduled publication, `pagecache.registry.schedule`), so nothing needs to change for
such a page to appear on time.

Where the token lives depends on the cache: a cache that every process reaches (Redis,
Memcached, the database or file caches) holds it; with a cache local to each process (local
memory, the default of a development run) it lives in a small file (`conf.version_file()`),
which every process reads before it answers: a management command's change shows on the web
server's very next request.
"""

import os
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

from . import conf
from .local import tier

STATE_KEY = "pagecache:state"
# Callables giving the next time content changes on its own (`pagecache.registry.schedule`).
schedules: list[Callable[[], datetime | None]] = []


def next_change():
    """The soonest of the schedules' next changes (an aware datetime), or None."""
    times = [when for when in (next_time() for next_time in schedules) if when is not None]
    return min(times) if times else None


def cache():
    """The cache holding pages (and, when it is shared, the token)."""
    return caches[conf.get("PAGECACHE_CACHE")]


def is_shared(store):
    """Whether every process of the installation reaches *store*."""
    return not isinstance(store, (LocMemCache, DummyCache))


def new_state(now):
    """A fresh state: a new token, valid until the next change on its own (or None)."""
    until = next_change()
    return {"token": secrets.token_hex(8), "until": until.timestamp() if until else None}


def is_fresh(state, now):
    return state is not None and (state["until"] is None or now < state["until"])


def lifetime(state, now):
    """Seconds something stored under *state* may live."""
    seconds = conf.get("PAGECACHE_SECONDS")
    if state["until"] is not None:
        seconds = min(seconds, int(state["until"] - now) + 1)
    return max(1, seconds)


# --- A shared cache holds the state --------------------------------------------------------------


def cached_state(store, now, found=None):
    """The state kept in *store* (*found*: what a `get_many` already read), renewed when it
    is missing or expired; this process's outage state while *store* holds nothing."""
    state = store.get(STATE_KEY) if found is None else found.get(STATE_KEY)
    if is_fresh(state, now):
        outage.end()
        return state
    kept = outage.current(now)
    # (Within an outage, its successor: no new query for the next scheduled change.)
    state = new_state(now) if kept is None else outage.successor()
    store.set(STATE_KEY, state, lifetime(state, now))
    # Read back (only when the state is renewed, after a change): a cache that degrades to
    # "no cache" when its server is away drops the write without a word.
    stored = store.get(STATE_KEY)
    if stored is None:
        return kept if kept is not None else outage.begin(state, now)
    # The shared cache answers (again): back to the version every process shares, even
    # within an outage's seconds (a restarted Redis comes back empty, and a change another
    # process made since is announced to no one).
    outage.end()
    return stored if is_fresh(stored, now) else state


class Outage:
    """While the shared cache is away, this process keeps a state of its own, so the pages and
    fragments it renders are reused by its next requests instead of every request rendering
    everything again (and the local tier keeps serving them). Content another process changes
    meanwhile shows within ``PAGECACHE_OUTAGE_SECONDS`` (like any HTTP cache's ``max-age``);
    a change made in this process shows at once. The shared cache is still asked, at least
    once a second (at no cost while its client's circuit is open, `digest.cache`), and its
    first answer ends the outage."""

    def __init__(self):
        self.state = None
        self.until = None  # when content changes on its own, as of the outage's start

    def current(self, now):
        if not is_fresh(self.state, now):
            return None
        tier.adopt(self.state)  # again: losing the channel meanwhile made the tier forget
        return self.state

    def begin(self, state, now):
        self.until = state["until"]
        seconds = conf.get("PAGECACHE_OUTAGE_SECONDS")
        until = now + seconds if state["until"] is None else min(state["until"], now + seconds)
        self.state = {**state, "until": until, "outage": True}
        tier.adopt(self.state)
        return self.state

    def successor(self):
        """The state to share once the shared cache answers again."""
        return {"token": secrets.token_hex(8), "until": self.until}

    def end(self):
        if self.state is not None:
            self.state = None
            tier.clear()  # what it kept under its own state, and its leave to keep it unheard


outage = Outage()


# --- A file holds the token ----------------------------------------------------------------------


class VersionFile:
    """The token in a small file every process of the installation reads.

    Each process keeps the file open and reads its few bytes before it answers (a system
    call, no parsing); a change writes a new token in place. The time the token expires on its
    own is worked out by each process once per token. A file replaced under a running process
    (deleted, restored) is noticed within a second.
    """

    SIZE = 16
    RECHECK_SECONDS = 1.0

    def __init__(self):
        self.lock = threading.Lock()
        self.pid: int | None = None
        self.fd: int | None = None
        self.path: Path | None = None
        self.opened_at = 0.0
        self.known = None  # (token, state) this process worked out last

    def _open(self):
        path = conf.version_file()
        now = time.monotonic()
        if (
            self.fd is not None
            and self.pid == os.getpid()
            and path == self.path
            and (now - self.opened_at < self.RECHECK_SECONDS or self._same_file())
        ):
            return self.fd
        if self.fd is not None and self.pid == os.getpid():
            os.close(self.fd)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        self.pid, self.path, self.opened_at = os.getpid(), path, now
        if len(os.pread(self.fd, self.SIZE, 0)) < self.SIZE:
            self._write(secrets.token_hex(self.SIZE // 2))
        return self.fd

    def _same_file(self):
        assert self.path is not None and self.fd is not None  # noqa: S101 # nosec B101 - opened above
        try:
            same = os.stat(self.path).st_ino == os.fstat(self.fd).st_ino
        except OSError:
            same = False
        if same:
            self.opened_at = time.monotonic()
        return same

    def _write(self, token, fd=None):
        fd = self.fd if fd is None else fd
        assert fd is not None  # noqa: S101 # nosec B101 - written only once opened
        os.pwrite(fd, token.encode(), 0)

    def state(self, now):
        with self.lock:
            token = os.pread(self._open(), self.SIZE, 0).decode(errors="replace")
            if self.known is not None and self.known[0] == token and is_fresh(self.known[1], now):
                return self.known[1]
            if self.known is not None and self.known[0] == token:
                # Expired on its own (a scheduled piece is due): a new token for everyone.
                token = secrets.token_hex(self.SIZE // 2)
                self._write(token)
            state = new_state(now)
            state["token"] = token
            self.known = (token, state)
            return state

    def replace(self):
        with self.lock:
            self._write(secrets.token_hex(self.SIZE // 2), self._open())
            self.known = None


version_file = VersionFile()


# --- The structure version -------------------------------------------------------------------


STRUCTURE_KEY = "pagecache:structure"


class StructureVersions:
    """The version of the site's structure: what every page shows around its content (the
    menu, the site's identity, its static pages), which a publication leaves as it was.

    Parts kept under it (`pagecache.fragments.structural`) outlive content versions: after a
    publication the header and the footer are not made again in every process. It lives in
    the shared cache beside the content version, replaced by `content_changed(structure=True)`
    (the models `pagecache.registry.watch` was told are ``structure``), and no longer than a
    page (``PAGECACHE_SECONDS``), so a change nobody announced shows within that time, as a
    stored page's would. Each process reads it once per content version: every change of
    structure is a change of content too. With a cache local to each process, or while the
    shared one is away, it is the content version itself."""

    def __init__(self):
        self.lock = threading.Lock()
        self.known: dict[str, str] = {}  # content token -> structure token, this process's

    def token(self, content_token):
        with self.lock:
            found = self.known.get(content_token)
        if found is not None:
            return found
        store = cache()
        if not is_shared(store) or outage.state is not None:
            return content_token
        token = store.get(STRUCTURE_KEY)
        if token is None:
            store.add(STRUCTURE_KEY, secrets.token_hex(8), conf.get("PAGECACHE_SECONDS"))
            token = store.get(STRUCTURE_KEY)
            if token is None:  # the cache dropped the write: nothing shared to go by
                return content_token
        with self.lock:
            if len(self.known) > 16:
                self.known.clear()
            self.known[content_token] = token
        return token

    def replace(self, store):
        with self.lock:
            self.known.clear()
        if is_shared(store):
            store.delete(STRUCTURE_KEY)

    def reset(self):
        with self.lock:
            self.known.clear()


structure_versions = StructureVersions()


# --- The public face -----------------------------------------------------------------------------


def current(now=None):
    """The current state ``{"token", "until"}`` (a POSIX time or None)."""
    now = time.time() if now is None else now
    store = cache()
    if is_shared(store):
        return cached_state(store, now)
    return version_file.state(now)


def content_token():
    """The current content version (a new one after any change, or when content changed on
    its own)."""
    return current()["token"]


def structure_token(content_token):
    """The structure version that goes with *content_token* (`StructureVersions`)."""
    return structure_versions.token(content_token)


def content_changed(*, structure=False):
    """Replace the content version: now, and again when the transaction commits, so a page
    rendered from not-yet-committed data in between is not kept either. *structure*: the
    change is to the site's structure too (`structure_token`)."""

    def invalidate():
        store = cache()
        if structure:
            # First: a process that meets the new content version must not find the old
            # structure version still there (it would keep it for the new one).
            structure_versions.replace(store)
        outage.end()
        if is_shared(store):
            store.delete(STATE_KEY)
        else:
            version_file.replace()
        tier.changed(store)

    invalidate()
    transaction.on_commit(invalidate)
