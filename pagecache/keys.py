"""Which query parameters make a page another page.

Only the parameters a page's view declared (`pagecache.registry.vary_on`: a list page's
``page``, a search's ``q``) are in its key; any other (``?x=1``, a random cache-buster, a
newsletter's ``utm_source``, a social network's click id) is the same stored page, so nobody
can make a full render and a new cache entry per request by adding junk to an address (issue
16). Tracking parameters (``PAGECACHE_IGNORED_*``) never vary a key, even when declared.
Links between pages pass on only what makes the page (`page_parameters`).
"""

import hashlib

from django.urls import Resolver404, resolve
from django.utils.http import urlencode

from . import conf

# URL name (``"app:name"``) -> the query parameters its pages depend on.
_declared: dict[str, frozenset[str]] = {}


def vary_on(url_name, *names):
    _declared[url_name] = frozenset(names)


def declared(url_name):
    return _declared.get(url_name, frozenset())


def _allowed(request):
    """The parameters that make the page *request* asks for another page."""
    allowed = getattr(request, "_pagecache_parameters", None)
    if allowed is None:
        match = getattr(request, "resolver_match", None)
        if match is None:
            try:
                match = resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                match = None
        allowed = declared(match.view_name) if match is not None else frozenset()
        allowed |= frozenset(conf.get("PAGECACHE_EXTRA_PARAMETERS"))
        request._pagecache_parameters = allowed
    return allowed


def page_parameters(request):
    """The (name, value) pairs of *request*'s query that its page depends on, sorted."""
    allowed = _allowed(request)
    if not allowed:
        return []
    return [(name, value) for name, value in meaningful_parameters(request.GET) if name in allowed]


# The layout of a stored page: a new one gets a new prefix, so old entries are never read.
PAGE_KEY = "pagecache:page3:{}"


def is_ignored(name):
    return name in conf.get("PAGECACHE_IGNORED_PARAMETERS") or name.startswith(
        tuple(conf.get("PAGECACHE_IGNORED_PREFIXES"))
    )


def meaningful_parameters(query):
    """The (name, value) pairs of a QueryDict that a page depends on, sorted."""
    return sorted(
        (name, value) for name, values in query.lists() if not is_ignored(name) for value in values
    )


def page_key(request):
    """The cache key of the page *request* asks for."""
    url = request.build_absolute_uri(request.path)
    if parameters := page_parameters(request):
        url += "?" + urlencode(parameters)
    return PAGE_KEY.format(hashlib.md5(url.encode(), usedforsecurity=False).hexdigest())
