"""A process-memory cache that keeps objects as they are: the fragments' cache.

Django's `LocMemCache` pickles a value when it is stored and unpickles it every time it is
read, so that a caller changing what it got cannot change what is kept. The fragments kept
under the content version (`pagecache.fragments`) are read by every page that misses: the
home page's blocks, an article page's sidebar and neighbours are lists of model instances,
and unpickling them was a tenth of an uncached home page (issue 21). Here they are handed out
as they were stored, which is only right for values nobody changes once made: rendered HTML
(strings) and the parts pages read but never alter. Expiry, the entry limit and culling are
`LocMemCache`'s own.
"""

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class ObjectCache(LocMemCache):
    """`LocMemCache` without pickling (see the module's docstring)."""

    # LocMemCache's own (django-stubs leaves its private parts out).
    _cache: Any
    _lock: Any
    _has_expired: Any
    _delete: Any
    _set: Any

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = self._cache[key] + delta
            self._cache[key] = value
            self._cache.move_to_end(key, last=False)
        return value
