"""The newsroom's domain: categories, authors, source outlets, articles and their provenance,
and the site's identity."""

import math
from datetime import datetime, time, timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Left, RowNumber
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .cache import versioned
from .links import slug_path
from .text import count_words, slugify

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

# The order of every newest-first list (the indexes on published_at end with id for it).
NEWEST_FIRST = ("-published_at", "-pk")

# Search snippets are highlighted within the opening of the body (about 450 words).
SEARCH_SNIPPET_FROM_CHARS = 3000

# The biggest columns, which no list of articles shows: left in the table.
# What a card (templates/articles/_article_card.html, _compact_list.html) shows of an article.
CARD_FIELDS = (
    "title", "slug", "standfirst", "published_at", "reading_minutes", "category",
    "featured_image", "image_renditions", "image_width", "image_height",
)  # fmt: skip

# Paths a category slug may not take: the article URL is /<category>/<slug>/.
RESERVED_SLUGS = {
    "admin", "accounts", "api", "archive", "author", "authors", "category", "feeds", "feed",
    # The newsletter's pages (issue 20): /digest/<date>/ and /newsletter/….
    "digest", "newsletter",
    "healthz", "media", "pages", "preview", "readyz", "robots.txt", "search", "sitemap.xml",
    "sitemaps", "source", "sources", "static", "tag", "tags",
}  # fmt: skip


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    AZERBAIJANI = "az", "Azerbaijani"
    TURKISH = "tr", "Turkish"
    RUSSIAN = "ru", "Russian"
    PERSIAN = "fa", "Persian"
    ARABIC = "ar", "Arabic"
    GEORGIAN = "ka", "Georgian"
    ARMENIAN = "hy", "Armenian"
    UKRAINIAN = "uk", "Ukrainian"
    FRENCH = "fr", "French"
    GERMAN = "de", "German"
    SPANISH = "es", "Spanish"
    KAZAKH = "kk", "Kazakh"
    UZBEK = "uz", "Uzbek"
    CHINESE = "zh", "Chinese"
    HUNGARIAN = "hu", "Hungarian"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("created", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        abstract = True


class CategoryQuerySet(models.QuerySet):
    def in_menu(self):
        """Categories shown in the site menu, in menu order."""
        return self.filter(is_in_menu=True)

    def top_level(self):
        return self.filter(parent__isnull=True)


class SlugNaturalKeyMixin:
    """Fixtures refer to rows by slug, so they load into a database that has other rows."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CategoryManager(SlugNaturalKeyMixin, models.Manager.from_queryset(CategoryQuerySet)):
    pass


class SlugManager(SlugNaturalKeyMixin, models.Manager):
    pass


class Category(TimeStampedModel):
    MAX_DEPTH = 2

    name = models.CharField(max_length=100, help_text="As shown in the menu, e.g. “Energy”.")
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The address part, e.g. “energy” for /category/energy/. Changing it "
        "leaves redirects from the old addresses.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Leave empty for a top-level menu entry. Only two levels: a sub-category "
        "cannot have sub-categories.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the category page."
    )
    menu_order = models.PositiveIntegerField(
        default=0, db_index=True, help_text="Lower numbers come first in the menu."
    )
    is_in_menu = models.BooleanField("in menu", default=True)

    objects = CategoryManager()

    class Meta:
        ordering = ["menu_order", "name"]
        verbose_name = "category"
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="category_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def get_absolute_url(self):
        return slug_path("articles:category", slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is reserved for another page."})
        if self.parent_id is None:
            return
        ancestor = self.parent
        seen = {self.pk} if self.pk else set()
        depth = 1
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError(
                    {"parent": "A category cannot be inside itself or its own sub-category."}
                )
            seen.add(ancestor.pk)
            depth += 1
            ancestor = ancestor.parent
        if depth > self.MAX_DEPTH:
            raise ValidationError(
                {"parent": f"Categories nest at most {self.MAX_DEPTH} levels deep: "
                 f"“{self.parent.name}” is already a sub-category."}
            )  # fmt: skip
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This category has sub-categories, so it must stay top-level."}
            )

    def family_ids(self):
        """This category's id and its sub-categories' ids (a parent page lists both)."""
        return [self.pk, *self.children.values_list("pk", flat=True)]


class Author(TimeStampedModel):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=150, help_text="As in the byline, e.g. “Azer Aykhan”.")
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PERSON)
    bio = models.TextField(blank=True, help_text="A short paragraph for the author page.")
    photo = models.ImageField(upload_to="authors/%Y/", blank=True)
    website = models.URLField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff account that writes as this author, if any.",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "author"
        verbose_name_plural = "authors"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("articles:author", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class Source(TimeStampedModel):
    """An outlet pieces are translated or reprinted from (e.g. Globalinfo.az)."""

    name = models.CharField(max_length=150, help_text="As credited, e.g. “Globalinfo.az”.")
    slug = models.SlugField(max_length=160, unique=True)
    url = models.URLField("home page", blank=True, help_text="e.g. https://globalinfo.az/")
    language = models.CharField(max_length=8, choices=Language, blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "source outlet"
        verbose_name_plural = "source outlets"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("articles:source", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class Tag(TagBase):
    """A taggit tag whose slug transliterates (Erdoğan → erdogan) like every other slug."""

    class Meta:
        ordering = ["name"]
        verbose_name = "tag"
        verbose_name_plural = "tags"

    objects = SlugManager()

    def slugify(self, tag, i=None):
        slug = slugify(tag, max_length=90) or "tag"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return slug_path("articles:tag", slug=self.slug)

    def natural_key(self):
        return (self.slug,)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    # Indexed below together with the article: a tag's newest articles by id, from the index.
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_articles", db_index=False
    )

    class Meta:
        verbose_name = "article tag"
        verbose_name_plural = "article tags"
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_article_tag_idx")]
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tag_once_per_article")
        ]

    def __str__(self):
        # The tag's name: a revision keeps it as the link's description, so restoring can
        # find a tag deleted since by its name (see articles.admin.tags_relink_deleted).
        return self.tag.name


def published_filter(prefix="", now=None):
    """`ArticleQuerySet.published()` as a condition on the article at *prefix* (e.g.
    ``"article__"`` from a link table)."""
    return Q(**{
        f"{prefix}status": Article.Status.PUBLISHED,
        f"{prefix}published_at__lte": now or timezone.now(),
    })  # fmt: skip


def search_candidates(query, limit):
    """PostgreSQL: the ids of up to *limit* articles (of any status) whose search vector
    matches the reader's *query* (websearch syntax), read from the search index alone; None
    when the index cannot answer the query (only exclusions, only stop words).

    The planner guesses how many articles a query matches from statistics that know nothing
    of rare or unknown words: guessing many, it walks the newest-first index testing every
    article's vector (24 s for thirty unknown words OR-ed, at a million articles). The probe
    (the function of migration 0010) reads the GIN index whatever the guess; its answer says
    whether the matches are few (rank them all) or many (walk the newest of them).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN querytree(q) IN ('', 'T') THEN NULL"
            " ELSE ARRAY(SELECT articles_search_candidates(q, %s)) END"
            " FROM websearch_to_tsquery('english', %s) AS q",
            [limit, query],
        )
        (ids,) = cursor.fetchone()
    return ids


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What readers may see: published, with a publication time not in the future.

        A scheduled article is a published one whose time has not come; it appears on its
        own at that time, with no job to run.
        """
        return self.filter(published_filter(now=now))

    def scheduled(self, now=None):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def in_category(self, category):
        """Articles of *category* and, for a parent, of its sub-categories."""
        return self.filter(category_id__in=category.family_ids())

    def by_author(self, author):
        return self.filter(authors=author)

    def from_source(self, source):
        return self.filter(translation__source=source)

    def tagged(self, tag):
        return self.filter(tagged_items__tag=tag)

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def after(self, key):
        """The rows that come after the sort key *key* = (published_at, pk), newest first.

        Written so that PostgreSQL seeks the (published_at, id) indexes to the key: a range
        condition on the time, then the few rows of the very same time filtered by id.
        """
        published_at, pk = key
        return self.filter(published_at__lte=published_at).exclude(
            published_at=published_at, pk__gte=pk
        )

    def for_cards(self):
        """What a list of article cards reads: the articles and their categories (bylines
        come with `bylines_on_demand()`, in one more query when a card needs them).

        Only what a card shows is read (`CARD_FIELDS`): never the body or the search vectors,
        the biggest columns, which a million-article archive would otherwise read for every
        card of every list, and none of the rest, which a home page of seventy cards would
        convert for nothing. A card links its own category, never the parent, so the parent
        is not joined either."""
        return self.select_related("category").only(*CARD_FIELDS)

    def featured(self):
        return self.filter(is_featured=True)

    def on_day(self, day):
        """Published on the calendar *day* (a date) in the site's time zone."""
        return self.between(day, day + timedelta(days=1))

    def between(self, start, end):
        """Published on or after the date *start* and before the date *end* (local days)."""
        tz = timezone.get_current_timezone()
        return self.filter(
            published_at__gte=datetime.combine(start, time.min, tzinfo=tz),
            published_at__lt=datetime.combine(end, time.min, tzinfo=tz),
        )

    def newest_in_each(self, category_ids, per_category):
        """The newest *per_category* articles of each of *category_ids*, in one query.

        On PostgreSQL each category is its own short index scan (an array subquery per
        category, unnested), however big the archive, in SQL that stays short however many
        categories there are; elsewhere a window function numbers the rows.
        """
        category_ids = list(category_ids)
        if not category_ids:
            return self.none()
        if connection.vendor == "postgresql":
            newest = ArraySubquery(
                self.filter(category_id=OuterRef("pk"))
                .order_by(*NEWEST_FIRST)
                .values("pk")[:per_category]
            )
            ids = (
                Category.objects.filter(pk__in=category_ids)
                .annotate(article_id=Func(newest, function="unnest", output_field=IntegerField()))
                .values("article_id")
            )
            return self.filter(pk__in=Subquery(ids)).order_by(*NEWEST_FIRST)
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

    def newest_ids_in(self, category_ids, start, stop, after=None):
        """Rows *start* to *stop* of the articles of *category_ids*, newest first, as their
        ids, for ``filter(pk__in=...)``: a page read from the indexes alone. With *after*, a
        sort key (published_at, pk), rows are counted from just after it (a deep page's
        anchor, articles/pagination.py).

        Several categories (a parent's page lists its sub-categories too) are, on
        PostgreSQL, a ``UNION ALL`` of one limited index scan per category, which the planner
        merges in order (Merge Append): a page neither sorts nor reads the whole family.
        """
        category_ids = list(category_ids)
        rows = self if after is None else self.after(after)
        if len(category_ids) == 1 or not connection.features.supports_slicing_ordering_in_compound:
            page = rows.filter(category_id__in=category_ids).order_by(*NEWEST_FIRST)
            return page.values("pk")[start:stop]
        base = rows.values_list("pk", "published_at").order_by(*NEWEST_FIRST)
        # Each scan ordered and limited on its own: only then does PostgreSQL merge them in
        # order (Merge Append) and stop after *stop* rows, instead of sorting the family.
        parts = [base.filter(category_id=pk)[:stop] for pk in category_ids]
        union = parts[0].union(*parts[1:], all=True).order_by(*NEWEST_FIRST)[start:stop]
        sql, params = union.query.sql_with_params()
        # The SQL is Django's own compilation of the queryset above; values stay parameters.
        return RawSQL(f"SELECT page.id FROM ({sql}) AS page(id, published_at)", params)  # noqa: S608, S611 # nosec B611

    def newest_ids_linked(self, links, start, stop, after=None):
        """Rows *start* to *stop* of the articles that *links* point at, newest first, as
        their ids, for ``filter(pk__in=...)`` (*after* as in `newest_ids_in`). *links* is a
        queryset of a link table with an ``article`` key: an author's bylines, a source's or a
        translator's provenance rows.

        Such articles are spread over the whole archive, so walking the publication-time
        index until twenty of them turn up reads tens of thousands of rows (80-120 ms for an
        author or source of 3,000-6,000 pieces among a million, a second from a cold cache),
        which PostgreSQL's planner does when it expects matches to be frequent. There the links
        are read first, behind an optimisation fence (``OFFSET 0``) that keeps the planner from
        turning back to that walk, and only their articles are sorted.
        """
        rows = self if after is None else self.after(after)
        # Provenance rows sort by their article's time by default: not here.
        links = links.order_by().values("article_id")
        if connection.vendor == "postgresql":
            sql, params = links.query.sql_with_params()
            # Django's compiled SQL of the queryset above; values stay parameters.
            links = RawSQL(f"{sql} OFFSET 0", params)  # noqa: S611 # nosec B611
        return rows.filter(pk__in=links).order_by(*NEWEST_FIRST).values("pk")[start:stop]

    def newest_linked(self, links, limit):
        """The newest *limit* of these articles that *links* point at (`newest_ids_linked`)."""
        return self.filter(pk__in=self.newest_ids_linked(links, 0, limit))

    def related_to(self, article, tag_ids, limit=4):
        """ "You might also like": articles sharing the most tags with *article* first, then
        ones from its category, newest first; never *article* itself.

        On PostgreSQL the candidates are bounded, so a page costs the same with a million
        articles: the newest `RELATED_PER_TAG` articles (by id) of each of the article's tags
        and the newest *limit* of its category; only those are ranked, by their ids and dates
        alone (a count of tag links each), and only the *limit* best are read whole.
        """
        shared = Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
        ordering = ("-shared_tags", "-published_at", "-pk")
        if connection.vendor != "postgresql":
            return (
                self.exclude(pk=article.pk)
                .filter(Q(tagged_items__tag_id__in=tag_ids) | Q(category_id=article.category_id))
                .annotate(shared_tags=shared)
                .order_by(*ordering)
                .distinct()[:limit]
            )
        category = (
            self.filter(category_id=article.category_id)
            .exclude(pk=article.pk)
            .order_by("-published_at", "-pk")
            .values("pk")[:limit]
        )
        category_sql, category_params = category.query.sql_with_params()
        # Django's compiled SQL of the queryset above goes in; values stay parameters.
        sql = RELATED_CANDIDATES_SQL.replace("{same_category}", category_sql)
        params = (list(tag_ids), article.pk, RELATED_PER_TAG, *category_params)
        candidates = RawSQL(sql, params)  # noqa: S611 # nosec B611
        tag_links = Coalesce(
            Subquery(
                TaggedArticle.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
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
            is_newer = (row.published_at, row.pk) > (article.published_at, article.pk)
            if is_newer:
                next_ = row
            else:
                previous = row
        return previous, next_

    def search(self, query, ranked=None):
        """Articles matching the reader's *query*, best first; with *ranked*, only the newest
        *ranked* matches (a word in nearly every article would otherwise have every match of
        a million-article archive read and ranked: seconds).

        PostgreSQL: matches from the trigger-kept `search_vector` (title, standfirst and
        body, GIN-indexed), ranked title > standfirst > body: by `ts_rank` over `search_head`
        (the title and standfirst vector), so matches in the body alone rank last, newest
        first, and ranking a few thousand matches never reads their bodies' vectors; with
        highlighted snippets (`headline`) from the first `SEARCH_SNIPPET_FROM_CHARS` characters
        of the body. Elsewhere: a plain substring match.

        With *ranked* on PostgreSQL, a probe runs at once (`search_candidates`): a query the
        search index cannot answer (only exclusions, only stop words) matches nothing, one
        with up to *ranked* matches has them all ranked, and only one with more is cut to its
        newest *ranked* matches.
        """
        if connection.vendor == "postgresql":
            search_query = SearchQuery(query, config="english", search_type="websearch")
            if ranked is None:
                matches = self.filter(search_vector=search_query)
            else:
                candidates = search_candidates(query, ranked + 1)
                if candidates is None:
                    return self.none()
                if len(candidates) <= ranked:
                    matches = self.filter(pk__in=candidates)
                else:
                    matches = self.newest_matches(Q(search_vector=search_query), ranked)
            return matches.annotate(
                rank=SearchRank(F("search_head"), search_query),
                # The snippet comes from the opening of the body: highlighting a whole
                # long body costs PostgreSQL a few milliseconds per result.
                headline=SearchHeadline(
                    Left("body", SEARCH_SNIPPET_FROM_CHARS),
                    search_query,
                    config="english",
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_words=35,
                    min_words=15,
                ),
            ).order_by("-rank", "-published_at", "-pk")
        return self.newest_matches(
            Q(title__icontains=query) | Q(standfirst__icontains=query) | Q(body__icontains=query),
            ranked,
        ).order_by("-published_at", "-pk")

    def newest_matches(self, condition, limit=None):
        """The rows matching *condition*; with *limit*, only the newest *limit* of them.

        For a common word PostgreSQL then walks the newest-first index and stops after
        *limit* matches; for a rare one it still reads the few matches from the search index.
        """
        if limit is None:
            return self.filter(condition)
        newest = self.filter(condition).order_by(*NEWEST_FIRST).values("pk")[:limit]
        return self.filter(pk__in=newest)


class ArticleManager(SlugNaturalKeyMixin, models.Manager.from_queryset(ArticleQuerySet)):
    pass


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField(
        max_length=300, help_text="The headline, e.g. “Aliyev takes the initiative”."
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=False,
        help_text="The address part, made from the headline. Changing it leaves a redirect.",
    )
    standfirst = models.TextField(
        blank=True, help_text="One or two sentences under the headline that sum the piece up."
    )
    body = models.TextField(blank=True, help_text="The text. It is cleaned of unsafe HTML on save.")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", help_text="Primary category."
    )
    authors = models.ManyToManyField(
        Author, blank=True, related_name="articles", help_text="The byline, e.g. AzeMedia."
    )
    tags = TaggableManager(through=TaggedArticle, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="A future time schedules the article: it appears by itself at that time.",
    )
    featured_image = models.ImageField(upload_to="articles/%Y/%m/", blank=True)
    image_alt = models.CharField(
        "image alt text", max_length=300, blank=True,
        help_text="What the image shows, for readers who cannot see it. Required to publish.",
    )  # fmt: skip
    image_caption = models.CharField(max_length=500, blank=True)
    image_credit = models.CharField(max_length=200, blank=True, help_text="e.g. “Photo: APA”.")
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # {"480": "articles/2024/02/x-480.webp", ...}: made once, when the image is saved.
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Lead the home page with this story."
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    seo_title = models.CharField(
        "SEO title",
        max_length=200,
        blank=True,
        help_text="For search engines; the headline if empty.",
    )
    seo_description = models.CharField(
        "SEO description", max_length=300, blank=True,
        help_text="For search results and shares; the standfirst if empty.",
    )  # fmt: skip
    canonical_url = models.URLField(
        "canonical URL override", blank=True,
        help_text="Only when another address should rank instead of this page.",
    )  # fmt: skip
    language = models.CharField(max_length=8, choices=Language, default=Language.ENGLISH)
    # Optimistic locking: each save raises it; a save from an older copy is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The importer's natural key: source URL, or slug + original date, or a content hash.
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False, help_text="Made by seed_demo.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_articles",
        editable=False,
    )
    # Filled by a database trigger on PostgreSQL (see migrations); unused on SQLite.
    # search_vector: title (A), standfirst (B) and body (C), what a search matches;
    # search_head: title (A) and standfirst (B) only, small enough to rank thousands of
    # matches without reading their bodies' vectors.
    search_vector = SearchVectorField(null=True, editable=False)
    search_head = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    # A search result's highlighted snippet (`ArticleQuerySet.search` annotates it); empty on
    # every other card. A real attribute: a template looking up a missing one costs a dir().
    headline = ""

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and feature articles"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            # The admin's change list: newest first over every status, without a sort.
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_idx"
            ),
            # Category pages, deep ones too: the page's ids from the index alone (issue 6).
            models.Index(
                fields=["status", "category", "-published_at", "-id"],
                name="article_category_page_idx",
            ),
            models.Index(
                fields=["-published_at"],
                condition=Q(is_featured=True),
                name="article_featured_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields only; everything else belongs to services.
        self.word_count = count_words(self.body)
        self.reading_minutes = self.reading_minutes_for(self.word_count)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("articles:detail", category=self.category.slug, slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def byline(self):
        """The authors. Cards of one page given `bylines_on_demand()` read theirs together,
        when the first card that is not a kept fragment asks."""
        group = getattr(self, "_byline_group", None)
        if group:
            prefetch_related_objects(group, "authors")
            group.clear()
        return self.authors.all()

    @staticmethod
    def reading_minutes_for(words):
        return max(1, math.ceil(words / settings.DIGEST_WORDS_PER_MINUTE))

    def image_url(self, width=None):
        """The URL of the rendition closest to *width* (the largest without), or ''."""
        from django.core.files.storage import default_storage

        if not self.image_renditions:
            return self.featured_image.url if self.featured_image else ""
        widths = sorted(int(w) for w in self.image_renditions)
        chosen = next((w for w in widths if width and w >= width), widths[-1])
        return default_storage.url(self.image_renditions[str(chosen)])

    @property
    def image_srcset(self):
        """``url 480w, url 800w, …`` for the featured image's renditions."""
        from django.core.files.storage import default_storage

        return ", ".join(
            f"{default_storage.url(path)} {width}w"
            for width, path in sorted(self.image_renditions.items(), key=lambda i: int(i[0]))
        )

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            raise ValidationError({"published_at": "A published article needs a publication time."})


class Translation(TimeStampedModel):
    """Where a piece came from: a translation from another outlet, or a reprint."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="translation")
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="The outlet that first published it, e.g. Globalinfo.az.",
        db_index=False,  # indexed below together with the article
    )
    source_url = models.URLField(
        "original URL", max_length=500, blank=True, db_index=True,
        help_text="The address of the original piece.",
    )  # fmt: skip
    original_title = models.CharField(max_length=300, blank=True)
    original_author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="original_works",
        help_text="Who wrote the original, e.g. Azer Aykhan.",
    )
    source_language = models.CharField(
        max_length=8, choices=Language, blank=True, help_text="The original's language."
    )
    original_published_on = models.DateField("original publication date", null=True, blank=True)
    translator = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        db_index=False,  # indexed below together with the article
    )

    class Meta:
        ordering = ["-article__published_at"]
        # A source's or a translator's pieces: their ids from the index alone (issue 6,
        # `ArticleQuerySet.newest_ids_linked`).
        indexes = [
            models.Index(fields=["source", "article"], name="provenance_source_idx"),
            models.Index(fields=["translator", "article"], name="provenance_translator_idx"),
        ]
        verbose_name = "provenance"
        verbose_name_plural = "provenance"

    def __str__(self):
        origin = self.source.name if self.source_id else "an unnamed source"
        return f"{'Reprinted' if self.is_reprint else 'Translated'} from {origin}"

    @property
    def is_reprint(self):
        """Same language as the article: a reprint, not a translation."""
        return not self.source_language or self.source_language == self.article.language


def bylines_on_demand(articles):
    """Let *articles* (cards of one page) read all their bylines in one query, and only if a
    card is rendered rather than taken from the fragment cache (articles/cache.py). Returns
    them as a list."""
    articles = list(articles)
    group = list(articles)  # emptied once read: not the list the page iterates
    for article in articles:
        article._byline_group = group
    return articles


class SiteIdentity(models.Model):
    """Name, tagline, about text and contacts: one row, edited in the admin."""

    name = models.CharField(max_length=100, default="Digest")
    tagline = models.CharField(max_length=200, blank=True, help_text="e.g. “Daily Digest”.")
    about = models.TextField("about text", blank=True, help_text="The footer's blurb.")
    contact_email = models.EmailField(blank=True)
    copyright_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="First year, e.g. 2021."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site identity"
        verbose_name_plural = "site identity"
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        return cls.objects.prefetch_related("links").filter(pk=1).first() or cls(pk=1)

    @classmethod
    def for_request(cls, request):
        """`current()`, read once per request however many times a page asks, and kept with
        the content version of an anonymous page (articles/cache.py)."""
        if not hasattr(request, "_site_identity"):
            request._site_identity = versioned(request, "site-identity", cls.current)
        return request._site_identity


class SiteLink(models.Model):
    class Kind(models.TextChoices):
        SOCIAL = "social", "Social"
        PARTNER = "partner", "Partner / useful link"

    site = models.ForeignKey(SiteIdentity, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind)
    label = models.CharField(max_length=100, help_text="e.g. “Facebook”.")
    url = models.URLField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "pk"]
        verbose_name = "site link"
        verbose_name_plural = "site links"

    def __str__(self):
        return self.label


# Revision history (django-reversion): every admin save and every import keeps a copy of the
# article, its provenance and its tag links (the byline is part of the article's own copy).
# Restoring puts those links back and removes newer ones; the tags themselves are not
# followed, so a restore never renames or deletes a tag other articles use. The version
# counter is left out so restoring an old copy can never lower it (which would let a stale
# form overwrite newer work).
reversion.register(Translation)
reversion.register(TaggedArticle)
reversion.register(
    Article, follow=["translation", "tagged_items"], exclude=["version", "search_vector"]
)
