"""What the article change list reads: a capped count, a unique order and the indexed search."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

from ..querysets import counted


class CappedCountPaginator(Paginator):
    """Counts at most `CAP` rows exactly; past that, the database's estimate
    (`querysets.counted`): the table's, or the plan's for a filtered list, labelled as an
    estimate (templates/admin/articles/article/pagination.html).

    Issue 19: every page is reachable. With an estimate, a page past the estimated end is
    still served (and a "next" link offered while a page is full); deep pages read their ids
    first (a deferred join) instead of whole rows for the offset."""

    CAP = 10_000
    DEFERRED_FROM = 1_000

    @cached_property
    def counted(self):
        return counted(self.object_list, self.CAP)

    @cached_property
    def count(self):
        return self.counted[0]

    @property
    def count_is_exact(self):
        return self.counted[1]

    def validate_number(self, number):
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.count_is_exact and top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom >= self.DEFERRED_FROM or getattr(rows.query, "ids_first", False):
            ids = list(rows.values_list("pk", flat=True)[bottom : top + 1])
            more = len(ids) > top - bottom
            page = self._get_page(_only(rows, ids[: top - bottom]), number, self)
        else:
            window = list(rows[bottom : top + 1])
            more = len(window) > top - bottom
            page = self._get_page(window[: top - bottom], number, self)
        page.has_more = more
        self._desk_page = page
        return page


def _only(rows, ids):
    """*rows* (a queryset whose conditions gave *ids*) as just those ids: the same columns,
    joins and order, its conditions dropped, since PostgreSQL would test them again on the
    page's rows and, for an id list, walk the table for them (148 ms for 51 rows)."""
    page = rows.all()
    page.query.where = WhereNode()
    return page.filter(pk__in=ids)


class ArticleChangeList(ChangeList):
    def get_filters(self, request):
        # A date-hierarchy year too big for a date (?published_at__year=9999999999) is an
        # OverflowError, which Django's own check (ValueError) lets through as a 500.
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        super().get_results(request)
        page = getattr(self.paginator, "_desk_page", None)
        self.count_is_exact = getattr(self.paginator, "count_is_exact", True)
        self.has_more = bool(getattr(page, "has_more", False))
        self.next_page_url = self.get_query_string({PAGE_VAR: self.page_num + 1})
        if not self.count_is_exact:
            # An estimate may be short: keep paging while pages are full.
            self.multi_page = True

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
