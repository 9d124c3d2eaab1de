"""The page cache's settings and their defaults, read when used (tests may override them).

=============================  ==========================================================
``PAGECACHE_ENABLED``           serve and store whole pages (the HTTP headers are set anyway)
``PAGECACHE_CACHE``             alias of the cache holding pages and the content version
``PAGECACHE_FRAGMENTS_CACHE``   alias of a process-local cache for `versioned()` fragments
``PAGECACHE_SECONDS``           longest a stored page or fragment lives
``PAGECACHE_LOCAL_BYTES``       with Redis: pages each process keeps in its own memory
``PAGECACHE_EXCLUDE``           path prefixes never served from nor stored in the cache
``PAGECACHE_NO_STORE``          path prefixes whose signed-in pages no browser may keep
``PAGECACHE_MAX_AGE``           ``Cache-Control: max-age`` of anonymous pages
``PAGECACHE_STALE_WHILE_REVALIDATE``  ``stale-while-revalidate`` of anonymous pages
``PAGECACHE_IGNORED_PARAMETERS``  query parameters no page depends on (tracking ids)
``PAGECACHE_IGNORED_PREFIXES``  prefixes of such parameters (``utm_``)
``PAGECACHE_EXTRA_PARAMETERS``  parameters that vary every page's key (a benchmark's
                                cache-buster); the others come from `registry.vary_on`
``PAGECACHE_OUTAGE_SECONDS``    while the shared cache is away: how long each process reuses
                                what it rendered under a state of its own
``PAGECACHE_VERSION_FILE``      where the content version lives when the cache is local to
                                each process (local memory): every process reads it there
=============================  ==========================================================
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

# Analytics parameters: where a reader came from (a newsletter, a social network's click id).
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
     "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "li_fat_id", "ref_src"}
)  # fmt: skip

DEFAULTS = {
    "PAGECACHE_ENABLED": True,
    "PAGECACHE_CACHE": "default",
    "PAGECACHE_FRAGMENTS_CACHE": "fragments",
    "PAGECACHE_SECONDS": 600,
    "PAGECACHE_LOCAL_BYTES": 16 * 1024 * 1024,
    "PAGECACHE_EXCLUDE": (),
    "PAGECACHE_NO_STORE": (),
    "PAGECACHE_MAX_AGE": 30,
    "PAGECACHE_STALE_WHILE_REVALIDATE": 60,
    "PAGECACHE_IGNORED_PARAMETERS": TRACKING_PARAMETERS,
    "PAGECACHE_IGNORED_PREFIXES": ("utm_",),
    "PAGECACHE_VERSION_FILE": None,
    "PAGECACHE_OUTAGE_SECONDS": 30,
    "PAGECACHE_EXTRA_PARAMETERS": (),
}


def get(name):
    """The setting *name*, or its default."""
    return getattr(settings, name, DEFAULTS[name])


def version_file():
    """`PAGECACHE_VERSION_FILE`, else a file beside the SQLite database, else one in the
    temporary directory named after the default database (one installation, one file)."""
    configured = get("PAGECACHE_VERSION_FILE")
    if configured:
        return Path(configured)
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"].endswith("sqlite3") and name and not _in_memory(name):
        return Path(f"{name}.pagecache")
    identity = f"{database['ENGINE']}|{database.get('HOST')}|{database.get('PORT')}|{name}"
    if _in_memory(name):  # a database no other process can open: a version of its own
        identity += f"|{os.getpid()}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"pagecache-{digest}"


def _in_memory(name):
    return name == ":memory:" or name.startswith("file:") and "mode=memory" in name
