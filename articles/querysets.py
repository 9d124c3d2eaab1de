"""How the newsroom's rows are read: the querysets behind `Article.objects` and
`Category.objects`.

"Published" is defined once (`ArticleQuerySet.published`); every public list starts there.

Where PostgreSQL needs a plan of its own to stay fast at a million articles, the method says
why and picks between two twins that return the same rows: ``_<name>_postgresql`` (the plan,
sometimes as SQL Django compiles no other way) and ``_<name>_portable`` (plain ORM, any
database). Both are tested against each other on PostgreSQL (tests/test_querysets_agree.py).
Nothing outside this module asks which database it runs on.
"""

import itertools
from datetime import date, datetime, time, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Left, Replace, RowNumber
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal

from . import search as search_syntax
from .choices import ArticleStatus

# The order of every newest-first list (the indexes on published_at end with id for it).
NEWEST_FIRST = ("-published_at", "-pk")

# What a card (templates/articles/_article_card.html, _compact_list.html) shows of an article.
# The biggest columns, which no list shows (the body, the search vectors), stay in the table.
CARD_FIELDS = (
    "title", "slug", "standfirst", "published_at", "reading_minutes", "category",
    "featured_image", "image_renditions", "image_width", "image_height",
)  # fmt: skip

# Related articles are ranked among the newest this many articles of each of the article's tags.
RELATED_PER_TAG = 100
# PostgreSQL: those candidates (one short index scan per tag) and the category's newest.
RELATED_CANDIDATES_SQL = (
    "SELECT c.id FROM unnest(%s::integer[]) AS t(tag_id) CROSS JOIN LATERAL ("
    " SELECT i.content_object_id AS id FROM articles_taggedarticle i"
    " WHERE i.tag_id = t.tag_id AND i.content_object_id <> %s"
    " ORDER BY i.content_object_id DESC LIMIT %s) AS c"
    " UNION SELECT * FROM ({same_category}) AS same_category"
)

# A news sitemap lists the articles of the last two days.
NEWS_AGE = timedelta(days=2)

# Search snippets are highlighted within the opening of the body (about 450 words).
SEARCH_SNIPPET_FROM_CHARS = 3000


def _plain_text_postgresql(html):
    """PostgreSQL: the text of sanitised *html* (tags dropped, the entities the sanitiser
    writes decoded), for snippets."""
    text = Func(html, Value("<[^>]*>?"), Value(" "), Value("g"), function="regexp_replace")
    for entity, character in (
        ("&lt;", search_syntax.LESS_THAN), ("&gt;", search_syntax.GREATER_THAN),
        ("&quot;", '"'), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&"),
    ):  # fmt: skip
        text = Replace(text, Value(entity), Value(character))
    return text


