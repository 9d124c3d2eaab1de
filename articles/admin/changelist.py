"""What the article change list reads: a capped count, a unique order and the indexed search."""

from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most `CAP` rows exactly; past that, PostgreSQL's estimate for the table.

    Counting 100,000 rows on every change-list page is the slow part of the admin; nobody
    needs page 5,001 to be exact.
    """

    CAP = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        capped = queryset.order_by().values("pk")[: self.CAP + 1].count()
        if capped <= self.CAP:
            return capped
        # TODO(lead): queryset method
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                estimate = cursor.fetchone()[0]
            return max(estimate, capped)
        return capped


class ArticleChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        # A unique, indexed order ("-published_at", "-id") instead of Django's added "-pk".
        ordering = super().get_ordering(request, queryset)
        return ["-id" if field == "-pk" else field for field in ordering]


# The admin search sorts its matches itself up to this many (ArticleSearchMixin).
SEARCH_FEW = 5000


class ArticleSearchMixin:
    """ArticleAdmin's search: on PostgreSQL the search vector and the title's trigram index
    instead of Django's ILIKE over every field in `search_fields`."""

    def get_search_results(self, request, queryset, search_term):
        # TODO(lead): queryset method
        if connection.vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # The trigger-kept, GIN-indexed search vector (title, standfirst, body) instead of
        # three ILIKE scans over 100,000 bodies; a title fragment still matches (a trigram
        # index, migration 0009).
        query = SearchQuery(search_term, config="english", search_type="websearch")
        matches = [
            queryset.filter(search_vector=query),
            queryset.filter(title__icontains=search_term),
        ]
        # PostgreSQL cannot tell how many titles hold a fragment, and when it guesses many it
        # walks the newest-first index testing every row's vector (3.5 s at a million
        # articles for a fragment in 144 titles). So: read the matches from the indexes, each
        # kind on its own, up to SEARCH_FEW; when that is all of them the page sorts those
        # few, and only a search matching more walks the index (where it soon finds a page).
        found = set()
        for match in matches:
            found.update(match.order_by().values_list("pk", flat=True)[: SEARCH_FEW + 1])
            if len(found) > SEARCH_FEW:
                return queryset.filter(
                    Q(search_vector=query) | Q(title__icontains=search_term)
                ), False
        return queryset.filter(pk__in=found), False
