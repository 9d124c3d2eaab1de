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
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models, transaction
from django.db.backends.signals import connection_created
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
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Left, Replace, RowNumber
from django.db.models.lookups import Contains, In, Lookup
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal

from . import search as search_syntax
from .choices import ArticleStatus
from .text import fold_for_search

# The order of every newest-first list (the indexes on published_at end with id for it).
NEWEST_FIRST = ("-published_at", "-pk")

# What a card (templates/articles/_article_card.html, _compact_list.html) shows of an article.
# The biggest columns, which no list shows (the body, the search vectors), stay in the table.
CARD_FIELDS = (
    "title", "slug", "standfirst", "published_at", "reading_minutes", "category",
    "featured_image", "image_renditions", "image_width", "image_height",
)  # fmt: skip

# Related articles are ranked among the newest this many articles of each of the article's tags
# (and the category's newest): a news site's recent pieces on the same subjects. Each
# candidate costs PostgreSQL a visibility check and a count of its shared tags: with 100 a tag
# five tags made 500 candidates, 5.5 ms of PostgreSQL for the statement at a million articles
# (issue 21, docs/performance.md); 30 make 150.
RELATED_PER_TAG = 30
# PostgreSQL: those candidates (one short index scan per tag) and the category's newest.
RELATED_CANDIDATES_SQL = (
    "SELECT c.id FROM unnest(%s::integer[]) AS t(tag_id) CROSS JOIN LATERAL ("
    " SELECT i.content_object_id AS id FROM articles_taggedarticle i"
    " WHERE i.tag_id = t.tag_id AND i.content_object_id <> %s"
    " ORDER BY i.content_object_id DESC LIMIT %s) AS c"
    " UNION SELECT * FROM ({same_category}) AS same_category"
)

# PostgreSQL: an article page's neighbours and related articles in one statement (`around`).
# The related ones are ranked as `_related_to_postgresql` ranks them (the same bounded
# candidates); the previous and next are one index probe each (as `neighbours_of`). Each row
# says what it is (`around_role`: 0 related, 1 previous, 2 next), so an article that is both
# related and a neighbour comes twice. The card's columns and its category's come along.
AROUND_SQL = """
WITH candidate AS (
  SELECT c.id FROM unnest(%(tags)s::integer[]) AS t(tag_id) CROSS JOIN LATERAL (
    SELECT i.content_object_id AS id FROM articles_taggedarticle i
    WHERE i.tag_id = t.tag_id AND i.content_object_id <> %(id)s
    ORDER BY i.content_object_id DESC LIMIT %(per_tag)s) AS c
  UNION
  (SELECT a.id FROM articles_article a
   WHERE a.status = %(status)s AND a.published_at <= %(now)s AND a.category_id = %(category)s
     AND a.id <> %(id)s
   ORDER BY a.published_at DESC, a.id DESC LIMIT %(limit)s)
), related AS (
  SELECT a.id, 0 AS around_role, (
      SELECT count(*) FROM articles_taggedarticle i
      WHERE i.content_object_id = a.id AND i.tag_id = ANY(%(tags)s::integer[])
    ) AS shared_tags
  FROM articles_article a
  WHERE a.id IN (SELECT id FROM candidate) AND a.status = %(status)s
    AND a.published_at <= %(now)s
  ORDER BY shared_tags DESC, a.published_at DESC, a.id DESC LIMIT %(limit)s
), previous AS (
  SELECT a.id, 1 AS around_role, 0 AS shared_tags FROM articles_article a
  WHERE a.status = %(status)s AND a.published_at <= %(now)s AND a.category_id = %(category)s
    AND a.published_at <= %(at)s AND (a.published_at < %(at)s OR a.id < %(id)s)
  ORDER BY a.published_at DESC, a.id DESC LIMIT 1
), following AS (
  SELECT a.id, 2 AS around_role, 0 AS shared_tags FROM articles_article a
  WHERE a.status = %(status)s AND a.published_at <= %(now)s AND a.category_id = %(category)s
    AND a.published_at >= %(at)s AND (a.published_at > %(at)s OR a.id > %(id)s)
  ORDER BY a.published_at, a.id LIMIT 1
)
SELECT {card_columns}, r.around_role, r.shared_tags, {category_columns}
FROM (
  SELECT * FROM related UNION ALL SELECT * FROM previous UNION ALL SELECT * FROM following
) AS r
JOIN articles_article a ON a.id = r.id
JOIN articles_category c ON c.id = a.category_id
ORDER BY r.around_role, r.shared_tags DESC, a.published_at DESC, a.id DESC
"""


# The home page's blocks after every publish (issue 21): what `home.section_blocks` and
# `home.front_candidates` ask, written out once (compiling their querysets was two thirds of
# the first home page after a publication), prepared like `AROUND_SQL`.
SECTIONS_SQL = """
SELECT {card_columns}, {category_columns}
FROM articles_article a JOIN articles_category c ON c.id = a.category_id
WHERE a.id IN (
  SELECT unnest(ARRAY(
    SELECT x.id FROM articles_article x
    WHERE x.category_id = s.id AND x.status = %(status)s AND x.published_at <= %(now)s
      AND x.id <> ALL(%(placed)s::bigint[])
    ORDER BY x.published_at DESC, x.id DESC LIMIT %(per_category)s))
  FROM articles_category s WHERE s.id = ANY(%(categories)s::integer[]))
ORDER BY a.published_at DESC, a.id DESC
"""

FRONT_SQL = """
SELECT {card_columns}, a.is_featured,
  coalesce((SELECT sum(r.count) FROM articles_articlereads r
            WHERE r.article_id = a.id AND r.hour >= %(day)s), 0),
  coalesce((SELECT sum(r.count) FROM articles_articlereads r
            WHERE r.article_id = a.id AND r.hour >= %(week)s), 0),
  {category_columns}
FROM articles_article a JOIN articles_category c ON c.id = a.category_id
WHERE a.status = %(status)s AND a.published_at <= %(now)s AND a.id IN (
  (SELECT f.id FROM articles_article f
   WHERE f.status = %(status)s AND f.published_at <= %(now)s AND f.is_featured
   ORDER BY f.published_at DESC, f.id DESC LIMIT %(featured)s)
  UNION (SELECT r.article_id FROM articles_articlereads r WHERE r.hour >= %(day)s
         GROUP BY r.article_id ORDER BY sum(r.count) DESC, r.article_id DESC LIMIT %(best)s)
  UNION (SELECT r.article_id FROM articles_articlereads r WHERE r.hour >= %(week)s
         GROUP BY r.article_id ORDER BY sum(r.count) DESC, r.article_id DESC LIMIT %(best)s))
"""


# A page of a category's list (the category and its sub-categories, newest first), as cards:
# what `newest_ids_in` and `for_cards` compile to, written out once (compiling them was two
# fifths of an uncached category page's Python time, issue 21). Each category of the family
# is a short index scan of its newest *stop* rows; the page is cut from those.
CATEGORY_PAGE_SQL = """
SELECT {card_columns}, {category_columns}
FROM articles_article a JOIN articles_category c ON c.id = a.category_id
WHERE a.id IN (
  SELECT page.id FROM (
    SELECT n.id, n.published_at FROM unnest(%(family)s::bigint[]) AS f(category_id)
    CROSS JOIN LATERAL (
      SELECT x.id, x.published_at FROM articles_article x
      WHERE x.status = %(status)s AND x.published_at <= %(now)s AND x.category_id = f.category_id
      ORDER BY x.published_at DESC, x.id DESC LIMIT %(stop)s) AS n
    ORDER BY n.published_at DESC, n.id DESC OFFSET %(start)s LIMIT %(rows)s) AS page)
ORDER BY a.published_at DESC, a.id DESC
"""


