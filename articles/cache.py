"""The page cache: whole anonymous pages kept in Django's cache, invalidated exactly.

A page is stored under its URL, tagged with the *content version*, a random token kept in the
cache itself. Saving or deleting anything a public page shows (articles, categories, authors,
tags, sources, flat pages, the site identity, …) replaces the token, so every stored page is
stale from the next request on; the signals below do that, and they are the only signals in
the project (STYLE.md allows them for cache invalidation). Work on what no reader sees (drafts,
pieces in review, unpublished ones, their tags, bylines and provenance) keeps the token: see
"What changes a public page" below. The token also expires by itself at
the next scheduled publication, so a scheduled article appears on time with no request having
changed anything.

A hit costs one cache round trip (the token and the page are read together) and no SQL; with
Redis, most hits cost none: each worker process also keeps the pages it served lately and the
current token in its own memory (*the local tier*), and every change is announced on a Redis
channel that the process drains, without waiting, before it answers from that memory. A
process that cannot hear the channel (Redis away, a broken subscription) does not use its
memory, and the token is checked against Redis at least once a second anyway.

Only requests without a session cookie are served from or stored in the cache: signed-in users
(and anyone else with a session) always get a fresh page, marked ``private``. A response is
stored only when it is a plain 200 that sets no cookie (so no CSRF token, no message) and did
not opt out with its own ``Cache-Control``.

Fragments: while a page that missed is rendered, ``request.content_token`` holds the content
version it will be stored under, and the cards of its lists are kept under that version too, in
each process's memory (the ``fragments`` cache; the `card` tag in site_tags.py). The
home page, the category pages, the tags and the related articles show the same cards, so a page
rendered after another under the same version reuses the cards that one made; the menu, the
site identity and the static pages' links are kept the same way (`versioned()`). Any change
makes a new version, so nothing kept outlives what it shows. Signed-in users' pages (no
version) render and read everything afresh.

HTTP caching: every anonymous page gets an ``ETag`` and ``Last-Modified``, conditional GETs
are answered 304, and ``Cache-Control: public, max-age, stale-while-revalidate`` lets a front
cache or CDN absorb spikes (``max-age`` never reaches past the next scheduled publication).
"""

import hashlib
import os
import secrets
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.functional import empty
from django.utils.http import http_date, urlencode

from digest.cache import REDIS_DOWN

from .links import meaningful_parameters

STATE_KEY = "pagecache:state"
CHANNEL = "pagecache:changed"
# The layout of a stored page: a new one gets a new prefix, so old entries are never read.
PAGE_KEY = "pagecache:page2:{}"
# Apps and models whose rows appear on public pages: a change to any of them invalidates.
CONTENT_APPS = {"articles", "flatpages", "redirects", "sites", "taggit"}
NOT_CACHED = ("private", "no-cache", "no-store")


def _setting(name, default):
    return getattr(settings, name, default)


def _cache():
    return caches[_setting("DIGEST_PAGE_CACHE_ALIAS", "default")]


def _seconds():
    return _setting("DIGEST_PAGE_CACHE_SECONDS", 600)


# --- The content version ------------------------------------------------------------------------


def _next_scheduled():
    """The next scheduled publication as a POSIX time, or None (one query)."""
    from .models import Article

    when = (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return when.timestamp() if when else None


def _new_state(cache, now):
    until = _next_scheduled()
    state = {"token": secrets.token_hex(8), "until": until}
    lifetime = _seconds() if until is None else max(1, min(_seconds(), int(until - now) + 1))
    cache.set(STATE_KEY, state, lifetime)
    return state


def _fresh(state, now):
    return state is not None and (state["until"] is None or now < state["until"])


def content_token():
    """The current content version (a new one after any change or scheduled publication)."""
    cache = _cache()
    now = time.time()
    state = cache.get(STATE_KEY)
    if not _fresh(state, now):
        state = _new_state(cache, now)
    return state["token"]


def content_changed(**kwargs):
    """Invalidate every stored page: now, and again when the transaction commits, so a page
    rendered from not-yet-committed data in between is not kept either."""
    cache = _cache()

    def invalidate():
        cache.delete(STATE_KEY)
        _local.clear()
        _announce(cache)

    invalidate()
    transaction.on_commit(invalidate)


def _redis(cache):
    """The redis-py client behind a Django Redis cache, or None for other backends."""
    if not isinstance(cache, RedisCache):
        return None
    return cache._cache.get_client(write=True)


def _announce(cache):
    """Tell every process's local tier that the content changed."""
    client = _redis(cache)
    if client is None:
        return
    try:
        client.publish(cache.make_key(CHANNEL), b"1")
    except REDIS_DOWN:
        pass  # their subscriptions are broken too: they do not use their memory


# --- Fragments ------------------------------------------------------------------------------------

FRAGMENTS = "fragments"


def versioned(request, name, compute):
    """`compute()`, kept in this process's memory under the content version *request*'s page
    renders for (see "Fragments" above), so the pages rendered under one version share it;
    computed afresh for a request with no version (signed-in users, the page cache off)."""
    token = getattr(request, "content_token", None)
    if token is None:
        return compute()
    store = caches[FRAGMENTS]
    key = f"{name}:{token}"
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, _seconds())
    return value


