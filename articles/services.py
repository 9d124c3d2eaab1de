"""Writes that touch several rows or take outside input. The admin, the importer and the
fixture builder all save through these functions, so every body is sanitised and every slug
made the same way."""

from datetime import datetime, timedelta

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from pagecache.state import content_changed

from .brand import renditions_make as brand_renditions_make
from .images import InvalidImageError, image_validate, renditions_make
from .models import (
    Article,
    ArticleReads,
    Author,
    Category,
    SiteIdentity,
    Source,
    Tag,
    TaggedArticle,
    Translation,
)
from .querysets import raw_delete
from .sanitizer import sanitize_html
from .text import count_words, slugify


class StaleArticleError(Exception):
    """Someone else saved the article after this copy was opened."""

    def __init__(self, article, expected_version):
        self.article = article
        self.expected_version = expected_version
        super().__init__(
            f"“{article.title}” was changed by someone else (now version {article.version}, "
            f"you edited version {expected_version})."
        )


def unique_slug(model, value, *, instance_pk=None, max_length=None, field="slug"):
    """A transliterated slug for *value*, suffixed -2, -3… until no other row has it."""
    max_length = max_length or model._meta.get_field(field).max_length
    base = slugify(value, max_length=max_length - 4) or model._meta.model_name
    candidate, n = base, 1
    others = model._default_manager.all()
    if instance_pk is not None:
        others = others.exclude(pk=instance_pk)
    taken = set(others.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def category_create(*, name, parent=None, slug="", menu_order=0, is_in_menu=True, description=""):
    category = Category(
        name=name,
        parent=parent,
        slug=slug or unique_slug(Category, name),
        menu_order=menu_order,
        is_in_menu=is_in_menu,
        description=description,
    )
    category.full_clean()
    category.save()
    return category


def author_get_or_create(*, name, kind=Author.Kind.PERSON):
    """The author called *name* (case-insensitive), created when new."""
    name = " ".join(name.split())
    author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        author = Author(name=name, kind=kind, slug=unique_slug(Author, name))
        author.full_clean()
        author.save()
    return author


def source_get_or_create(*, name, url="", language=""):
    """The source outlet called *name* (case-insensitive), created when new; its home page
    and language are filled in when it had none."""
    name = " ".join(name.split())
    source = Source.objects.filter(name__iexact=name).first()
    if source is None:
        source = Source(name=name, url=url, language=language, slug=unique_slug(Source, name))
        source.full_clean()
        source.save()
        return source
    missing = {
        field: value
        for field, value in (("url", url), ("language", language))
        if value and not getattr(source, field)
    }
    if missing:
        for field, value in missing.items():
            setattr(source, field, value)
        source.full_clean()
        source.save(update_fields=[*missing, "updated_at"])
    return source


def tag_get_or_create(*, name):
    """The tag called *name* (case-insensitive), created when new with the project's
    transliterated slug (`Tag.slugify`: Erdoğan → erdogan)."""
    name = name.strip()
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        tag = Tag(name=name)
        tag.save()  # taggit makes the slug, unique
    return tag


ARTICLE_FIELDS = {
    "title", "slug", "standfirst", "body", "category", "status", "published_at", "image_alt",
    "image_caption", "image_credit", "is_featured", "seo_title", "seo_description",
    "canonical_url", "language", "import_key", "is_demo", "created_by", "featured_image",
    "headline_needs_editor",
}  # fmt: skip


PUBLISH_PERMISSION = "articles.publish_article"
# What someone without the publish permission may set the status to.
DRAFTING_STATUSES = {Article.Status.DRAFT, Article.Status.REVIEW}


def article_can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def article_owned_by(article, user):
    """Whether *user* started *article* or writes under one of its bylines."""
    if article.created_by_id == user.pk:
        return True
    return bool(article.pk) and article.authors.filter(user=user).exists()


def article_editable_by(article, user):
    """Editors edit everything; others only their own drafts and pieces in review."""
    if article_can_publish(user):
        return True
    if article.pk is None:
        return True
    return article.status in DRAFTING_STATUSES and article_owned_by(article, user)


def article_check_permission(*, user, article, previous=None):
    """Refuse (`PermissionDenied`) a save by *user* their role does not allow.

    *previous* is the row as stored before this save (None for a new article).
    """
    if article_can_publish(user):
        return
    if previous is not None and not article_editable_by(previous, user):
        raise PermissionDenied("You can only edit your own drafts and pieces in review.")
    if article.status not in DRAFTING_STATUSES:
        raise PermissionDenied("Only an editor can publish, schedule or unpublish an article.")
    was_featured = previous.is_featured if previous is not None else False
    if article.is_featured != was_featured:
        raise PermissionDenied("Only an editor can feature an article.")


def _previous_state(article):
    if article.pk is None:
        return None
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("category")
        .get(pk=article.pk)
    )


