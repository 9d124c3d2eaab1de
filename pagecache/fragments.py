"""Parts of pages kept under the content version.

While a page that missed is rendered, ``request.content_token`` holds the content version it
will be stored under (the middleware sets it). `versioned()` keeps what a page computes (cards,
the menu, the site's identity) in each process's memory under that version, so the pages
rendered after it under the same version reuse it. Any change makes a new version, so nothing
kept outlives what it shows. A request with no version (signed-in users, the cache off)
computes everything afresh.
"""

import hashlib

from django.core.cache import caches

from . import conf, state


def versioned(request, name, compute):
    """`compute()`, kept under the content version *request*'s page renders for."""
    token = getattr(request, "content_token", None)
    if token is None:
        return compute()
    return _kept(f"{name}:{token}", compute)


def structural(request, name, compute):
    """`compute()`, kept under the structure version (`pagecache.state.StructureVersions`)
    of the content version *request*'s page renders for: for parts made only of what the
    models registered as ``structure`` hold (the menu, the site's identity), which every
    publication would otherwise make again. A request with no version computes afresh."""
    token = getattr(request, "content_token", None)
    if token is None:
        return compute()
    return _kept(f"{name}:structure:{state.structure_token(token)}", compute)


def by_content(request, name, inputs, compute):
    """`compute()`, kept by what it is made of: *inputs*, a repr-able value holding every
    input of *compute*, identify it across content versions. A part that is the same under
    a new version (most of a home page's cards after one publication) is then taken as it
    was, not made again. Only for parts entirely made from *inputs*: nothing else may
    change them. A request with no version computes afresh, as for `versioned()`."""
    if getattr(request, "content_token", None) is None:
        return compute()
    digest = hashlib.md5(repr(inputs).encode(), usedforsecurity=False).hexdigest()
    return _kept(f"{name}:content:{digest}", compute)


def _kept(key, compute):
    """`compute()`, kept under *key* in the fragments' cache for a page's lifetime."""
    store = caches[conf.get("PAGECACHE_FRAGMENTS_CACHE")]
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, conf.get("PAGECACHE_SECONDS"))
    return value
