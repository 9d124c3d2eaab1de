"""Parts of pages kept under the content version.

While a page that missed is rendered, ``request.content_token`` holds the content version it
will be stored under (the middleware sets it). `versioned()` keeps what a page computes (cards,
the menu, the site's identity) in each process's memory under that version, so the pages
rendered after it under the same version reuse it. Any change makes a new version, so nothing
kept outlives what it shows. A request with no version (signed-in users, the cache off)
computes everything afresh.
"""

from django.core.cache import caches

from . import conf


def versioned(request, name, compute):
    """`compute()`, kept under the content version *request*'s page renders for."""
    token = getattr(request, "content_token", None)
    if token is None:
        return compute()
    store = caches[conf.get("PAGECACHE_FRAGMENTS_CACHE")]
    key = f"{name}:{token}"
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, conf.get("PAGECACHE_SECONDS"))
    return value