# A page of the newest articles (the home page's "more" list), as cards, the same way.
NEWEST_CARDS_SQL = """
SELECT {card_columns}, {category_columns}
FROM articles_article a JOIN articles_category c ON c.id = a.category_id
WHERE a.status = %(status)s AND a.published_at <= %(now)s
ORDER BY a.published_at DESC, a.id DESC OFFSET %(start)s LIMIT %(rows)s
"""


class _CardsStatement:
    """A statement of cards (`CARD_FIELDS` and the category's name, slug and parent, with
    *extra* columns between them) with positional parameters, to be prepared: the rows come
    back as articles with their category, the extra columns as attributes named *extra*."""

    def __init__(self, article_model: Any, sql: str, extra: Sequence[str] = ()) -> None:
        category = article_model._meta.get_field("category").related_model
        self.card = _Part(article_model, "a", only=CARD_FIELDS)
        self.category = _Part(category, "c", only=("name", "slug", "parent"))
        self.extra = list(extra)
        self.names: list[str] = []

        def position(match: re.Match) -> str:
            if match[1] not in self.names:
                self.names.append(match[1])
            return f"${self.names.index(match[1]) + 1}"

        sql = sql.format(card_columns=self.card.columns(), category_columns=self.category.columns())
        self.sql = re.sub(r"%\((\w+)\)s", position, sql)

    def rows(self, queryset: Any, name: str, values: dict[str, Any]) -> list[Any]:
        found = execute_prepared(queryset, name, self.sql, [values[n] for n in self.names])
        connection = connections[queryset.db]
        width, extra = len(self.card.fields), len(self.extra)
        category_field = queryset.model._meta.get_field("category")
        categories: dict[Any, Any] = {}
        articles = []
        for row in found:
            article = self.card.build(queryset.db, row[:width], connection)
            for attribute, value in zip(self.extra, row[width : width + extra], strict=True):
                setattr(article, attribute, value)
            key = row[width + extra]
            if key not in categories:
                categories[key] = self.category.build(queryset.db, row[width + extra :], connection)
            category_field.set_cached_value(article, categories[key])
            articles.append(article)
        return articles


_cards_statements: dict[tuple[Any, str], _CardsStatement] = {}


def _cards_statement(article_model: Any, sql: str, extra: Sequence[str] = ()) -> _CardsStatement:
    key = (article_model, sql)
    if key not in _cards_statements:
        _cards_statements[key] = _CardsStatement(article_model, sql, extra)
    return _cards_statements[key]


class Around(NamedTuple):
    """What an article page shows around its article (`ArticleQuerySet.around`)."""

    previous: Any
    next: Any
    related: list


# A sort key of a newest-first list: (published_at, pk).
SortKey = tuple[datetime, int]
# The ids of a page, for `filter(pk__in=...)`: a values() queryset or SQL of Django's making.
Ids = models.QuerySet | RawSQL
# A news sitemap lists the articles of the last two days.
NEWS_AGE = timedelta(days=2)

# Search snippets are highlighted within the opening of the body (about 450 words).
SEARCH_SNIPPET_FROM_CHARS = 3000


# --- The admin's search (issue 19) --------------------------------------------------------------


@receiver(connection_created)
def _sqlite_fold_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite runs `fold_for_search` as the SQL function `articles_fold`, the function
    PostgreSQL has from migration 0011: the same queries fold on both."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "articles_fold", 1, fold_for_search, deterministic=True
        )