# --- The local tier -----------------------------------------------------------------------------

# How long the local copy of the token is trusted without asking Redis (an upper bound for
# the one case the channel cannot cover: a subscription that died without a word).
LOCAL_STATE_SECONDS = 1.0
RETRY_SECONDS = 5.0


class _LocalTier:
    """This process's memory of the current content state and of the pages it served (see
    the module docstring), bounded to DIGEST_PAGE_CACHE_LOCAL_BYTES."""

    def __init__(self):
        self.lock = threading.RLock()
        self.pid = None
        self.pubsub = None
        self.retry_at = 0.0
        self.clear()

    def clear(self):
        with self.lock:
            self.state = None
            self.checked = 0.0
            self.pages = OrderedDict()
            self.size = 0

    def _listening(self, cache):
        """Subscribed to the channel (subscribing first if need be), with nothing unheard?"""
        if self.pid != os.getpid():  # a forked child: the parent's subscription is not its own
            self.pid, self.pubsub = os.getpid(), None
            self.clear()
        if self.pubsub is None:
            if time.monotonic() < self.retry_at:
                return False
            client = _redis(cache)
            if client is None or not _setting("DIGEST_PAGE_CACHE_LOCAL_BYTES", 0):
                return False
            try:
                pubsub = client.pubsub()
                pubsub.subscribe(cache.make_key(CHANNEL))
                # The confirmation: from now on no announcement can be missed.
                if pubsub.get_message(timeout=2.0) is None:
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
            self.pubsub.close()
        except REDIS_DOWN:
            pass
        self.pubsub = None
        self.retry_at = time.monotonic() + RETRY_SECONDS
        self.clear()

    def begin(self, cache, now):
        """(listening, state): the state is the local copy when it may answer this request."""
        with self.lock:
            if not self._listening(cache):
                return False, None
            fresh = (
                self.state is not None
                and time.monotonic() - self.checked < LOCAL_STATE_SECONDS
                and _fresh(self.state, now)
            )
            return True, self.state if fresh else None

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
        limit = _setting("DIGEST_PAGE_CACHE_LOCAL_BYTES", 0)
        with self.lock:
            if self.pubsub is None or self.state is None or page["token"] != self.state["token"]:
                return
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old["content"])
            self.pages[key] = page
            self.size += len(page["content"])
            while self.size > limit and self.pages:
                _key, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped["content"])


_local = _LocalTier()


# --- What changes a public page -----------------------------------------------------------------
#
# Any row of CONTENT_APPS may be on a public page, except an article that no reader can see
# (a draft, a piece in review, an unpublished one) and its tags, bylines and provenance, and a
# tag, author or source just created (no page lists one before an article links to it):
# editors save those all day, and dropping every reader's page each time would leave the cache
# nearly empty in working hours. An article counts as seen when its row, read just before the
# save or delete, or the row saved is published, scheduled ones included (their time bounds how
# long pages are kept); the row is read, not the copy in memory, which may be stale.


def _published_in_database(article_id):
    from .models import Article

    return Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED).exists()


def _article_id(sender, instance):
    """The article that *instance*, a row of one of its link tables, belongs to, else None."""
    from .models import Article, TaggedArticle, Translation

    if sender is TaggedArticle:
        return instance.content_object_id
    if sender is Translation or sender is Article.authors.through:
        return instance.article_id
    return None


def _before_article_change(sender, instance, **kwargs):
    instance._published_before = instance.pk is not None and _published_in_database(instance.pk)


def _unseen(sender, instance, deleted, created=False):
    """Whether the saved or deleted *instance* is on no public page, before or after."""
    from .models import Article, Author, Source, Tag

    if created and sender in (Tag, Author, Source):
        return True  # on no page until an article is linked to it, itself a change
    if sender is Article:
        was = getattr(instance, "_published_before", True)
        return not was and (deleted or instance.status != Article.Status.PUBLISHED)
    article_id = _article_id(sender, instance)
    return article_id is not None and not _published_in_database(article_id)


def _on_save(sender, instance, created=False, **kwargs):
    if sender._meta.app_label in CONTENT_APPS and not _unseen(
        sender, instance, deleted=False, created=created
    ):
        content_changed()


def _on_delete(sender, instance, **kwargs):
    if sender._meta.app_label in CONTENT_APPS and not _unseen(sender, instance, deleted=True):
        content_changed()