def _local_midnight(day: date) -> datetime:
    """The start of the local calendar *day* (the newsroom's time zone)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def published_filter(prefix: str = "", now: datetime | None = None) -> Q:
    """`ArticleQuerySet.published()` as a condition on the article at *prefix* (e.g.
    ``"article__"`` from a link table)."""
    return Q(**{
        f"{prefix}status": ArticleStatus.PUBLISHED,
        f"{prefix}published_at__lte": now or timezone.now(),
    })  # fmt: skip


def raw_delete(queryset: models.QuerySet) -> int:
    """DELETE the rows of *queryset* in one statement: none loaded, no signals sent, no
    cascade followed (the caller tells the page cache). Returns the count."""
    return queryset._raw_delete(queryset.db)


def on_postgresql(queryset: models.QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def estimated_count(queryset: models.QuerySet, cap: int) -> int:
    """How many rows *queryset* holds: exact up to *cap*; past that, for a whole table, the
    database's own estimate where it keeps one (PostgreSQL's planner statistics), else the
    capped count. Counting a million rows on every admin page is the slow part of the admin;
    nobody needs page 20,001 to be exact."""
    capped = queryset.order_by().values("pk")[: cap + 1].count()
    if capped <= cap or queryset.query.where or not on_postgresql(queryset):
        return capped
    return max(_table_estimate_postgresql(queryset), capped)


def _table_estimate_postgresql(queryset):
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        return cursor.fetchone()[0]


class VendorQuerySet(models.QuerySet):
    """A queryset that knows whether its database is PostgreSQL (for the twins above)."""

    def on_postgresql(self) -> bool:
        return on_postgresql(self)

    def estimated_count(self, cap: int) -> int:
        return estimated_count(self, cap)

    def on_sqlite(self) -> bool:
        return connections[self.db].vendor == "sqlite"


class CategoryQuerySet(VendorQuerySet):
    def in_menu(self):
        """Categories shown in the site menu, in menu order."""
        return self.filter(is_in_menu=True)

    def top_level(self):
        return self.filter(parent__isnull=True)


class ArticleQuerySet(VendorQuerySet):
    # --- Who may see what ------------------------------------------------------------------

    def published(self, now: datetime | None = None) -> "ArticleQuerySet":
        """What readers may see: published, with a publication time not in the future.

        A scheduled article is a published one whose time has not come; it appears on its
        own at that time, with no job to run.
        """
        return self.filter(published_filter(now=now))

    def scheduled(self, now: datetime | None = None) -> "ArticleQuerySet":
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__gt=now or timezone.now())

    # --- Filters -----------------------------------------------------------------------------

    def by_author(self, author) -> "ArticleQuerySet":
        return self.filter(authors=author)

    def from_source(self, source) -> "ArticleQuerySet":
        return self.filter(translation__source=source)

    def tagged(self, tag) -> "ArticleQuerySet":
        return self.filter(tagged_items__tag=tag)

    def featured(self) -> "ArticleQuerySet":
        return self.filter(is_featured=True)

    def news(self, now: datetime | None = None) -> "ArticleQuerySet":
        """Published in the last two days: what a Google News sitemap lists."""
        return self.filter(published_at__gte=(now or timezone.now()) - NEWS_AGE)

    def on_day(self, day: date) -> "ArticleQuerySet":
        """Published on the calendar *day* in the site's time zone."""
        return self.between(day, day + timedelta(days=1))

    def between(self, start: date, end: date) -> "ArticleQuerySet":
        """Published on or after the date *start* and before the date *end* (local days)."""
        return self.filter(
            published_at__gte=_local_midnight(start), published_at__lt=_local_midnight(end)
        )

    def last_published_before(self, day: date | None) -> datetime | None:
        """The publication time of the newest of these articles before the local date *day*
        (before any day: the newest of all), from the publication-time index."""
        rows = self if day is None else self.filter(published_at__lt=_local_midnight(day))
        return rows.order_by("-published_at").values_list("published_at", flat=True).first()

    def first_published_from(self, day: date | None) -> datetime | None:
        """The publication time of the oldest of these articles on or after the local date
        *day* (from any day: the oldest of all)."""
        rows = self if day is None else self.filter(published_at__gte=_local_midnight(day))
        return rows.order_by("published_at").values_list("published_at", flat=True).first()

    def published_around(self, start: date, end: date) -> tuple[datetime | None, datetime | None]:
        """The publication times of the newest of these articles before the local date
        *start* and of the oldest on or after *end*: one query, two index seeks."""
        before = self.filter(published_at__lt=_local_midnight(start)).order_by("-published_at")
        after = self.filter(published_at__gte=_local_midnight(end)).order_by("published_at")
        return self._probe(
            before=Subquery(before.values("published_at")[:1]),
            after=Subquery(after.values("published_at")[:1]),
        ) or (None, None)

    def periods_with_articles(self, periods) -> list[bool]:
        """For each (start, end) pair of local dates, whether any of these articles was
        published in it: one query, an index probe per period (`EXISTS … LIMIT 1`)."""
        if not periods:
            return []
        probes = {f"p{n}": Exists(self.between(*period)) for n, period in enumerate(periods)}
        row = self._probe(**probes)
        return [bool(found) for found in row] if row else [False] * len(periods)

    def _probe(self, **expressions):
        """The values of *expressions* (subqueries), read in one query hung on one row of the
        table; None when the table is empty (and nothing can be found)."""
        rows = self.model._base_manager.order_by().annotate(**expressions)
        return rows.values_list(*expressions).first()

    # --- Order and shape -------------------------------------------------------------------

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by(*NEWEST_FIRST)

    def after(self, key: tuple[datetime, int]) -> "ArticleQuerySet":
        """The rows that come after the sort key *key* = (published_at, pk), newest first.

        Written so that PostgreSQL seeks the (published_at, id) indexes to the key: a range
        condition on the time, then the few rows of the very same time filtered by id.
        """
        published_at, pk = key
        return self.filter(published_at__lte=published_at).exclude(
            published_at=published_at, pk__gte=pk
        )

    def for_cards(self) -> "ArticleQuerySet":
        """What a list of article cards reads: the articles and their categories (bylines
        come from `articles.bylines.Bylines`, in one more query when a card needs them).

        Only what a card shows is read (`CARD_FIELDS`): never the body or the search vectors,
        the biggest columns, which a million-article archive would otherwise read for every
        card of every list, and none of the rest, which a home page of seventy cards would
        convert for nothing. A card links its own category, never the parent, so the parent
        is not joined either."""
        return self.select_related("category").only(*CARD_FIELDS)

    def for_page(self) -> "ArticleQuerySet":
        """What an article page reads in its one lookup: the article, its category (and the
        parent, for the breadcrumb) and its provenance with the people and outlet it names.
        The search vector, as big as the body and never shown, stays in the table."""
        return self.select_related(
            "category__parent",
            "translation__source",
            "translation__original_author",
            "translation__translator",
        ).defer("search_vector")

    # --- Lists of a million-article archive -----------------------------------------------

    def newest_in_each(self, category_ids, per_category: int) -> "ArticleQuerySet":
        """The newest *per_category* articles of each of *category_ids*, in one query."""
        category_ids = list(category_ids)
        if not category_ids:
            return self.none()
        if self.on_postgresql():
            return self._newest_in_each_postgresql(category_ids, per_category)
        return self._newest_in_each_portable(category_ids, per_category)

    def _newest_in_each_postgresql(self, category_ids, per_category):
        """Each category is its own short index scan (an array subquery per category,
        unnested), however big the archive, in SQL that stays short however many categories
        there are."""
        category_model = self.model._meta.get_field("category").related_model
        newest = ArraySubquery(
            self.filter(category_id=OuterRef("pk"))
            .order_by(*NEWEST_FIRST)
            .values("pk")[:per_category]
        )
        ids = (
            category_model.objects.filter(pk__in=category_ids)
            .annotate(article_id=Func(newest, function="unnest", output_field=IntegerField()))
            .values("article_id")
        )
        return self.filter(pk__in=Subquery(ids)).order_by(*NEWEST_FIRST)

    def _newest_in_each_portable(self, category_ids, per_category):
        """A window function numbers each category's rows."""
        ranked = (
            self.filter(category_id__in=category_ids)
            .annotate(
                category_rank=Window(
                    RowNumber(),
                    partition_by=[F("category_id")],
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(category_rank__lte=per_category)
        )
        return ranked.order_by(*NEWEST_FIRST)

    def newest_ids_in(self, category_ids, start: int, stop: int, after=None):
        """Rows *start* to *stop* of the articles of *category_ids*, newest first, as their
        ids, for ``filter(pk__in=...)``: a page read from the indexes alone. With *after*, a
        sort key (published_at, pk), rows are counted from just after it (a deep page's
        anchor, articles/pagination.py)."""
        category_ids = list(category_ids)
        rows = self if after is None else self.after(after)
        if len(category_ids) > 1 and self.on_postgresql():
            return rows._newest_ids_in_postgresql(category_ids, start, stop)
        return rows._newest_ids_in_portable(category_ids, start, stop)

    def _newest_ids_in_postgresql(self, category_ids, start, stop):
        """Several categories (a parent's page lists its sub-categories too) are a ``UNION
        ALL`` of one limited index scan per category, which the planner merges in order (Merge
        Append): a page neither sorts nor reads the whole family."""
        base = self.values_list("pk", "published_at").order_by(*NEWEST_FIRST)
        # Each scan ordered and limited on its own: only then does PostgreSQL merge them in
        # order and stop after *stop* rows, instead of sorting the family.
        parts = [base.filter(category_id=pk)[:stop] for pk in category_ids]
        union = parts[0].union(*parts[1:], all=True).order_by(*NEWEST_FIRST)[start:stop]
        sql, params = union.query.sql_with_params()
        # The SQL is Django's own compilation of the queryset above; values stay parameters.
        return RawSQL(f"SELECT page.id FROM ({sql}) AS page(id, published_at)", params)  # noqa: S608, S611 # nosec B611

    def _newest_ids_in_portable(self, category_ids, start, stop):
        page = self.filter(category_id__in=category_ids).order_by(*NEWEST_FIRST)
        return page.values("pk")[start:stop]

    def newest_ids_linked(self, links, start: int, stop: int, after=None):
        """Rows *start* to *stop* of the articles that *links* point at, newest first, as
        their ids, for ``filter(pk__in=...)`` (*after* as in `newest_ids_in`). *links* is a
        queryset of a link table with an ``article`` key: an author's bylines, a source's or a
        translator's provenance rows."""
        rows = self if after is None else self.after(after)
        # Provenance rows sort by their article's time by default: not here.
        links = links.order_by().values("article_id")
        if self.on_postgresql():
            return rows._newest_ids_linked_postgresql(links, start, stop)
        return rows._newest_ids_linked_portable(links, start, stop)

    def _newest_ids_linked_postgresql(self, links, start, stop):
        """Such articles are spread over the whole archive, so walking the publication-time
        index until twenty of them turn up reads tens of thousands of rows (80-120 ms for an
        author or source of 3,000-6,000 pieces among a million, a second from a cold cache),
        which PostgreSQL's planner does when it expects matches to be frequent. So the links
        are read first, behind an optimisation fence (``OFFSET 0``) that keeps the planner
        from turning back to that walk, and only their articles are sorted."""
        sql, params = links.query.sql_with_params()
        # Django's compiled SQL of the queryset above; values stay parameters.
        fenced = RawSQL(f"{sql} OFFSET 0", params)  # noqa: S611 # nosec B611
        return self._newest_ids_linked_portable(fenced, start, stop)

    def _newest_ids_linked_portable(self, links, start, stop):
        return self.filter(pk__in=links).order_by(*NEWEST_FIRST).values("pk")[start:stop]

    def newest_of_links(self, limit: int, **links) -> list:
        """The newest *limit* of these articles that each of *links* (name: a queryset of a
        link table with an ``article`` key) points at, newest first, in one query; each row
        says which of them point at it (``row.<name>``, a boolean)."""
        found = Q()
        for rows in links.values():
            found |= Q(pk__in=self.newest_ids_linked(rows, 0, limit))
        marks = {
            name: Exists(rows.order_by().filter(article_id=OuterRef("pk")))
            for name, rows in links.items()
        }
        return list(self.filter(found).annotate(**marks).order_by(*NEWEST_FIRST))

    def newest_linked(self, links, limit: int) -> "ArticleQuerySet":
        """The newest *limit* of these articles that *links* point at (`newest_ids_linked`)."""
        return self.filter(pk__in=self.newest_ids_linked(links, 0, limit))

    # --- Around one article ----------------------------------------------------------------

    def related_to(self, article, tag_ids, limit: int = 4) -> "ArticleQuerySet":
        """ "You might also like": articles sharing the most tags with *article* first, then
        ones from its category, newest first; never *article* itself."""
        if self.on_postgresql():
            return self._related_to_postgresql(article, tag_ids, limit)
        return self._related_to_portable(article, tag_ids, limit)

    def _related_to_portable(self, article, tag_ids, limit):
        shared = Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
        return (
            self.exclude(pk=article.pk)
            .filter(Q(tagged_items__tag_id__in=tag_ids) | Q(category_id=article.category_id))
            .annotate(shared_tags=shared)
            .order_by("-shared_tags", "-published_at", "-pk")
            .distinct()[:limit]
        )

    def _related_to_postgresql(self, article, tag_ids, limit):
        """The candidates are bounded, so a page costs the same with a million articles: the
        newest `RELATED_PER_TAG` articles (by id) of each of the article's tags and the newest
        *limit* of its category; only those are ranked, by their ids and dates alone (a count
        of tag links each), and only the *limit* best are read whole."""
        ordering = ("-shared_tags", "-published_at", "-pk")
        tag_link_model = self.model._meta.get_field("tagged_items").related_model
        category = (
            self.filter(category_id=article.category_id)
            .exclude(pk=article.pk)
            .order_by(*NEWEST_FIRST)
            .values("pk")[:limit]
        )
        category_sql, category_params = category.query.sql_with_params()
        # Django's compiled SQL of the queryset above goes in; values stay parameters.
        sql = RELATED_CANDIDATES_SQL.replace("{same_category}", category_sql)
        params = (list(tag_ids), article.pk, RELATED_PER_TAG, *category_params)
        candidates = RawSQL(sql, params)  # noqa: S611 # nosec B611
        tag_links = Coalesce(
            Subquery(
                tag_link_model.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
                .order_by()
                .values("content_object_id")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
        best = (
            self.filter(pk__in=candidates)
            .annotate(shared_tags=tag_links)
            .order_by(*ordering)
            .values("pk")[:limit]
        )
        return self.filter(pk__in=best).annotate(shared_tags=tag_links).order_by(*ordering)

    def neighbours_of(self, article):
        """The previous (older) and next (newer) article of *article*'s category, in one query.

        Returns ``(previous, next)``; either may be ``None``.
        """
        here = self.filter(category_id=article.category_id).exclude(pk=article.pk)
        # The plain bounds (`__lte`/`__gte`) let the index start at the article, instead of
        # filtering the whole category for the (time, id) condition.
        older = (
            here.filter(published_at__lte=article.published_at)
            .filter(
                Q(published_at__lt=article.published_at)
                | Q(published_at=article.published_at, pk__lt=article.pk)
            )
            .order_by("-published_at", "-pk")
        )
        newer = (
            here.filter(published_at__gte=article.published_at)
            .filter(
                Q(published_at__gt=article.published_at)
                | Q(published_at=article.published_at, pk__gt=article.pk)
            )
            .order_by("published_at", "pk")
        )
        rows = self.filter(
            Q(pk=Subquery(older.values("pk")[:1])) | Q(pk=Subquery(newer.values("pk")[:1]))
        ).for_cards()
        previous = next_ = None
        for row in rows:
            if (row.published_at, row.pk) > (article.published_at, article.pk):
                next_ = row
            else:
                previous = row
        return previous, next_

    # --- Search ------------------------------------------------------------------------------

    def search(self, query: str, ranked: int | None = None) -> "ArticleQuerySet":
        """Articles matching the reader's *query* (`articles.search`: words, "phrases",
        -exclusions, OR; every spelling of a name), best first, each with a highlighted
        snippet (`headline`); with *ranked*, only the newest *ranked* matches (a word in nearly
        every article would otherwise have every match of a million-article archive read and
        ranked: seconds). A query of stop words or exclusions alone matches nothing."""
        parsed = search_syntax.parse(query)
        if parsed is None:
            return self.none()
        if self.on_postgresql():
            return self._search_postgresql(parsed, ranked)
        if self.on_sqlite():
            return self._search_sqlite(parsed, ranked)
        return self._search_portable(parsed, ranked)

    def _search_postgresql(self, parsed, ranked):
        """Matches from the trigger-kept `search_vector` (title, standfirst and body, each as
        written and as the press spells it; GIN-indexed), ranked title > standfirst > body: by
        `ts_rank` over `search_head` (the title and standfirst vector), so matches in the body
        alone rank last, newest first, and ranking a few thousand matches never reads their
        bodies' vectors; with highlighted snippets (`headline`) from the first
        `SEARCH_SNIPPET_FROM_CHARS` characters of the body (highlighting a whole long body
        costs a few milliseconds per result).

        With *ranked*, a probe runs first (`search_candidates`): a query the search index
        cannot answer matches nothing, one with up to *ranked* matches has them all ranked,
        and only one with more is cut to its newest *ranked* matches."""
        tsquery = search_syntax.tsquery(parsed)
        search_query = SearchQuery(tsquery, config=search_syntax.CONFIG, search_type="raw")
        if ranked is None:
            matches = self.filter(search_vector=search_query)
        else:
            candidates = self.search_candidates(tsquery, ranked + 1)
            if candidates is None:
                return self.none()
            if len(candidates) <= ranked:
                matches = self.filter(pk__in=candidates)
            else:
                matches = self.newest_matches(Q(search_vector=search_query), ranked)
        return matches.annotate(
            rank=SearchRank(F("search_head"), search_query),
            headline=SearchHeadline(
                _plain_text_postgresql(Left("body", SEARCH_SNIPPET_FROM_CHARS)),
                search_query,
                config=search_syntax.CONFIG,
                start_sel=search_syntax.MARK_START,
                stop_sel=search_syntax.MARK_END,
                max_words=35,
                min_words=15,
            ),
        ).order_by("-rank", "-published_at", "-pk")

    def _search_sqlite(self, parsed, ranked):
        """Matches from the FTS5 index of migration 0011 (each field as written and as the
        press spells it), ranked by bm25 over the title and standfirst (`SQLITE_WEIGHTS`: body
        matches alone rank last, newest first), with FTS5's snippets of the body. With
        *ranked*, the same cut as on PostgreSQL."""
        match = search_syntax.fts5_query(parsed)
        matches = Q(pk__in=RawSQL(search_syntax.SQLITE_MATCHES, [match]))  # noqa: S611 # nosec B611
        if ranked is None or len(self._search_candidates_sqlite(match, ranked + 1)) <= ranked:
            rows = self.filter(matches)
        else:
            rows = self.newest_matches(matches, ranked)
        index = search_syntax.SQLITE_INDEX
        # A correlated lookup of the article's own index row: FTS5's ranking and snippet
        # functions need the MATCH in the query that calls them.
        table = self.model._meta.db_table
        own_row = f"FROM {index} WHERE {index} MATCH %s AND {index}.rowid = {table}.id"
        return rows.annotate(
            rank=RawSQL(  # noqa: S611 # nosec B611
                f"(SELECT bm25({index}, {search_syntax.SQLITE_WEIGHTS}) {own_row})", [match]
            ),
            headline=RawSQL(f"(SELECT {search_syntax.SQLITE_SNIPPET} {own_row})", [match]),  # noqa: S611 # nosec B611
        ).order_by("rank", "-published_at", "-pk")

    def _search_candidates_sqlite(self, match, limit):
        """SQLite: the ids of up to *limit* articles (of any status) the index matches."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"{search_syntax.SQLITE_MATCHES} LIMIT %s", [match, limit])
            return [row[0] for row in cursor.fetchall()]

    def _search_portable(self, parsed, ranked):
        """Any other database: each word (in any of its spellings) or phrase as a substring
        of the title, standfirst or body, newest first; no snippets."""

        def contains(term):
            found = Q()
            for words in itertools.product(*[(w, *search_syntax.spellings(w)) for w in term]):
                text = " ".join(words)
                found |= (
                    Q(title__icontains=text) | Q(standfirst__icontains=text)
                    | Q(body__icontains=text)
                )  # fmt: skip
            return found

        condition = Q()
        for group in parsed.groups:
            either = Q()
            for term in group:
                either |= contains(term)
            condition &= either
        for term in parsed.excluded:
            condition &= ~contains(term)
        return self.newest_matches(condition, ranked).order_by(*NEWEST_FIRST)

    def search_candidates(self, tsquery: str, limit: int) -> list[int] | None:
        """PostgreSQL: the ids of up to *limit* articles (of any status) whose search vector
        matches *tsquery* (`articles.search.tsquery`), read from the search index alone; None
        when the index cannot answer the query (only exclusions, only stop words).

        The planner guesses how many articles a query matches from statistics that know
        nothing of rare or unknown words: guessing many, it walks the newest-first index
        testing every article's vector (24 s for thirty unknown words OR-ed, at a million
        articles). The probe (the function of migration 0010) reads the GIN index whatever the
        guess; its answer says whether the matches are few (rank them all) or many (walk the
        newest of them).
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN querytree(q) IN ('', 'T') THEN NULL"
                " ELSE ARRAY(SELECT articles_search_candidates(q, %s)) END"
                " FROM to_tsquery(%s, %s) AS q",
                [limit, search_syntax.CONFIG, tsquery],
            )
            (ids,) = cursor.fetchone()
        return ids

    def refresh_search_index(self, articles=None) -> None:
        """Bring the full-text index up to date for *articles* (instances; default: this
        queryset's rows), after a write that may have changed their text. PostgreSQL's
        trigger does this by itself; SQLite's index is written here (migration 0011)."""
        if not self.on_sqlite():
            return
        if articles is None:
            rows = self.values_list("pk", "title", "standfirst", "body").iterator()
        else:
            rows = ((a.pk, a.title, a.standfirst, a.body) for a in articles)
        search_syntax.sqlite_index(connections[self.db], rows)

    def newest_matches(self, condition: Q, limit: int | None = None) -> "ArticleQuerySet":
        """The rows matching *condition*; with *limit*, only the newest *limit* of them.

        For a common word PostgreSQL then walks the newest-first index and stops after
        *limit* matches; for a rare one it still reads the few matches from the search index.
        """
        if limit is None:
            return self.filter(condition)
        newest = self.filter(condition).order_by(*NEWEST_FIRST).values("pk")[:limit]
        return self.filter(pk__in=newest)

    def editor_search(self, term: str, few: int = 5000) -> "ArticleQuerySet":
        """The admin's search for *term*: a title fragment or words of the text."""
        if self.on_postgresql():
            return self._editor_search_postgresql(term, few)
        return self._editor_search_portable(term)

    def _editor_search_portable(self, term):
        """Every word in the title, standfirst or body (as Django's admin search does)."""
        condition = Q()
        for word in smart_split(term):
            word = unescape_string_literal(word) if word[0] in "\"'" else word
            condition &= (
                Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
            )
        return self.filter(condition)

    def _editor_search_postgresql(self, term, few):
        """The trigger-kept, GIN-indexed search vector (title, standfirst, body) instead of
        three ILIKE scans over a million bodies; a title fragment still matches (a trigram
        index, migration 0009).

        PostgreSQL cannot tell how many titles hold a fragment, and when it guesses many it
        walks the newest-first index testing every row's vector (3.5 s at a million articles
        for a fragment in 144 titles). So the matches are read from the indexes, each kind on
        its own, up to *few*; when that is all of them the page sorts those few, and only a
        search matching more walks the index (where it soon finds a page)."""
        query = SearchQuery(term, config="english", search_type="websearch")
        found = set()
        for match in (self.filter(search_vector=query), self.filter(title__icontains=term)):
            found.update(match.order_by().values_list("pk", flat=True)[: few + 1])
            if len(found) > few:
                return self.filter(Q(search_vector=query) | Q(title__icontains=term))
        return self.filter(pk__in=found)


# --- Most read (issue 18) ------------------------------------------------------------------------


class ArticleReadsQuerySet(models.QuerySet):
    """Readings counted per article and hour (`ArticleReads`)."""

    def since(self, moment: datetime) -> "ArticleReadsQuerySet":
        """The hours from the one holding *moment* on."""
        return self.filter(hour__gte=moment.replace(minute=0, second=0, microsecond=0))

    def best(self, since: datetime, limit: int):
        """The ids of the *limit* most-read articles from the hour of *since* on, most read
        first (for ``pk__in``): an index range of the hours, summed per article."""
        return (
            self.since(since)
            .values("article_id")
            .annotate(total=Sum("count"))
            .order_by("-total", "-article_id")
            .values("article_id")[:limit]
        )

    def total(self, since: datetime):
        """An article's readings from the hour of *since* on, as an annotation of articles."""
        sums = (
            self.since(since)
            .filter(article_id=OuterRef("pk"))
            .values("article_id")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return Coalesce(Subquery(sums), 0)
