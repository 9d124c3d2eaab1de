"""Serve and store whole anonymous pages (see the package's docstring).

Only requests without a session cookie are served from or stored in the cache: signed-in
users (and anyone else with a session) always get a fresh page, marked ``private``. A response
is stored only when it is a plain 200 that sets no cookie (so no CSRF token, no message), used
no CSP nonce, and did not opt out with its own ``Cache-Control``.

HTTP caching: every anonymous page gets an ``ETag`` and ``Last-Modified``, conditional GETs are
answered 304, and ``Cache-Control: public, max-age, stale-while-revalidate`` lets a front cache
or CDN absorb spikes (``max-age`` never reaches past the next time content changes on its own).
"""

import hashlib
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.functional import empty
from django.utils.http import http_date

from . import conf, state
from .keys import page_key
from .local import tier

NOT_CACHED = ("private", "no-cache", "no-store")


def _excluded(path):
    return path.startswith(tuple(conf.get("PAGECACHE_EXCLUDE")))


def _has_session(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


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


def _gone_or_moved(request, response):
    """A 404, 410 or permanent redirect for an anonymous reader that says nothing of its own
    about caching."""
    return (
        response.status_code in (301, 308, 404, 410)
        and not response.cookies
        and "Cache-Control" not in response
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _public_headers(response, current, now, shared_only=False):
    max_age = conf.get("PAGECACHE_MAX_AGE")
    if current["until"] is not None:
        max_age = max(0, min(max_age, int(current["until"] - now)))
    if shared_only:
        patch_cache_control(response, public=True, max_age=0, s_maxage=max_age)
        return
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        stale_while_revalidate=conf.get("PAGECACHE_STALE_WHILE_REVALIDATE"),
    )


def _lookup(store, key, now):
    """(state, stored page or None, from_memory): the local tier first, then the cache."""
    listening, current = tier.begin(store, now)
    if current is not None:
        page = tier.page(key, current["token"])
        if page is not None:
            return current, page, True
        return current, store.get(key), False
    if state.is_shared(store):
        found = store.get_many([state.STATE_KEY, key])
        current = state.cached_state(store, now, found)
        if current.get("outage"):
            # The shared cache is away: what this process rendered meanwhile (issue 16).
            return current, tier.page(key, current["token"]), True
        if listening:
            tier.set_state(current)
        return current, found.get(key), False
    return state.version_file.state(now), store.get(key), False


class PageCacheMiddleware:
    """Sits after WhiteNoise and before the session middleware, so a hit skips sessions, CSRF,
    authentication and messages altogether."""

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

        store = state.cache()
        enabled = conf.get("PAGECACHE_ENABLED")
        now = time.time()
        key = page_key(request)
        if enabled:
            current, page, from_memory = _lookup(store, key, now)
            if page is not None and page["token"] == current["token"]:
                if not from_memory:
                    tier.keep(key, page)
                return self._hit(request, page, current, now)
            # What this page renders is kept under the version it will be stored under
            # (pagecache.fragments).
            request.content_token = current["token"]
        else:
            current = {"token": None, "until": None}  # nosec B105 - a content version, no password

        response = self.get_response(request)
        if _gone_or_moved(request, response):
            # Issue 16: a front cache (nginx, a CDN) that still holds the page must replace it
            # with this answer, so it may keep the answer as long as it would the page
            # (s-maxage): an unpublished or moved article disappears from it within max-age.
            # Browsers keep none of it (max-age=0): a reader who met the 404 of a piece not
            # yet published gets the piece as soon as it is.
            _public_headers(response, current, now, shared_only=True)
            return response
        if not _storable(request, response):
            return response
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response.headers.setdefault("ETag", f'"{digest}"')
        response.headers.setdefault("Last-Modified", http_date(now))
        _public_headers(response, current, now)
        if enabled:
            page = {
                "token": current["token"],
                "content": response.content,
                "headers": dict(response.items()),
                "modified": int(now),
            }
            page["headers"].pop("Cache-Control", None)
            store.set(key, page, state.lifetime(current, now))
            tier.keep(key, page)
        return (
            get_conditional_response(
                request, etag=response["ETag"], last_modified=int(now), response=response
            )
            or response
        )

    def _hit(self, request, page, current, now):
        response = HttpResponse(page["content"])
        for name, value in page["headers"].items():
            response[name] = value
        _public_headers(response, current, now)
        response["X-Page-Cache"] = "hit"
        return (
            get_conditional_response(
                request, etag=response["ETag"], last_modified=page["modified"], response=response
            )
            or response
        )

    @staticmethod
    def _mark_private(request, response):
        """Pages for signed-in users stay in their browser (``PAGECACHE_NO_STORE`` not even
        there)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        if request.path.startswith(tuple(conf.get("PAGECACHE_NO_STORE"))):
            patch_cache_control(response, private=True, no_store=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
