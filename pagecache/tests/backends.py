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


class ComebackCache(BaseCache):
    """A shared cache whose server goes away (`away`) and comes back empty, as a restarted
    Redis does; the same store in every "process" of a test."""

    away = False
    data: dict = {}

    def __init__(self, location, params):
        super().__init__(params)

    def add(self, key, value, timeout=None, version=None):
        if self.away or key in self.data:
            return False
        self.data[key] = value
        return True

    def get(self, key, default=None, version=None):
        return default if self.away else self.data.get(key, default)

    def set(self, key, value, timeout=None, version=None):
        if not self.away:
            self.data[key] = value

    def touch(self, key, timeout=None, version=None):
        return not self.away and key in self.data

    def delete(self, key, version=None):
        return not self.away and self.data.pop(key, None) is not None

    def has_key(self, key, version=None):
        return not self.away and key in self.data

    def clear(self):
        if not self.away:
            self.data.clear()

    @classmethod
    def restart(cls):
        """The server is back, with nothing in it."""
        cls.away = False
        cls.data.clear()