@receiver(connection_created)
def _forget_prepared_statements(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A new database session has none of the statements an earlier one prepared."""
    connection.digest_prepared = set()


def execute_prepared(queryset: models.QuerySet, name: str, sql: str, params: Sequence) -> list:
    """PostgreSQL: the rows of *sql* (placeholders ``$1``, ``$2``, …) for *params*, through a
    statement PREPAREd once per database session as *name*: after its first executions
    PostgreSQL keeps a generic plan, so the statement is no longer planned each time (the
    article page's lookup: planning cost ten times its execution, issue 21). With
    ``DATABASE_PREPARED_STATEMENTS`` off, *sql* is sent as it is."""
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if not settings.DATABASE_PREPARED_STATEMENTS:
            cursor.execute(re.sub(r"\$\d+", "%s", sql), list(params))
            return cursor.fetchall()
        prepared = getattr(connection, "digest_prepared", None)
        if prepared is None:
            # Not known (a first execution failed, see below): the session says.
            cursor.execute("SELECT name FROM pg_prepared_statements")
            prepared = {row[0] for row in cursor.fetchall()}
            setattr(connection, "digest_prepared", prepared)  # noqa: B010 (this session's)
        placeholders = ", ".join(["%s"] * len(params))
        execute = f"EXECUTE {name}({placeholders})"
        if name in prepared:
            cursor.execute(execute, list(params))
            return cursor.fetchall()
        try:
            # *name* and *sql* are this module's constants; values come only as parameters.
            # Prepared and executed in one round trip (the rows are the EXECUTE's).
            cursor.execute(f"PREPARE {name} AS {sql}; {execute}", list(params))
        except Exception:
            # A PREPARE outlives an EXECUTE that failed: the next call asks the session.
            setattr(connection, "digest_prepared", None)  # noqa: B010
            raise
        prepared.add(name)
        return cursor.fetchall()


def editor_search_words(term: str) -> list[str]:
    """The words of an admin search (a quoted phrase is one word, as in Django's admin)."""
    words = []
    for word in smart_split(term or ""):
        quoted = len(word) > 1 and word[0] in "\"'" and word[-1] == word[0]
        word = unescape_string_literal(word) if quoted else word
        word = " ".join(word.split())
        if word.strip("\"'"):
            words.append(word)
    return words


class Folded(Func):
    """`articles_fold(field)`: the field as `fold_for_search` spells it."""

    function = "articles_fold"
    output_field = models.TextField()


def _folded(field: str, folded: str) -> Contains:
    """*field*, folded by `articles_fold`, contains the already folded *folded*."""
    return Contains(Folded(field), folded)


def _prefix_tsquery(word: str) -> str:
    """PostgreSQL: *word* as ``to_tsquery('digest', …)`` text finding the articles whose
    stored search vector (title, standfirst and body, every spelling: migration 0013) has a
    word beginning with each of its words, in any of their spellings (Erdogan finds Erdoğan,
    Susa finds Şuşa); "" when *word* has no letters ("%ff", "!!")."""

    def forms(token: str) -> str:
        return (
            "("
            + " | ".join(f"'{form}':*" for form in (token, *search_syntax.spellings(token)))
            + ")"
        )

    return " & ".join(forms(search_syntax.lower(token)) for token in search_syntax.words(word))


class AnyOf(Lookup):
    """``field__any_of=ids``: on PostgreSQL ``field = ANY(%s)``, the ids one array parameter,
    elsewhere Django's ``IN``. For the admin search's lists of thousands of ids: Django
    prepares and compiles an ``IN`` list value by value (about 100 ms a search page for a
    few thousand ids in six statements)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)


models.IntegerField.register_lookup(AnyOf)
models.ForeignKey.register_lookup(AnyOf)


class Names:
    """The people and outlets named *word* (folded, any part of the name), looked up once:
    their articles by byline, as translator or original author, or as the source outlet."""

    def __init__(self, word: str) -> None:
        from django.apps import apps

        folded = fold_for_search(word)
        self.byline_model = apps.get_model("articles", "Byline")
        self.translation_model = apps.get_model("articles", "Translation")
        self.author_ids = list(
            apps.get_model("articles", "Author")
            .objects.filter(_folded("name", folded))
            .values_list("pk", flat=True)
        )
        self.source_ids = list(
            apps.get_model("articles", "Source")
            .objects.filter(_folded("name", folded))
            .values_list("pk", flat=True)
        )

    def condition(self) -> Q:
        """The articles, as a condition on them. For a word that names nobody, no join of
        the articles to their translations (that cost 400-500 ms at a million)."""
        condition = Q(pk__in=[])
        if self.author_ids:
            condition |= (
                Q(pk__in=self.bylines().values("article_id"))
                | Q(translation__translator_id__in=self.author_ids)
                | Q(translation__original_author_id__in=self.author_ids)
            )
        if self.source_ids:
            condition |= Q(translation__source_id__in=self.source_ids)
        return condition

    def article_ids(self, limit: int, among: Iterable[int] | None = None) -> set[int]:
        """Up to *limit* of the articles' ids (of those *among*, if given), read from the
        bylines and translations themselves: no walk of the articles."""
        found: set[int] = set()
        left = None if among is None else set(among)
        for named in (self.bylines(), self.translations()):
            if named is None or left == set():
                continue
            if left is not None:
                named = named.filter(article_id__any_of=left)
            ids = set(named.values_list("article_id", flat=True)[:limit])
            found |= ids
            if left is not None:
                left -= ids  # the translations are asked only of those no byline named
        return found

    def bylines(self) -> Any:
        return self.byline_model.objects.filter(author_id__in=self.author_ids).order_by()

    def translations(self) -> Any:
        condition = Q()
        if self.author_ids:
            condition |= Q(translator_id__in=self.author_ids)
            condition |= Q(original_author_id__in=self.author_ids)
        if self.source_ids:
            condition |= Q(source_id__in=self.source_ids)
        if not condition:
            return None
        return self.translation_model.objects.filter(condition).order_by()


# How a word matches (`ArticleQuerySet._editor_word_kinds`): in the search vector, by name,
# as a folded title fragment.
_Kind = tuple[Q | None, Names, Q | None]

# A word of an admin search in few texts may give the candidates from up to this many times
# as many names and title matches (`ArticleQuerySet._editor_search_postgresql`).
DRIVER = 4


def names_matching(word: str) -> Q:
    """Articles one of whose people or outlet is named *word* (`Names`)."""
    return Names(word).condition()


def _plain_text_postgresql(html: Any) -> Any:
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


def _hour_of(moment: datetime) -> datetime:
    """The start of *moment*'s hour (`ArticleReadsQuerySet.since`)."""
    return moment.replace(minute=0, second=0, microsecond=0)


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


def _table_estimate_postgresql(queryset: models.QuerySet) -> int:
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        return cursor.fetchone()[0]


def counted(queryset: models.QuerySet, cap: int) -> tuple[int, bool]:
    """(how many rows *queryset* holds, whether that is exact). Exact when it is cheap: up to
    *cap* rows, and on databases without planner statistics (SQLite sites are small). Past the
    cap on PostgreSQL, the planner's estimate: the table's for the whole table, else the
    plan's for this query (issue 19: a filtered list no longer stops at cap + 1), never below
    the cap + 1 rows known to be there."""
    if getattr(queryset.query, "broad_search", False) and on_postgresql(queryset):
        # An admin search whose every word matches thousands (`editor_search`).
        return max(_plan_estimate_postgresql(queryset), cap + 1), False
    capped = queryset.order_by().values("pk")[: cap + 1].count()
    if capped <= cap:
        return capped, True
    if not on_postgresql(queryset):
        return queryset.order_by().count(), True
    if not queryset.query.where:
        return max(_table_estimate_postgresql(queryset), capped), False
    return max(_plan_estimate_postgresql(queryset), capped), False


def _plan_estimate_postgresql(queryset: models.QuerySet) -> int:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        # Django's compiled SQL of the queryset above; values stay parameters.
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # pragma: no cover - psycopg decodes JSON itself
        import json

        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class VendorQuerySet(models.QuerySet):
    """A queryset that knows whether its database is PostgreSQL (for the twins above)."""

    def on_postgresql(self) -> bool:
        return on_postgresql(self)

    def estimated_count(self, cap: int) -> int:
        return estimated_count(self, cap)

    def counted(self, cap: int) -> tuple[int, bool]:
        return counted(self, cap)

    def on_sqlite(self) -> bool:
        return connections[self.db].vendor == "sqlite"


class CategoryQuerySet(VendorQuerySet):
    def in_menu(self) -> "CategoryQuerySet":
        """Categories shown in the site menu, in menu order."""
        return self.filter(is_in_menu=True)

    def top_level(self) -> "CategoryQuerySet":
        return self.filter(parent__isnull=True)


class ShownQuerySet(VendorQuerySet):
    """Tags, authors and source outlets: public once a published article names them (issue
    16). One made for a draft or a scheduled piece (by an editor, the importer) would otherwise
    give away that piece before its time: a page, a feed, a name in a sitemap.

    `links` names, for the model, the link tables to its articles: (related name, the link's
    field pointing at the article).
    """

    links: tuple[tuple[str, str], ...] = ()

    def shown(self) -> "ShownQuerySet":
        """The rows a published article links to."""
        condition: Any = Q()
        for name, article_field in self.links:
            field: Any = self.model._meta.get_field(name)
            link_model: Any = field.related_model
            if field.many_to_many:
                link_model = field.through
                own = field.field.m2m_reverse_field_name()
                article_field = field.field.m2m_field_name()
            else:
                own = field.field.name
            rows = link_model.objects.filter(
                published_filter(prefix=f"{article_field}__"), **{own: OuterRef("pk")}
            )
            condition |= Exists(rows)
        return self.filter(condition)


class TagQuerySet(ShownQuerySet):
    links = (("tagged_articles", "content_object"),)


class AuthorQuerySet(ShownQuerySet):
    links = (("articles", "article"), ("translations", "article"), ("original_works", "article"))

    def in_byline_order(self) -> "AuthorQuerySet":
        """An article's authors in their byline's order (`Article.authors` reads this way by
        itself, prefetched too: see `AuthorManager`). Only over one article's or a prefetch's
        authors, whose join to the byline this ordering reuses."""
        return self.order_by("bylines__position", "bylines__pk")


class SourceQuerySet(ShownQuerySet):
    links = (("translations", "article"),)


class ArticleQuerySet(VendorQuerySet):
    # --- Who may see what ------------------------------------------------------------------

    def published(self, now: datetime | None = None) -> "ArticleQuerySet":
        """What readers may see: published, with a publication time not in the future.

        A scheduled article is a published one whose time has not come; it appears on its
        own at that time, with no job to run.
        """
        return self.filter(published_filter(now=now))

    def published_count(
        self, category_ids: Sequence[int] | None = None, now: datetime | None = None
    ) -> int:
        """How many articles readers may see (of *category_ids*, or all): the published ones
        the database tallies per category (`PublishedTally`, kept by triggers) less those
        whose time has not come (a range of the publication-time index). Counting them row
        by row cost 70 ms at a million articles, paid by every list after every publish
        (issue 21). Reads the whole table: the queryset's own filters play no part."""
        from django.apps import apps

        connection = connections[self.db]
        quote = connection.ops.quote_name
        tally = quote(apps.get_model("articles", "PublishedTally")._meta.db_table)
        articles = quote(self.model._meta.db_table)
        moment = connection.ops.adapt_datetimefield_value(now or timezone.now())
        among, ids = "", []
        if category_ids is not None:
            ids = [int(pk) for pk in category_ids]
            among = f" AND category_id IN ({', '.join(['%s'] * len(ids))})" if ids else " AND 1=0"
        # One statement, in plain SQL (the ORM's aggregate cost more to compile than to run
        # after every publish): the tally's sum less the waiting ones' count.
        sql = (
            f"SELECT COALESCE((SELECT SUM(total) FROM {tally} WHERE 1=1{among}), 0) - "  # noqa: S608  # nosec B608
            f"(SELECT COUNT(*) FROM {articles} WHERE status = %s AND published_at > %s{among})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ids, ArticleStatus.PUBLISHED, moment, *ids])
            (seen,) = cursor.fetchone()
        return max(0, int(seen))

    def refresh_published_tally(self) -> None:
        """Count the published tally (`PublishedTally`) again from the articles, for a loader
        that wrote rows past the triggers (bench/demo.py's COPY as a replica)."""
        from django.apps import apps

        tally = apps.get_model("articles", "PublishedTally")
        counted = (
            self.model._base_manager.using(self.db)
            .filter(status=ArticleStatus.PUBLISHED, published_at__isnull=False)
            .order_by()
            .values("category_id")
            .annotate(total=Count("pk"))
        )
        with transaction.atomic(using=self.db):
            tally.objects.using(self.db).all().delete()
            tally.objects.using(self.db).bulk_create(tally(**row) for row in counted)

    def scheduled(self, now: datetime | None = None) -> "ArticleQuerySet":
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__gt=now or timezone.now())

    # --- Filters -----------------------------------------------------------------------------

    def by_author(self, author: models.Model) -> "ArticleQuerySet":
        return self.filter(authors=author)

    def from_source(self, source: models.Model) -> "ArticleQuerySet":
        return self.filter(translation__source=source)

    def tagged(self, tag: models.Model) -> "ArticleQuerySet":
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

    def periods_with_articles(self, periods: Sequence[tuple[date, date]]) -> list[bool]:
        """For each (start, end) pair of local dates, whether any of these articles was
        published in it: one query, an index probe per period (`EXISTS … LIMIT 1`)."""
        if not periods:
            return []
        probes = {f"p{n}": Exists(self.between(*period)) for n, period in enumerate(periods)}
        row = self._probe(**probes)
        return [bool(found) for found in row] if row else [False] * len(periods)

    def _probe(self, **expressions: Any) -> Any:
        """The values of *expressions* (subqueries), read in one query hung on one row of the
        table; None when the table is empty (and nothing can be found)."""
        rows = self.model._base_manager.order_by().annotate(**expressions)
        return rows.values_list(*expressions).first()

    # --- Order and shape -------------------------------------------------------------------

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by(*NEWEST_FIRST)

    def after(self, key: SortKey) -> "ArticleQuerySet":
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

    def page_article(self, slug: str) -> Any:
        """The published article *slug* as its page shows it (`for_page`: its category and
        the parent, its provenance with the outlet and people it names) with its tags
        (``article.tags.all()`` reads no more), or None.

        PostgreSQL reads all of it in one prepared statement (`_page_article_postgresql`);
        elsewhere `for_page` and the tags are two."""
        if self.on_postgresql():
            return self._page_article_postgresql(slug)
        return self._page_article_portable(slug)

    def _page_article_portable(self, slug: str) -> Any:
        article = self.published().for_page().filter(slug=slug).first()
        if article is not None:
            _keep_tags(article, list(article.tags.all()))
        return article

    def _page_article_postgresql(self, slug: str) -> Any:
        page = _article_page_statement(self.model)
        rows = execute_prepared(
            self, "digest_article_page", page.sql,
            [slug, ArticleStatus.PUBLISHED, timezone.now()],
        )  # fmt: skip
        return page.build(self.db, rows[0], connections[self.db]) if rows else None

    def keep_bylines(self, articles: Sequence[Any]) -> None:
        """Read the bylines of *articles* (cards): from now on ``article.authors.all()`` gives
        each one's authors, in their byline's order, with no further query.

        PostgreSQL reads them in one prepared statement (`BYLINES_SQL`: the ORM's prefetch
        cost more to compile than to run, a sixth of the first pages after a publication,
        issue 21); elsewhere Django's prefetch does."""
        articles = [a for a in articles if "authors" not in _prefetched(a)]
        if not articles:
            return
        if not self.on_postgresql():
            prefetch_related_objects(articles, "authors")
            return
        author_model: Any = self.model._meta.get_field("authors").related_model
        rows = execute_prepared(
            self, "digest_bylines", _bylines_sql(self.model), [[a.pk for a in articles]]
        )
        by_article: dict[int, list] = {a.pk: [] for a in articles}
        for article_id, *values in rows:
            by_article[article_id].append(
                author_model.from_db(self.db, ["id", "name", "slug", "kind"], values)
            )
        for article in articles:
            _keep_related(article, "authors", author_model, by_article[article.pk])

    # --- Lists of a million-article archive -----------------------------------------------

    def with_ids_in(self, *ids: models.QuerySet) -> "ArticleQuerySet":
        """The rows whose id one of *ids* (querysets of one column of ids, each maybe ordered
        and limited) gives."""
        if self.on_postgresql():
            return self._with_ids_in_postgresql(ids)
        return self._with_ids_in_portable(ids)

    def _with_ids_in_postgresql(self, ids: Sequence[models.QuerySet]) -> "ArticleQuerySet":
        """One IN over a UNION: ORed IN conditions have PostgreSQL test every published
        article against each (a sequential scan: 480 ms at 100,000 articles for the home
        page's front, the first request after every publish; issue 21); this reads the ids."""
        return self.filter(pk__in=ids[0].union(*ids[1:]))

    def _with_ids_in_portable(self, ids: Sequence[models.QuerySet]) -> "ArticleQuerySet":
        # SQLite allows no LIMIT in a UNION's parts.
        condition = Q()
        for rows in ids:
            condition |= Q(pk__in=rows)
        return self.filter(condition)

    def newest_in_each(self, category_ids: Iterable[int], per_category: int) -> "ArticleQuerySet":
        """The newest *per_category* articles of each of *category_ids*, in one query."""
        category_ids = list(category_ids)
        if not category_ids:
            return self.none()
        if self.on_postgresql():
            return self._newest_in_each_postgresql(category_ids, per_category)
        return self._newest_in_each_portable(category_ids, per_category)

    def cards_newest_in_each(
        self, category_ids: Iterable[int], per_category: int, exclude: Iterable[int] = ()
    ) -> list:
        """``published().for_cards().newest_in_each(...)`` as a list: the newest
        *per_category* cards readers may see of each of *category_ids* but the articles
        *exclude* lists, newest first; on PostgreSQL one prepared statement (`SECTIONS_SQL`)."""
        category_ids, exclude = list(category_ids), sorted(exclude)
        if not category_ids or not self.on_postgresql():
            rows = self.published().for_cards().exclude(pk__in=exclude)
            return list(rows.newest_in_each(category_ids, per_category))
        statement = _cards_statement(self.model, SECTIONS_SQL)
        values = {
            "status": ArticleStatus.PUBLISHED, "now": timezone.now(),
            "per_category": per_category, "categories": category_ids, "placed": exclude,
        }  # fmt: skip
        return statement.rows(self, "digest_home_sections", values)

    def newest_cards_in(self, category_ids: Iterable[int], start: int, stop: int) -> list | None:
        """Rows *start* to *stop* of the published articles of *category_ids*, newest
        first, as cards (``published().for_cards().filter(pk__in=newest_ids_in(...))``): on
        PostgreSQL one prepared statement (`CATEGORY_PAGE_SQL`); None elsewhere, where the
        queryset is the way."""
        if not self.on_postgresql():
            return None
        statement = _cards_statement(self.model, CATEGORY_PAGE_SQL)
        values = {
            "family": list(category_ids), "status": ArticleStatus.PUBLISHED,
            "now": timezone.now(), "start": start, "stop": stop, "rows": max(stop - start, 0),
        }  # fmt: skip
        return statement.rows(self, "digest_category_page", values)

    def newest_cards(self, start: int, stop: int) -> list | None:
        """Rows *start* to *stop* of the published articles, newest first, as cards
        (``published().for_cards().newest_first()[start:stop]``): on PostgreSQL one prepared
        statement (`NEWEST_CARDS_SQL`); None elsewhere, where the queryset is the way."""
        if not self.on_postgresql():
            return None
        statement = _cards_statement(self.model, NEWEST_CARDS_SQL)
        values = {
            "status": ArticleStatus.PUBLISHED, "now": timezone.now(), "start": start,
            "rows": max(stop - start, 0),
        }  # fmt: skip
        return statement.rows(self, "digest_newest_cards", values)

    def front_cards(
        self, featured: int, best: int, day: datetime, week: datetime, now: datetime | None = None
    ) -> list:
        """The home page's front candidates as cards (`articles.home.front_candidates`): the
        newest *featured* featured ones and the *best* most read from the hours of *day* and
        of *week* on, each with ``featured_flag``, ``read_day`` and ``read_week``, in no
        order; on PostgreSQL one prepared statement (`FRONT_SQL`)."""
        from django.apps import apps

        now = now or timezone.now()
        reads = apps.get_model("articles", "ArticleReads").objects
        if not self.on_postgresql():
            published = self.published(now)
            newest_featured = published.featured().newest_first().values("pk")[:featured]
            return list(
                published.for_cards()
                .with_ids_in(newest_featured, reads.best(day, best), reads.best(week, best))
                .annotate(
                    featured_flag=F("is_featured"),
                    read_day=reads.total(day),
                    read_week=reads.total(week),
                )
                .order_by()
            )
        statement = _cards_statement(
            self.model, FRONT_SQL, extra=("featured_flag", "read_day", "read_week")
        )
        values = {
            "status": ArticleStatus.PUBLISHED, "now": now, "featured": featured, "best": best,
            "day": _hour_of(day), "week": _hour_of(week),
        }  # fmt: skip
        return statement.rows(self, "digest_home_front", values)

    def _newest_in_each_postgresql(
        self, category_ids: list[int], per_category: int
    ) -> "ArticleQuerySet":
        """Each category is its own short index scan (an array subquery per category,
        unnested), however big the archive, in SQL that stays short however many categories
        there are."""
        category_model: Any = self.model._meta.get_field("category").related_model
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

    def _newest_in_each_portable(
        self, category_ids: list[int], per_category: int
    ) -> "ArticleQuerySet":
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

    def newest_ids_in(
        self, category_ids: Iterable[int], start: int, stop: int, after: SortKey | None = None
    ) -> Ids:
        """Rows *start* to *stop* of the articles of *category_ids*, newest first, as their
        ids, for ``filter(pk__in=...)``: a page read from the indexes alone. With *after*, a
        sort key (published_at, pk), rows are counted from just after it (a deep page's
        anchor, articles/pagination.py)."""
        category_ids = list(category_ids)
        rows = self if after is None else self.after(after)
        if len(category_ids) > 1 and self.on_postgresql():
            return rows._newest_ids_in_postgresql(category_ids, start, stop)
        return rows._newest_ids_in_portable(category_ids, start, stop)

    def _newest_ids_in_postgresql(self, category_ids: list[int], start: int, stop: int) -> Ids:
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
        return RawSQL(f"SELECT page.id FROM ({sql}) AS page(id, published_at)", params)  # noqa: S608, S611 # nosec B608 B611

    def _newest_ids_in_portable(self, category_ids: list[int], start: int, stop: int) -> Ids:
        page = self.filter(category_id__in=category_ids).order_by(*NEWEST_FIRST)
        return page.values("pk")[start:stop]

    def newest_ids_linked(
        self, links: models.QuerySet, start: int, stop: int, after: SortKey | None = None
    ) -> Ids:
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

    def _newest_ids_linked_postgresql(self, links: models.QuerySet, start: int, stop: int) -> Ids:
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

    def _newest_ids_linked_portable(
        self, links: models.QuerySet | RawSQL, start: int, stop: int
    ) -> Ids:
        return self.filter(pk__in=links).order_by(*NEWEST_FIRST).values("pk")[start:stop]

    def newest_of_links(self, limit: int, **links: models.QuerySet) -> list:
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

    def newest_linked(self, links: models.QuerySet, limit: int) -> "ArticleQuerySet":
        """The newest *limit* of these articles that *links* point at (`newest_ids_linked`)."""
        return self.filter(pk__in=self.newest_ids_linked(links, 0, limit))

    # --- Around one article ----------------------------------------------------------------

    def related_to(self, article: Any, tag_ids: Sequence[int], limit: int = 4) -> "ArticleQuerySet":
        """ "You might also like": articles sharing the most tags with *article* first, then
        ones from its category, newest first; never *article* itself."""
        if self.on_postgresql():
            return self._related_to_postgresql(article, tag_ids, limit)
        return self._related_to_portable(article, tag_ids, limit)

    def _related_to_portable(
        self, article: Any, tag_ids: Sequence[int], limit: int
    ) -> "ArticleQuerySet":
        shared = Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
        return (
            self.exclude(pk=article.pk)
            .filter(Q(tagged_items__tag_id__in=tag_ids) | Q(category_id=article.category_id))
            .annotate(shared_tags=shared)
            .order_by("-shared_tags", "-published_at", "-pk")
            .distinct()[:limit]
        )

    def _related_to_postgresql(
        self, article: Any, tag_ids: Sequence[int], limit: int
    ) -> "ArticleQuerySet":
        """The candidates are bounded, so a page costs the same with a million articles: the
        newest `RELATED_PER_TAG` articles (by id) of each of the article's tags and the newest
        *limit* of its category; only those are ranked, by their ids and dates alone (a count
        of tag links each), and only the *limit* best are read whole."""
        ordering = ("-shared_tags", "-published_at", "-pk")
        tag_link_model: Any = self.model._meta.get_field("tagged_items").related_model
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

    def around(self, article: Any, tag_ids: Sequence[int], limit: int = 4) -> Around:
        """What *article*'s page shows around it, of the published articles: the previous
        (older) and next (newer) of its category (`neighbours_of`, none for an article never
        published) and the *limit* related ones (`related_to`), as cards.

        PostgreSQL answers all three in one statement (`AROUND_SQL`: a third of an article
        page's statements, and no ORM to compile: issue 21); elsewhere two."""
        if self.on_postgresql():
            return self._around_postgresql(article, tag_ids, limit)
        return self._around_portable(article, tag_ids, limit)

    def _around_portable(self, article: Any, tag_ids: Sequence[int], limit: int) -> Around:
        published = self.published()
        previous, following = (
            published.neighbours_of(article) if article.published_at else (None, None)
        )
        related = list(published.for_cards().related_to(article, tag_ids, limit))
        return Around(previous, following, related)

    def _around_postgresql(self, article: Any, tag_ids: Sequence[int], limit: int) -> Around:
        statement = _around_statement(self.model)
        values = {
            "tags": list(tag_ids), "id": article.pk, "per_tag": RELATED_PER_TAG,
            "status": ArticleStatus.PUBLISHED, "now": timezone.now(), "limit": limit,
            "category": article.category_id, "at": article.published_at,
        }  # fmt: skip
        rows = execute_prepared(
            self, "digest_article_around", statement.sql, [values[n] for n in statement.names]
        )
        found: Around = Around(None, None, [])
        categories: dict[int, Any] = {}
        card, category_part = statement.parts
        connection = connections[self.db]
        for row in rows:
            width = len(card.fields)
            item = card.build(self.db, row[:width], connection)
            role, item.shared_tags = row[width], row[width + 1]
            category_id = row[width + 2]
            if category_id not in categories:
                categories[category_id] = category_part.build(self.db, row[width + 2 :], connection)
            category_field: Any = self.model._meta.get_field("category")
            category_field.set_cached_value(item, categories[category_id])
            if role == 1:
                found = found._replace(previous=item)
            elif role == 2:
                found = found._replace(next=item)
            else:
                found.related.append(item)
        return found

    def neighbours_of(self, article: Any) -> tuple[Any, Any]:
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

    def _search_postgresql(self, parsed: Any, ranked: int | None) -> "ArticleQuerySet":
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
                # One fragment around the best match: the same snippet in a third less time
                # than the default's scoring of every cover (9.5 -> 5.9 ms for a page of 20).
                max_fragments=1,
            ),
        ).order_by("-rank", "-published_at", "-pk")

    def _search_sqlite(self, parsed: Any, ranked: int | None) -> "ArticleQuerySet":
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

    def _search_candidates_sqlite(self, match: str, limit: int) -> list[int]:
        """SQLite: the ids of up to *limit* articles (of any status) the index matches."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"{search_syntax.SQLITE_MATCHES} LIMIT %s", [match, limit])
            return [row[0] for row in cursor.fetchall()]

    def _search_portable(self, parsed: Any, ranked: int | None) -> "ArticleQuerySet":
        """Any other database: each word (in any of its spellings) or phrase as a substring
        of the title, standfirst or body, newest first; no snippets."""

        def contains(term: str) -> Q:
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

    def refresh_search_index(self, articles: Iterable[Any] | None = None) -> None:
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
        """The admin's search for *term*: every word of it (a quoted phrase is one) in the
        title, standfirst or body, or in the name of an author, translator, original author or
        source outlet of the piece, whatever the spelling: diacritics and the press's
        transliteration are folded on both sides (`articles.text.fold_for_search`: Erdogan
        finds Erdoğan, Susa and Shusha find Şuşa). Issue 19."""
        words = editor_search_words(term)
        if not words:
            return self
        if self.on_postgresql():
            return self._editor_search_postgresql(words, few)
        return self._editor_search_portable(words)

    def _editor_search_portable(self, words: list[str]) -> "ArticleQuerySet":
        """Every word a substring of the folded title, standfirst or body, or of a folded
        name (as Django's admin search does, through the `articles_fold` function)."""
        condition = Q()
        for word in words:
            folded = fold_for_search(word)
            condition &= (
                Q(_folded("title", folded))
                | Q(_folded("standfirst", folded))
                | Q(_folded("body", folded))
                | names_matching(word)
            )
        return self.filter(condition)

    def _editor_search_postgresql(self, words: list[str], few: int) -> "ArticleQuerySet":
        """Indexes instead of three scans over a million bodies: for each word, the
        trigger-kept search vector of the public search (a word's beginning, stemmed, in any
        spelling: "pipelines" finds "pipeline", Susa finds Şuşa), the names (small tables,
        looked up once per word) and a folded title fragment (a trigram index, migration 0011).

        PostgreSQL cannot tell how many rows such conditions match, and when it guesses many
        it walks the newest-first index testing every row (3.5 s at a million articles for a
        fragment in 144 titles). So each word's matches are read from the indexes, up to
        *few*, the cheapest first and no further once they pass *few*: the words with few
        matches give the candidates, and the others are tested on those few only, each way
        on the ones no earlier way found (the list's count is then exact and costs nothing).
        Words that all match thousands are intersected in the search index; only when that
        too finds thousands is the newest-first list walked (it soon fills a page) and the
        count the planner's estimate."""
        kinds = [(word, self._editor_word_kinds(word)) for word in words]
        if len(kinds) > 1 and all(kind[0] is not None for _, kind in kinds):
            # The words together first: one search of the index, no probe of each word.
            together = self._all_in_the_index(kinds, few)
            if together is not None:
                return self._among_ids(together)
        candidates: set[int] | None = None
        many: list[tuple[str, _Kind]] = []
        in_text: dict[int, set[int] | None] = {}  # a many word's few matches in the text
        for word, kind in kinds:
            text = self._in_text(kind, few)
            found = None if text is None else self._few_matching(kind, few, text)
            if found is None:
                in_text[len(many)] = text
                many.append((word, kind))
            else:
                candidates = found if candidates is None else candidates & found
        if candidates is None:
            # A word in few texts but many names or titles ("Yuyogoabad Info": the outlet's
            # 5,500 pieces, the word in no text) drives, up to a few times *few*, read from
            # the link tables and indexes, instead of a walk testing 18,000 rows (600 ms).
            for n, (_, kind) in enumerate(many):
                text = in_text[n]
                found = None if text is None else self._few_matching(kind, DRIVER * few, text)
                if found is not None:
                    candidates = found
                    del many[n]
                    break
        if candidates is not None:
            for _, kind in many:
                candidates = self._matching_among(candidates, kind)
            return self._among_ids(candidates)
        rows = self
        for _, kind in many:
            rows = rows.filter(self._any_of(kind))
        # Every word matches thousands: counting them row by row would cost seconds, so
        # `counted` gives the planner's estimate.
        rows.query.broad_search = True  # type: ignore[attr-defined]
        return rows

    def _among_ids(self, ids: set[int]) -> "ArticleQuerySet":
        """The rows of *ids*, marked for the change list to read a page's ids first
        (`CappedCountPaginator`): walking the newest-first index for them then needs no row
        of the table (for an author's 3,277 pieces PostgreSQL fetched 16,847 rows to test
        their ids: 60-560 ms)."""
        rows = self.filter(pk__any_of=ids)
        rows.query.ids_first = True  # type: ignore[attr-defined]
        return rows

    def _in_text(self, kind: "_Kind", few: int) -> set[int] | None:
        """The ids of the rows with a word (*kind*) in their text (the search vector, read
        from its index), or None when they are more than *few*."""
        vector = kind[0]
        if vector is None:
            return set()
        found = set(self._from_index(self.filter(vector), few + 1))
        return found if len(found) <= few else None

    def _few_matching(self, kind: "_Kind", few: int, text: set[int]) -> set[int] | None:
        """The ids of the rows a word matches in any way (*kind*, `_editor_word_kinds`), or
        None when they are more than *few*: those with it in their text (*text*, `_in_text`),
        then the names, then the title fragment, each read from its index and none once the
        rows pass *few*."""
        _, names, title = kind
        found = set(text)
        if len(found) <= few:
            found.update(names.article_ids(few + 1))
        if len(found) <= few and title is not None:
            found.update(self.filter(title).order_by().values_list("pk", flat=True)[: few + 1])
        return found if len(found) <= few else None

    def _all_in_the_index(self, many: list, few: int) -> set[int] | None:
        """For words that each match more than *few* texts: the rows matching all of them,
        when they are at most *few*, else None. The rows with every word in their text come
        from one search of the index (walking the newest-first list took 7 s for "pipeline
        corridor" at a million articles); any other row matches some word by a name or the
        title, so it is among those words' few name and title matches."""
        together = SearchQuery(
            " & ".join(f"({_prefix_tsquery(word)})" for word, _ in many),
            config=search_syntax.CONFIG,
            search_type="raw",
        )
        matched = set(self._from_index(self.filter(search_vector=together), few + 1))
        if len(matched) > few:
            return None
        beside: set[int] = set()
        own: list[set[int]] = []  # each word's own name and title matches
        for _, (_, names, title) in many:
            found = names.article_ids(few + 1)
            if title is not None and len(found) <= few:
                found.update(self.filter(title).order_by().values_list("pk", flat=True)[: few + 1])
            own.append(found)
            beside |= found
            if len(beside) > few:
                return None
        beside -= matched
        for (_, kind), known in zip(many, own, strict=True):
            # A word is asked only of the rows its own names and title did not give.
            beside = (beside & known) | self._matching_among(beside - known, kind)
        return matched | beside

    def _matching_among(self, ids: set[int], kind: "_Kind") -> set[int]:
        """Those of *ids* that a word matches (*kind*): by name first (a lookup in the
        bylines and translations), then in the text, then in the title (folded row by row),
        each asked only of the rows no earlier way found."""
        vector, names, title = kind
        matched = names.article_ids(len(ids), among=ids) & ids if ids else set()
        left = ids - matched
        for way in (vector, title):
            if way is None or not left:
                continue
            rows = self.filter(pk__any_of=left).filter(way).order_by()
            hit = set(rows.values_list("pk", flat=True))
            matched |= hit
            left -= hit
        return matched

    def _any_of(self, kind: "_Kind") -> Q:
        """A word (*kind*) matching in any way, tested row by row while walking the
        newest-first list: the names and the title first (a row's search vector is read
        from its TOAST table)."""
        vector, names, title = kind
        condition = Q()
        for way in (names.condition(), title, vector):
            if way is not None:
                condition |= way
        return condition

    def _from_index(self, rows: "ArticleQuerySet", limit: int) -> list[int]:
        """The ids of up to *limit* of *rows* (a search-vector condition), read from the
        index: PostgreSQL cannot estimate how many rows a prefix search ('susa':*) matches,
        and with a LIMIT it read the whole table for a word in one article (14 s at a million
        articles)."""
        with transaction.atomic(using=rows.db), connections[rows.db].cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            ids = list(rows.order_by().values_list("pk", flat=True)[:limit])
            # Back as it was: inside a longer transaction (the change list runs in
            # django-reversion's) a sequential scan stays ruled out until it ends, and its
            # penalty makes PostgreSQL JIT-compile a scan of a 60-row table (25 ms a name).
            cursor.execute("SET LOCAL enable_seqscan = DEFAULT")
        return ids

    def _editor_word_kinds(self, word: str) -> "_Kind":
        """The ways *word* matches, each answered by an index: (in the search vector, or None
        when it has no letters; in the names, looked up now; as a folded title fragment, or
        None when shorter than a trigram)."""
        folded = fold_for_search(word)
        title = Q(_folded("title", folded)) if len(folded) >= 3 else None
        query = _prefix_tsquery(word)
        vector = (
            Q(search_vector=SearchQuery(query, config=search_syntax.CONFIG, search_type="raw"))
            if query
            else None
        )
        return vector, Names(word), title

    def _editor_word_conditions(self, word: str) -> list[Q]:
        """The ways *word* may match (`_editor_word_kinds`), the search vector first."""
        vector, names, title = self._editor_word_kinds(word)
        return [way for way in (vector, names.condition(), title) if way is not None]


# --- An article page's one statement (issue 21) --------------------------------------------------


def _prefetched(article: Any) -> dict:
    return article.__dict__.get("_prefetched_objects_cache") or {}


_bylines_statements: dict[Any, str] = {}


def _bylines_sql(article_model: Any) -> str:
    """The byline of each of some articles (``$1``, their ids), in order: `keep_bylines`."""
    if article_model not in _bylines_statements:
        through = article_model._meta.get_field("authors").remote_field.through
        people = article_model._meta.get_field("authors").remote_field.model._meta.db_table
        # Table names from the models' own meta; the ids stay a parameter.
        _bylines_statements[article_model] = (
            "SELECT b.article_id, w.id, w.name, w.slug, w.kind"  # noqa: S608  # nosec B608
            f" FROM {through._meta.db_table} b JOIN {people} w ON w.id = b.author_id"
            " WHERE b.article_id = ANY($1::bigint[]) ORDER BY b.article_id, b.position, b.id"
        )
    return _bylines_statements[article_model]


def _keep_related(article: Any, name: str, model: Any, rows: list) -> None:
    """*rows* as what ``article.<name>.all()`` returns from now on (a prefetch's cache)."""
    kept = model.objects.all()
    kept._result_cache, kept._prefetch_done = rows, True
    article.__dict__.setdefault("_prefetched_objects_cache", {})[name] = kept


def _keep_tags(article: Any, tags: list) -> None:
    """*tags* as what ``article.tags.all()`` returns from now on (a prefetch's cache)."""
    tag_model: Any = article._meta.get_field("tags").remote_field.model
    kept = tag_model.objects.all()
    kept._result_cache, kept._prefetch_done = tags, True
    if not hasattr(article, "_prefetched_objects_cache"):
        article._prefetched_objects_cache = {}
    article._prefetched_objects_cache["tags"] = kept


class _Part:
    """One model's columns in the article page's statement, under a table alias."""

    def __init__(
        self, model: Any, alias: str, skip: Sequence[str] = (), only: Sequence[str] = ()
    ) -> None:
        self.model, self.alias = model, alias
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in skip and (not only or f.primary_key or f.name in only)
        ]

    def columns(self) -> str:
        return ", ".join(f'{self.alias}."{f.column}"' for f in self.fields)

    def build(self, db: str, values: Sequence, connection: Any) -> Any:
        if values[0] is None:  # a LEFT JOIN that found nothing
            return None
        converted = []
        for field, value in zip(self.fields, values, strict=True):
            for converter in field.get_db_converters(connection):
                value = converter(value, field, connection)
            converted.append(value)
        return self.model.from_db(db, [f.attname for f in self.fields], converted)


class _ArticlePageStatement:
    """The article with its category, the parent, the provenance with its outlet and people,
    and its tags (as JSON, in their links' order), by slug among the published: the joins
    of `ArticleQuerySet.for_page` written out once per process, so neither Django (compiling)
    nor PostgreSQL (planning, once prepared) redoes them for every page."""

    def __init__(self, article_model: Any) -> None:
        meta = article_model._meta
        category = meta.get_field("category").related_model
        translation = meta.get_field("translation").related_model
        source = translation._meta.get_field("source").related_model
        author = translation._meta.get_field("translator").related_model
        self.tag_model = meta.get_field("tags").remote_field.model
        self.parts = [
            _Part(article_model, "a", skip=("search_vector", "search_head")),
            _Part(category, "c"), _Part(category, "p"), _Part(translation, "t"),
            _Part(source, "s"), _Part(author, "o"), _Part(author, "tr"),
        ]  # fmt: skip
        self.author_model = meta.get_field("authors").remote_field.model
        tags = self.tag_model._meta.db_table
        links = meta.get_field("tags").remote_field.through._meta.db_table
        bylines = meta.get_field("authors").remote_field.through._meta.db_table
        people = self.author_model._meta.db_table
        # Table and column names from the models' own meta; values stay parameters.
        self.sql = (
            f"SELECT {', '.join(part.columns() for part in self.parts)},"  # noqa: S608 # nosec B608
            f" (SELECT json_agg(json_build_array(g.id, g.name, g.slug) ORDER BY l.id)"
            f" FROM {links} l JOIN {tags} g ON g.id = l.tag_id"
            f" WHERE l.content_object_id = a.id)::text,"
            f" (SELECT json_agg(json_build_array(w.id, w.name, w.slug, w.kind)"
            f" ORDER BY b.position, b.id)"
            f" FROM {bylines} b JOIN {people} w ON w.id = b.author_id"
            f" WHERE b.article_id = a.id)::text"
            f" FROM {meta.db_table} a"
            f" JOIN {category._meta.db_table} c ON c.id = a.category_id"
            f" LEFT JOIN {category._meta.db_table} p ON p.id = c.parent_id"
            f" LEFT JOIN {translation._meta.db_table} t ON t.article_id = a.id"
            f" LEFT JOIN {source._meta.db_table} s ON s.id = t.source_id"
            f" LEFT JOIN {author._meta.db_table} o ON o.id = t.original_author_id"
            f" LEFT JOIN {author._meta.db_table} tr ON tr.id = t.translator_id"
            f" WHERE a.slug = $1 AND a.status = $2 AND a.published_at <= $3"
        )

    def build(self, db: str, row: Sequence, connection: Any) -> Any:
        import json

        values, start = [], 0
        for part in self.parts:
            values.append(part.build(db, row[start : start + len(part.fields)], connection))
            start += len(part.fields)
        article, category, parent, translation, source, original_author, translator = values
        meta = article._meta
        meta.get_field("category").set_cached_value(article, category)
        category._meta.get_field("parent").set_cached_value(category, parent)
        provenance = meta.get_field("translation")
        provenance.set_cached_value(article, translation)
        if translation is not None:
            fields = translation._meta
            fields.get_field("article").set_cached_value(translation, article)
            fields.get_field("source").set_cached_value(translation, source)
            fields.get_field("original_author").set_cached_value(translation, original_author)
            fields.get_field("translator").set_cached_value(translation, translator)
        tags = [
            self.tag_model.from_db(db, ["id", "name", "slug"], values)
            for values in json.loads(row[start] or "[]")
        ]
        _keep_tags(article, tags)
        # The byline in its order, as ``article.authors.all()`` reads it (what the page
        # shows of each: the name, the address and the kind, for the JSON-LD).
        authors = [
            self.author_model.from_db(db, ["id", "name", "slug", "kind"], values)
            for values in json.loads(row[start + 1] or "[]")
        ]
        _keep_related(article, "authors", self.author_model, authors)
        return article


class _AroundStatement:
    """`AROUND_SQL` with positional parameters (to be prepared) and the card's columns."""

    def __init__(self, article_model: Any) -> None:
        category = article_model._meta.get_field("category").related_model
        self.parts = [
            _Part(article_model, "a", only=CARD_FIELDS),
            _Part(category, "c", only=("name", "slug", "parent")),
        ]
        self.names: list[str] = []

        def position(match: re.Match) -> str:
            if match[1] not in self.names:
                self.names.append(match[1])
            return f"${self.names.index(match[1]) + 1}"

        sql = AROUND_SQL.format(
            card_columns=self.parts[0].columns(), category_columns=self.parts[1].columns()
        )
        self.sql = re.sub(r"%\((\w+)\)s", position, sql)


_around_statements: dict[Any, _AroundStatement] = {}


def _around_statement(article_model: Any) -> _AroundStatement:
    if article_model not in _around_statements:
        _around_statements[article_model] = _AroundStatement(article_model)
    return _around_statements[article_model]


_page_statements: dict[Any, _ArticlePageStatement] = {}


def _article_page_statement(article_model: Any) -> _ArticlePageStatement:
    if article_model not in _page_statements:
        _page_statements[article_model] = _ArticlePageStatement(article_model)
    return _page_statements[article_model]


# --- Most read (issue 18) ------------------------------------------------------------------------


class ArticleReadsQuerySet(models.QuerySet):
    """Readings counted per article and hour (`ArticleReads`)."""

    def since(self, moment: datetime) -> "ArticleReadsQuerySet":
        """The hours from the one holding *moment* on."""
        return self.filter(hour__gte=_hour_of(moment))

    def best(self, since: datetime, limit: int) -> models.QuerySet:
        """The ids of the *limit* most-read articles from the hour of *since* on, most read
        first (for ``pk__in``): an index range of the hours, summed per article."""
        return (
            self.since(since)
            .values("article_id")
            .annotate(total=Sum("count"))
            .order_by("-total", "-article_id")
            .values("article_id")[:limit]
        )

    def total(self, since: datetime) -> Coalesce:
        """An article's readings from the hour of *since* on, as an annotation of articles."""
        sums = (
            self.since(since)
            .filter(article_id=OuterRef("pk"))
            .values("article_id")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return Coalesce(Subquery(sums), 0)