def _on_m2m_change(sender, instance, action, reverse, **kwargs):
    from .models import Article

    if not action.startswith("post_") or sender._meta.app_label not in CONTENT_APPS:
        return
    # An article's own tags or bylines (not an author's or a tag's list of articles).
    if not reverse and isinstance(instance, Article) and not _published_in_database(instance.pk):
        return
    content_changed()


def connect_signals():
    from .models import Article

    pre_save.connect(_before_article_change, sender=Article, dispatch_uid="pagecache_before_save")
    pre_delete.connect(
        _before_article_change, sender=Article, dispatch_uid="pagecache_before_delete"
    )
    post_save.connect(_on_save, dispatch_uid="pagecache_save")
    post_delete.connect(_on_delete, dispatch_uid="pagecache_delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="pagecache_m2m")


# --- The middleware -----------------------------------------------------------------------------


def _excluded(path):
    return path.startswith(tuple(_setting("DIGEST_PAGE_CACHE_EXCLUDE", ())))


def _has_session(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _page_key(request):
    """The page's address, without the tracking parameters (articles/links.py)."""
    url = request.build_absolute_uri(request.path)
    if parameters := meaningful_parameters(request.GET):
        url += "?" + urlencode(parameters)
    return PAGE_KEY.format(hashlib.md5(url.encode(), usedforsecurity=False).hexdigest())


def _storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in NOT_CACHED)
        and not _nonce_used(request)
    )


def _nonce_used(request):
    """A page with a CSP nonce is good for one response only."""
    nonce = getattr(request, "_csp_nonce", None)
    return nonce is not None and getattr(nonce, "_wrapped", empty) is not empty


def _public_headers(response, state, now):
    max_age = _setting("DIGEST_HTTP_MAX_AGE", 30)
    if state["until"] is not None:
        max_age = max(0, min(max_age, int(state["until"] - now)))
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        stale_while_revalidate=_setting("DIGEST_HTTP_STALE_WHILE_REVALIDATE", 60),
    )


class PageCacheMiddleware:
    """Serve and store anonymous GET pages (see the module docstring).

    Sits after WhiteNoise and before the session middleware, so a hit skips sessions, CSRF,
    authentication and messages altogether.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or _has_session(request)
            or _excluded(request.path)
        ):
            response = self.get_response(request)
            self._mark_private(request, response)
            return response

        cache = _cache()
        enabled = _setting("DIGEST_PAGE_CACHE", True)
        now = time.time()
        key = _page_key(request)
        if enabled:
            listening, state = _local.begin(cache, now)
            page = None if state is None else _local.page(key, state["token"])
            if page is not None:
                return self._hit(request, page, state, now)
            if state is not None:
                page = cache.get(key)
            else:
                found = cache.get_many([STATE_KEY, key])
                state = found.get(STATE_KEY)
                if not _fresh(state, now):
                    state = _new_state(cache, now)
                if listening:
                    _local.set_state(state)
                page = found.get(key)
            if page is not None and page["token"] == state["token"]:
                _local.keep(key, page)
                return self._hit(request, page, state, now)
            # What this page renders is kept under the version it will be stored under, for
            # the pages rendered after it ("Fragments" in the module docstring).
            request.content_token = state["token"]
        else:
            state = {"token": None, "until": None}  # nosec B105: a content token, no password

        response = self.get_response(request)
        if not _storable(request, response):
            return response
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response.headers.setdefault("ETag", f'"{digest}"')
        response.headers.setdefault("Last-Modified", http_date(now))
        _public_headers(response, state, now)
        if enabled:
            page = {
                "token": state["token"],
                "content": response.content,
                "headers": dict(response.items()),
                "modified": int(now),
            }
            page["headers"].pop("Cache-Control", None)
            lifetime = _seconds() if state["until"] is None else int(state["until"] - now) + 1
            cache.set(key, page, max(1, min(_seconds(), lifetime)))
            _local.keep(key, page)
        return (
            get_conditional_response(
                request,
                etag=response["ETag"],
                last_modified=int(now),
                response=response,
            )
            or response
        )

    def _hit(self, request, page, state, now):
        response = HttpResponse(page["content"])
        for name, value in page["headers"].items():
            response[name] = value
        _public_headers(response, state, now)
        response["X-Page-Cache"] = "hit"
        last_modified = page["modified"]
        return (
            get_conditional_response(
                request, etag=response["ETag"], last_modified=last_modified, response=response
            )
            or response
        )

    @staticmethod
    def _mark_private(request, response):
        """Pages for signed-in users stay in their browser (the admin not even there)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        if request.path.startswith(f"/{settings.ADMIN_URL}"):
            patch_cache_control(response, private=True, no_store=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