def _image_changed(article, previous):
    new_name = article.featured_image.name if article.featured_image else ""
    old_name = previous.featured_image.name if previous and previous.featured_image else ""
    return new_name != old_name or (
        bool(article.featured_image) and not article.featured_image._committed
    )


@transaction.atomic
def article_save(
    *,
    article=None,
    authors=None,
    tags=None,
    translation=None,
    expected_version=None,
    user=None,
    **fields,
):
    """Create (``article=None``) or update an article, sanitising its body.

    *authors*: Author rows (the byline, in order); *tags*: tag names (or Tag rows);
    *translation*: a dict of
    Translation fields (``source``, ``source_url``, ``original_title``, ``original_author``,
    ``source_language``, ``original_published_on``, ``translator``), or ``{}`` to remove it.
    ``None`` leaves each of them as it is. With *expected_version* the save is refused
    (`StaleArticleError`) when someone else saved the article since that version. With *user*
    the save is refused (`PermissionDenied`) when their role does not allow it (only editors
    publish, schedule, unpublish, feature, or touch other people's pieces).

    A published article whose address changes (slug or category) leaves a permanent redirect
    from every old address. A new featured image gets its renditions made here, once.
    """
    unknown = set(fields) - ARTICLE_FIELDS
    if unknown:
        raise TypeError(f"article_save() got unknown fields: {', '.join(sorted(unknown))}")
    if article is None:
        article = Article()
    previous = _previous_state(article)
    if previous is not None:
        # The in-memory copy is only ahead of the row while a revision is being restored
        # (the restored copy does not carry the counter): never let the counter go back.
        current_version = max(previous.version, article.version or 0)
        if expected_version is not None and current_version != expected_version:
            previous.version = current_version
            raise StaleArticleError(previous, expected_version)
        article.version = current_version
    for name, value in fields.items():
        setattr(article, name, value)
    if user is not None:
        article_check_permission(user=user, article=article, previous=previous)
        if article.pk is None and article.created_by_id is None:
            article.created_by = user
    article.body = sanitize_html(article.body)
    article.title = " ".join(article.title.split())
    if (
        previous is not None
        and "headline_needs_editor" not in fields
        and article.title != previous.title
    ):
        article.headline_needs_editor = False  # someone wrote a headline of their own
    article.slug = unique_slug(Article, article.slug or article.title, instance_pk=article.pk)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    if article.status == Article.Status.PUBLISHED and article.featured_image:
        if not article.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Describe the featured image (alt text) before publishing."}
            )
    created = article.pk is None
    if not created:
        article.version += 1
    image_changed = _image_changed(article, previous)
    if image_changed and article.featured_image and not article.featured_image._committed:
        try:
            image_validate(article.featured_image.file)
        except InvalidImageError as exc:
            raise ValidationError({"featured_image": [str(exc)]}) from exc
    # The one constraint (published ⇒ a time) is Article.clean's rule too: checking it again
    # as a query would cost a round trip per save; the database still enforces it.
    article.full_clean(
        exclude=["tags", *_known_rows(article, ["category", "created_by"])],
        validate_constraints=False,
    )
    article.save()
    if image_changed:
        old_renditions = previous.image_renditions if previous is not None else None
        article_image_process(article=article, old_renditions=old_renditions)
    if previous is not None:
        article_redirect_old_address(article=article, previous=previous)
    # A new article has no relations yet: add them without first reading what is there.
    if authors is not None:
        if created:
            article.authors.add(*authors)
        else:
            article.authors.set(authors)
    if tags is not None:
        names = [t.strip() for t in tags if isinstance(t, str) and t.strip()]
        rows = list(dict.fromkeys([t for t in tags if isinstance(t, Tag)]))
        if names:
            rows += article.tags._to_tag_model_instances(dict.fromkeys(names), {})
        rows = list({tag.pk: tag for tag in rows}.values())
        if created:
            TaggedArticle.objects.bulk_create(
                [TaggedArticle(content_object=article, tag=tag) for tag in rows]
            )
        else:
            article.tags.set(rows)
    if translation is not None:
        translation_set(article=article, is_new_article=created, **translation)
    # SQLite's full-text index is written here; PostgreSQL's trigger keeps its own.
    Article.objects.refresh_search_index([article])
    return article


