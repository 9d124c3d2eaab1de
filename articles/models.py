"""The newsroom's domain: categories, authors, source outlets, articles and their provenance,
and the site's identity."""

import math

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .choices import ArticleStatus, Language
from .links import slug_path
from .querysets import (
    ArticleQuerySet,
    ArticleReadsQuerySet,
    AuthorQuerySet,
    CategoryQuerySet,
    SourceQuerySet,
    TagQuerySet,
)
from .text import count_words, slugify

# Paths a category slug may not take: the article URL is /<category>/<slug>/.
RESERVED_SLUGS = {
    "admin", "accounts", "api", "archive", "author", "authors", "category", "feeds", "feed",
    # The newsletter's pages (issue 20): /digest/<date>/ and /newsletter/….
    "digest", "newsletter",
    "healthz", "media", "pages", "preview", "readyz", "robots.txt", "search", "sitemap.xml",
    "sitemaps", "source", "sources", "static", "tag", "tags",
    "brand", "read",  # issue 18: the brand's pictures, the most-read beacon
}  # fmt: skip


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("created", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        abstract = True


class SlugNaturalKeyMixin:
    """Fixtures refer to rows by slug, so they load into a database that has other rows."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class CategoryManager(SlugNaturalKeyMixin, models.Manager.from_queryset(CategoryQuerySet)):
    pass


class SlugManager(SlugNaturalKeyMixin, models.Manager):
    pass


# Issue 16: `Model.objects.shown()` is what readers may see of tags, authors and sources.
class AuthorManager(SlugNaturalKeyMixin, models.Manager.from_queryset(AuthorQuerySet)):
    def get_queryset(self):
        queryset = super().get_queryset()
        # `article.authors` and its prefetch are Django's many-related manager made from this
        # class (with `through` set): there an article's byline reads in its own order
        # (Byline.position, issue 16), not the alphabetical one of author lists.
        if getattr(self, "through", None) is Byline and self.source_field_name == "article":
            return queryset.in_byline_order()
        return queryset


class SourceManager(SlugNaturalKeyMixin, models.Manager.from_queryset(SourceQuerySet)):
    pass


class TagManager(SlugNaturalKeyMixin, models.Manager.from_queryset(TagQuerySet)):
    pass


class Category(TimeStampedModel):
    MAX_DEPTH = 2
    # The importer's queue for pieces that name no category (issue 19): never in the menu,
    # and nothing in it can be published until an editor files it elsewhere.
    UNSORTED_SLUG = "unsorted"

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

    objects = AuthorManager()

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

    objects = SourceManager()

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

    objects = TagManager()

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


class UpdatedAtField(models.DateTimeField):
    """``auto_now``, except when a new row comes with its own time (``_updated_at_given``:
    `services.article_create_many` for a moved site's modification times), so an imported
    archive is dated as it was, in the INSERT itself."""

    def pre_save(self, model_instance, add):
        if add and getattr(model_instance, "_updated_at_given", False):
            return getattr(model_instance, self.attname)
        return super().pre_save(model_instance, add)


class ArticleManager(SlugNaturalKeyMixin, models.Manager.from_queryset(ArticleQuerySet)):
    pass


class Article(TimeStampedModel):
    Status = ArticleStatus

    updated_at = UpdatedAtField("updated", auto_now=True)
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
        Author,
        through="Byline",
        blank=True,
        related_name="articles",
        help_text="The byline, e.g. AzeMedia, in its order.",
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
    headline_needs_editor = models.BooleanField(
        "headline needs an editor",
        default=False,
        help_text="The importer made the headline from the text's first sentence; saving a "
        "new headline clears this.",
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
    # Issue 16: signed into preview links; a new one (services.article_preview_revoke, on
    # publishing and unpublishing) revokes every link made before.
    preview_key = models.CharField(max_length=16, blank=True, default="", editable=False)
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
            # A status newest first, deep pages of the admin too: their ids from the index
            # alone (without the id, page 2,000 of the published fetched 100,000 rows: 0.9 s).
            models.Index(
                fields=["status", "-published_at", "-id"], name="article_status_newest_idx"
            ),
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


class Byline(models.Model):
    """One author of an article's byline, at its place in it: the order a file or an editor
    gives, which the alphabet would lose (issue 16). Written by `services.article_save`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="bylines")
    position = models.PositiveSmallIntegerField(
        default=0, db_default=0, help_text="The author's place in the byline, 0 first."
    )

    class Meta:
        # The table of the link Django made before the byline had an order, kept (its rows,
        # its indexes and the raw bulk loads that name it); its order came in 0017.
        db_table = "articles_article_authors"
        verbose_name = "byline"
        verbose_name_plural = "bylines"
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="author_once_per_byline")
        ]

    def __str__(self):
        # The author's name: a revision keeps it as the row's description.
        return self.author.name


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
    original_published_time = models.TimeField(
        "original publication time", null=True, blank=True,
        help_text="When the source gives one, e.g. 09:30 (the newsroom's time zone).",
    )  # fmt: skip
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


