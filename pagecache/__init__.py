"""A whole-page cache for anonymous readers, invalidated exactly by a *content version*.

Shaped like ``django.contrib.redirects``: add ``"pagecache"`` to ``INSTALLED_APPS`` and
``pagecache.middleware.PageCacheMiddleware`` to ``MIDDLEWARE`` (after WhiteNoise, before the
session middleware), then tell it which models readers see (`pagecache.registry`). It knows
nothing of the project's models: the project registers its rules from an ``AppConfig.ready()``.

- `pagecache.conf`: its settings and their defaults.
- `pagecache.state`: the content version (one token an installation shares) and its changes.
- `pagecache.local`: each process's own memory of the pages it served (with Redis).
- `pagecache.fragments`: parts of pages kept under the content version (`versioned()`).
- `pagecache.keys`: which query parameters make a page another page.
- `pagecache.registry`: which models' changes readers see, and when content changes by itself.
- `pagecache.middleware`: serves and stores the pages.
"""