@transaction.atomic
def article_create_many(items):
    """Create many new unpublished articles with few queries (the importer's fast path).

    *items*: dicts with ``fields`` (as for `article_save`, without an image), ``authors``
    (Author rows), ``tags`` (Tag rows) and ``translation`` (a dict, or None). Each article
    is cleaned and validated like `article_save` does; slugs are made unique for the lot
    with one query. All or nothing: a `ValidationError` (naming the item's index) or a
    database error leaves nothing written, and the caller may retry the items one by one.
    Published articles are refused: publishing goes through `article_save`.
    """
    articles = []
    for index, item in enumerate(items):
        article = Article(**item["fields"])
        if article.status == Article.Status.PUBLISHED or article.featured_image:
            raise ValueError("article_create_many() takes unpublished articles without images")
        article.body = sanitize_html(article.body)
        article.title = " ".join(article.title.split())
        article.slug = slugify(article.slug or article.title, max_length=ARTICLE_SLUG_BASE_LENGTH)
        try:
            article.full_clean(
                exclude=["tags", "slug", *_known_rows(article, ["category", "created_by"])],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            error.item_index = index
            raise
        # What Article.save() derives (bulk_create does not call it).
        article.word_count = count_words(article.body)
        article.reading_minutes = Article.reading_minutes_for(article.word_count)
        articles.append(article)
    _slugs_make_unique(articles)
    keys = [a.import_key for a in articles if a.import_key]
    if len(set(keys)) != len(keys) or Article.objects.filter(import_key__in=keys).exists():
        raise ValidationError("an import key is already taken")
    Article.objects.bulk_create(articles)
    Article.authors.through.objects.bulk_create(
        [
            Article.authors.through(article_id=article.pk, author_id=author.pk)
            for article, item in zip(articles, items, strict=True)
            for author in dict.fromkeys(item.get("authors") or [])
        ]
    )
    TaggedArticle.objects.bulk_create(
        [
            TaggedArticle(content_object=article, tag=tag)
            for article, item in zip(articles, items, strict=True)
            for tag in dict.fromkeys(item.get("tags") or [])
        ]
    )
    records = []
    for index, (article, item) in enumerate(zip(articles, items, strict=True)):
        fields = item.get("translation") or {}
        if any(fields.values()):
            record = Translation(article=article, **fields)
            known = _known_rows(record, ["source", "original_author", "translator"])
            try:
                record.full_clean(exclude=[*known, "article"], validate_unique=False)
            except ValidationError as error:
                error.item_index = index
                raise
            records.append(record)
    Translation.objects.bulk_create(records)
    Article.objects.refresh_search_index(articles)
    return articles


# Room for a "-NN" suffix from unique_slug; the importer cuts its slugs the same way.
ARTICLE_SLUG_BASE_LENGTH = Article._meta.get_field("slug").max_length - 4


def _slugs_make_unique(articles):
    """`unique_slug` for a lot: one query for the usual case of no clash."""
    wanted = {a.slug for a in articles}
    taken = set(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    seen = set()
    for article in articles:
        base = article.slug
        if base in taken or base in seen:
            taken |= set(
                Article.objects.filter(slug__startswith=base).values_list("slug", flat=True)
            )
            n = 1
            while article.slug in taken or article.slug in seen:
                n += 1
                article.slug = f"{base}-{n}"
        seen.add(article.slug)


def _known_rows(instance, names):
    """Foreign keys holding rows read from the database (not new ones): validating them
    again would only repeat one query per field."""
    known = []
    for name in names:
        if instance._meta.get_field(name).is_cached(instance):
            row = getattr(instance, name)
            if row is not None and row.pk is not None and not row._state.adding:
                known.append(name)
    return known


def article_image_process(*, article, old_renditions=None):
    """Make the renditions of *article*'s featured image.

    The old image's files are kept: an earlier revision may still point to them.
    """
    if article.featured_image:
        width, height, renditions = renditions_make(article.featured_image.name)
    else:
        width = height = None
        renditions = {}
    Article.objects.filter(pk=article.pk).update(
        image_width=width, image_height=height, image_renditions=renditions
    )
    article.image_width, article.image_height = width, height
    article.image_renditions = renditions


def article_redirect_old_address(*, article, previous):
    """A permanent redirect from *previous*'s address when a published article moved.

    Redirects that pointed to the old address now point to the new one, so no reader takes
    two hops, and a redirect from the new address (the article moved back) is removed.
    """
    if previous.status != Article.Status.PUBLISHED:
        return
    old_path = previous.get_absolute_url()
    new_path = article.get_absolute_url()
    if old_path == new_path:
        return
    site = Site.objects.get_current()
    Redirect.objects.filter(site=site, old_path=new_path).delete()
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    Redirect.objects.update_or_create(site=site, old_path=old_path, defaults={"new_path": new_path})


def tag_delete(*, tag):
    """Delete *tag* and its links to articles, which stay.

    The links go in one statement: through the ORM each of them (400,000 for a common tag at
    a million articles) would be loaded and signalled one by one. Deleting the tag itself
    then tells the page cache, once.
    """
    with transaction.atomic():
        raw_delete(TaggedArticle.objects.filter(tag_id=tag.pk))
        tag.delete()


def article_delete(*, article, user=None):
    """Delete *article*; someone without the publish permission only their own drafts."""
    if user is not None and not article_can_publish(user):
        if article.status != Article.Status.DRAFT or not article_owned_by(article, user):
            raise PermissionDenied("You can only delete your own drafts.")
    article.delete()


def articles_owned_filter(user):
    """A filter for the articles *user* started or writes under."""
    return Q(created_by=user) | Q(
        pk__in=Article.authors.through.objects.filter(author__user=user).values("article_id")
    )


def translation_set(*, article, is_new_article=False, **fields):
    """Record (or, with no fields, remove) where *article* came from. *is_new_article*: it
    was created a moment ago, so it has no record yet."""
    if not any(fields.values()):
        if not is_new_article:
            Translation.objects.filter(article=article).delete()
        return None
    record = None if is_new_article else Translation.objects.filter(article=article).first()
    record = record or Translation(article=article)
    for name, value in fields.items():
        setattr(record, name, value)
    known = _known_rows(record, ["source", "original_author", "translator"])
    record.full_clean(exclude=[*known, "article"] if is_new_article else known)
    record.save()
    return record


def article_publish(*, article, at: datetime | None = None, user=None):
    """Publish now, or schedule for *at*."""
    return article_save(
        article=article,
        user=user,
        status=Article.Status.PUBLISHED,
        published_at=at or article.published_at or timezone.now(),
    )


def article_unpublish(*, article, user=None):
    return article_save(article=article, user=user, status=Article.Status.UNPUBLISHED)


def article_feature(*, article, featured=True, user=None):
    return article_save(article=article, user=user, is_featured=featured)


def article_move(*, article, category, user=None):
    return article_save(article=article, user=user, category=category)


# --- Most read (issue 18) ------------------------------------------------------------------------

# Readings are kept this long, then dropped as new hours begin (the lists look back 7 days).
READS_KEPT = timedelta(days=8)


def article_read_add(*, article_id: int, at: datetime | None = None) -> bool:
    """Count one reading of the published article *article_id* in the hour of *at* (now);
    False when there is no such article. One row per article and hour (`ArticleReads`): the
    first reading of an hour creates it, and drops the article's rows older than
    `READS_KEPT`; every other one adds to it in one UPDATE."""
    hour = (at or timezone.now()).replace(minute=0, second=0, microsecond=0)
    rows = ArticleReads.objects.filter(article_id=article_id, hour=hour)
    if rows.update(count=F("count") + 1):
        return True
    if not Article.objects.published().filter(pk=article_id).exists():
        return False
    try:
        with transaction.atomic():
            ArticleReads.objects.create(article_id=article_id, hour=hour, count=1)
    except IntegrityError:  # another reader's request made the hour's row first
        rows.update(count=F("count") + 1)
        return True
    ArticleReads.objects.filter(article_id=article_id, hour__lt=hour - READS_KEPT).delete()
    return True


# --- The site's identity and brand (issue 18) ----------------------------------------------------

BRAND_FIELDS = ("logo", "icon", "share_image")


@transaction.atomic
def site_identity_save(*, identity, **fields):
    """Save the site's identity (*fields* set on it first); a newly uploaded logo, icon or
    share picture is checked by its content (`image_validate`: JPEG, PNG or WebP within the
    limits) and its renditions made, once (`brand.renditions_make`)."""
    previous = SiteIdentity.objects.filter(pk=identity.pk).first()
    for name, value in fields.items():
        setattr(identity, name, value)
    changed = []
    for name in BRAND_FIELDS:
        new, old = getattr(identity, name), getattr(previous, name, None)
        if (new.name if new else "") != (old.name if old else "") or (new and not new._committed):
            changed.append(name)
            if new and not new._committed:
                try:
                    image_validate(new.file)
                except InvalidImageError as exc:
                    raise ValidationError({name: [str(exc)]}) from exc
    identity.full_clean()
    identity.save()
    if changed:
        previous_renditions = previous.brand_renditions if previous is not None else {}
        identity.brand_renditions = brand_renditions_make(identity, changed, previous_renditions)
        SiteIdentity.objects.filter(pk=identity.pk).update(
            brand_renditions=identity.brand_renditions
        )
        # An update() sends no signal: readers' pages learn of the new pictures here.
        content_changed()
    return identity
