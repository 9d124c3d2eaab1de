"""What the article change list reads: a capped count, a unique order and the indexed search."""

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from ..querysets import estimated_count


class CappedCountPaginator(Paginator):
    """Counts at most `CAP` rows exactly; past that, the database's estimate for the table
    (`ArticleQuerySet.estimated_count`)."""

    CAP = 10_000

    @cached_property
    def count(self):
        return estimated_count(self.object_list, self.CAP)


class ArticleChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        # A unique, indexed order ("-published_at", "-id") instead of Django's added "-pk".
        ordering = super().get_ordering(request, queryset)
        return ["-id" if field == "-pk" else field for field in ordering]


# The admin search sorts its matches itself up to this many (ArticleSearchMixin).
SEARCH_FEW = 5000


class ArticleSearchMixin:
    """ArticleAdmin's search (`ArticleQuerySet.editor_search`): on PostgreSQL the search
    vector and the title's trigram index instead of an ILIKE over every body."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        return queryset.editor_search(search_term, few=SEARCH_FEW), False
