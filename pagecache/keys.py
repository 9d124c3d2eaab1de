"""Which query parameters make a page another page.

Parameters that only tell analytics where a reader came from (``PAGECACHE_IGNORED_*``: a
newsletter's ``utm_source``, a social network's click id) are left out of a page's key, so
every click on a shared link is the same stored page; links between pages should not pass
them on either (`meaningful_parameters`).
"""

import hashlib

from django.utils.http import urlencode

from . import conf

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
    if parameters := meaningful_parameters(request.GET):
        url += "?" + urlencode(parameters)
    return PAGE_KEY.format(hashlib.md5(url.encode(), usedforsecurity=False).hexdigest())
