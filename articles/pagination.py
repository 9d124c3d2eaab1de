"""Pagination that stays fast at a million articles.

- The total is counted once per content version and kept in the cache (a ``COUNT(*)`` over a
  million rows on every request would cost more than the page itself).
- Deep pages use a deferred join: the ids of the page are read first, from the index alone,
  and only those twenty rows are then fetched whole, instead of reading and discarding
  100,000 full rows for page 5,000.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .cache import content_token

COUNT_SECONDS = 600
# From this offset on, pages are read with a deferred join.
DEFERRED_FROM = 200


class ArchivePaginator(Paginator):
    def __init__(self, *args, count_key="", page_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        # page_ids(start, stop): the ids of those rows, for pk__in (one query with the rows).
        self.page_ids = page_ids

    @cached_property
    def count(self):
        if not self.count_key:
            return super().count
        key = (
            "pagecount:"
            + hashlib.md5(
                f"{content_token()}:{self.count_key}".encode(), usedforsecurity=False
            ).hexdigest()
        )
        value = cache.get(key)
        if value is None:
            value = super().count
            cache.set(key, value, COUNT_SECONDS)
        return value

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.page_ids is not None:
            return self._get_page(
                self.object_list.filter(pk__in=self.page_ids(bottom, top)), number, self
            )
        if bottom < DEFERRED_FROM or not isinstance(self.object_list, QuerySet):
            return self._get_page(self.object_list[bottom:top], number, self)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.filter(pk__in=ids)
        return self._get_page(rows, number, self)
