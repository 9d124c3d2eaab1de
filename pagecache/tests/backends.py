"""A cache whose server is away: every read misses and every write is dropped without a word,
as a cache that degrades to "no cache" does while its server is unreachable."""

from django.core.cache.backends.base import BaseCache


class AwayCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def add(self, key, value, timeout=None, version=None):
        return False

    def get(self, key, default=None, version=None):
        return default

    def set(self, key, value, timeout=None, version=None):
        return None

    def touch(self, key, timeout=None, version=None):
        return False

    def delete(self, key, version=None):
        return False

    def has_key(self, key, version=None):
        return False

    def clear(self):
        return None
