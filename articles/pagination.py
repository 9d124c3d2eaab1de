"""Pagination that stays fast at a million articles.

- The total is counted once per content version and kept in the cache (a ``COUNT(*)`` over a
  million rows on every request would cost more than the page itself).
- Deep pages use a deferred join: the ids of the page are read first, from the index alone,
  and only those twenty rows are then fetched whole, instead of reading and discarding
  100,000 full rows for page 5,000.
- Newest-first lists also keep *anchors*: the sort key (publication time, id) of every
  1,000th row, found once per content version and kept in the cache. Page 5,000 then seeks
  to the anchor just before it and skips fewer than 1,000 index entries, instead of 100,000.
  Any change replaces the content version, so anchors never point at a stale position.
- While an anonymous page renders (its request knows the content version it is stored under),
  both are also kept in the process's memory for that version (`pagecache.fragments`): an
  uncached list page asks the cache nothing for them.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from pagecache.fragments import versioned
from pagecache.state import content_token

from .querysets import NEWEST_FIRST

COUNT_SECONDS = 600
# From this offset on, pages are read with a deferred join.
DEFERRED_FROM = 200
# Every this many rows of a newest-first list, an anchor (see above).
ANCHOR_EVERY = 1000


class ArchivePaginator(Paginator):
    def __init__(
        self, *args, count_key="", page_ids=None, page_rows=None, total=None, request=None,
        **kwargs,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        # The request of the page: its content version (`pagecache.fragments`), when known.
        self.request = request
        # total(): how many rows the list holds, where something cheaper than COUNT(*) knows
        # (e.g. ArticleQuerySet.published_count, kept by the database per category).
        self.total = total
        # page_ids(start, stop, after=None): a queryset method giving the ids of those rows
        # (counted from just after the sort key *after*) for pk__in, so the page is one
        # query with its rows (e.g. ArticleQuerySet.newest_ids_in).
        self.page_ids = page_ids
        # page_rows(start, stop): those rows themselves (a list) for a page before
        # DEFERRED_FROM, read some cheaper way than the queryset (a prepared statement, e.g.
        # ArticleQuerySet.newest_cards_in); None where there is none.
        self.page_rows = page_rows

    def _key(self, kind, *parts):
        token = getattr(self.request, "content_token", None) or content_token()
        text = ":".join(str(part) for part in (token, self.count_key, *parts))
        return f"page{kind}:" + hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

    def _kept(self, kind, parts, compute):
        """`compute()` (None: nothing to keep), kept in the cache for the content version,
        and in this process's memory for it too while an anonymous page renders."""
        key = self._key(kind, *parts)

        def shared():
            value = cache.get(key)
            if value is None:
                value = compute()
                if value is not None:
                    cache.set(key, value, COUNT_SECONDS)
            return value

        return versioned(self.request, key, shared) if self.request is not None else shared()

    @cached_property
    def count(self):
        if not self.count_key:
            return super().count

        def counted():
            if self.total is not None:
                return self.total()
            return Paginator.count.real_func(self)  # COUNT(*), as Django's paginator asks

        return self._kept("count", (), counted)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < DEFERRED_FROM or not isinstance(self.object_list, QuerySet):
            rows = self.page_rows(bottom, top) if self.page_rows is not None else None
            if rows is not None:
                return self._get_page(rows, number, self)
            if self.page_ids is not None:
                rows = self.object_list.filter(pk__in=self.page_ids(bottom, top))
            else:
                rows = self.object_list[bottom:top]
            return self._get_page(rows, number, self)
        after, skip = self._anchor_before(bottom)
        ids = self._ids(bottom - skip, top - skip, after)
        if self.page_ids is None:
            ids = list(ids)
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)

    def _newest_first(self):
        return bool(self.count_key) and tuple(self.object_list.query.order_by) == NEWEST_FIRST

    def _ids(self, start, stop, after):
        """The ids of rows *start* to *stop*, counted from just after the sort key *after*."""
        if self.page_ids is not None:
            return self.page_ids(start, stop, after)
        rows = self.object_list
        if after is not None:
            rows = rows.after(after)
        return rows.values_list("pk", flat=True)[start:stop]

    def _anchor_before(self, offset):
        """(sort key of the row just before the nearest anchor at or below *offset*, that
        anchor's offset), or (None, 0) where there is none."""
        index = offset // ANCHOR_EVERY
        if index == 0 or not self._newest_first():
            return None, 0

        def anchor():
            position = index * ANCHOR_EVERY - 1
            rows = self.object_list.order_by(*NEWEST_FIRST).values_list("published_at", "pk")
            if self.page_ids is not None:
                rows = rows.filter(pk__in=self.page_ids(position, position + 1))
            else:
                rows = rows[position : position + 1]
            found = list(rows)
            return found[0] if found else None

        after = self._kept("anchor", (index,), anchor)
        if after is None:
            return None, 0
        return after, index * ANCHOR_EVERY