class SiteIdentity(models.Model):
    """Name, tagline, about text and contacts: one row, edited in the admin."""

    name = models.CharField(max_length=100, default="Digest")
    tagline = models.CharField(max_length=200, blank=True, help_text="e.g. “Daily Digest”.")
    about = models.TextField("about text", blank=True, help_text="The footer's blurb.")
    contact_email = models.EmailField(blank=True)
    copyright_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="First year, e.g. 2021."
    )
    # --- The brand (issue 18): pictures uploaded here, checked and resized on save
    # (services.site_identity_save); without them the site makes its own from the name.
    logo = models.ImageField(
        upload_to="brand/",
        blank=True,
        help_text="The masthead's logo: JPEG, PNG or WebP, wide, e.g. 600×120 px with a "
        "transparent background. Without one the site's name shows in type.",
    )
    icon = models.ImageField(
        "icon",
        upload_to="brand/",
        blank=True,
        help_text="A square picture for browser tabs and phones' home screens (favicon and "
        "app icons), at least 512×512 px. Without one, the name's first letter.",
    )
    share_image = models.ImageField(
        upload_to="brand/",
        blank=True,
        help_text="Shown when a page without a picture of its own is shared, 1200×630 px. "
        "Without one, the site's name and tagline.",
    )
    # {"logo": {"240": path, …}, "logo_size": [w, h], "icon": {"32": path, …}, "share": path}
    brand_renditions = models.JSONField(default=dict, blank=True, editable=False)
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


class SiteLink(models.Model):
    """A link in the footer: a social profile ("Follow us") or a partner ("Partners")."""

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


# --- Most read (issue 18) --------------------------------------------------------------------


class ArticleReads(models.Model):
    """How many readers opened an article within one hour, for the most-read lists.

    A page counts itself once, by a same-origin beacon (static/js/site.js, `views.article_read`);
    nothing about the reader is kept: no address, no cookie, no identifier, only this count.
    Counts older than a week are dropped as new hours begin (`services.article_read_add`)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    hour = models.DateTimeField(help_text="The start of the hour the readings fell in.")
    count = models.PositiveIntegerField(default=0)

    objects = ArticleReadsQuerySet.as_manager()

    class Meta:
        ordering = ["-hour"]
        verbose_name = "article readings in an hour"
        verbose_name_plural = "article readings"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="article_reads_once_an_hour")
        ]
        # The most-read lists: an hour range, summed per article.
        indexes = [models.Index(fields=["hour", "article"], name="article_reads_hour_idx")]

    def __str__(self):
        return f"{self.article_id} at {self.hour:%Y-%m-%d %H}:00: {self.count}"


# --- Published totals (issue 21) ---------------------------------------------------------------


class PublishedTally(models.Model):
    """How many articles of a category are published (status published, with a publication
    time), kept by the database's own triggers on the article table (migration 0020): every
    insert, delete and change of status, publication time or category, by any process and any
    path (the ORM, a bulk load, raw SQL). `ArticleQuerySet.published_count` takes away those
    whose time has not come. Never written by the application."""

    category = models.OneToOneField(
        Category,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # a tally may outlive its category (then it is 0)
        related_name="+",
    )
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "published tally"

    def __str__(self):
        return f"category {self.category_id}: {self.total}"


# Revision history (django-reversion): every admin save and every import keeps a copy of the
# article, its provenance, its tag links and its byline (a row per author, with its place).
# Restoring puts those links back and removes newer ones; the tags themselves are not
# followed, so a restore never renames or deletes a tag other articles use. The version
# counter is left out so restoring an old copy can never lower it (which would let a stale
# form overwrite newer work); the search columns too (the database derives them from the text).
reversion.register(Translation)
reversion.register(TaggedArticle)
reversion.register(Byline)
reversion.register(
    Article,
    follow=["translation", "tagged_items", "bylines"],
    exclude=["version", "search_vector", "search_head", "preview_key"],
)


# --- The news desk (issue 19): autosaves, editing locks, body images and files
# (articles/desk_models.py)
from .desk_models import ArticleAutosave, Document, EditingLock, Image  # noqa: E402, F401

# --- Moving a site in (issue 17): imported items and their old addresses (articles/moved_models.py)
from .moved_models import ImportedItem, OldAddress  # noqa: E402, F401
