"""Writes that touch several rows or take outside input. The admin, the importer and the
fixture builder all save through these functions, so every body is sanitised and every slug
made the same way."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Article, Author, Category, Source, Tag, TaggedArticle, Translation
from .sanitizer import sanitize_html
from .text import slugify


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


def source_get_or_create(*, name, url=""):
    """The source outlet called *name* (case-insensitive), created when new."""
    name = " ".join(name.split())
    source = Source.objects.filter(name__iexact=name).first()
    if source is None:
        source = Source(name=name, url=url, slug=unique_slug(Source, name))
        source.full_clean()
        source.save()
    elif url and not source.url:
        source.url = url
        source.save(update_fields=["url", "updated_at"])
    return source


ARTICLE_FIELDS = {
    "title", "slug", "standfirst", "body", "category", "status", "published_at", "image_alt",
    "image_caption", "image_credit", "is_featured", "seo_title", "seo_description",
    "canonical_url", "language", "import_key", "is_demo", "created_by", "featured_image",
}  # fmt: skip


@transaction.atomic
def article_save(
    *,
    article=None,
    authors=None,
    tags=None,
    translation=None,
    expected_version=None,
    **fields,
):
    """Create (``article=None``) or update an article, sanitising its body.

    *authors*: Author rows (the byline, in order); *tags*: tag names (or Tag rows);
    *translation*: a dict of
    Translation fields (``source``, ``source_url``, ``original_title``, ``original_author``,
    ``source_language``, ``original_published_on``, ``translator``), or ``{}`` to remove it.
    ``None`` leaves each of them as it is. With *expected_version* the save is refused
    (`StaleArticleError`) when someone else saved the article since that version.
    """
    unknown = set(fields) - ARTICLE_FIELDS
    if unknown:
        raise TypeError(f"article_save() got unknown fields: {', '.join(sorted(unknown))}")
    if article is None:
        article = Article()
    elif expected_version is not None:
        current = Article.objects.select_for_update().only("version", "title").get(pk=article.pk)
        if current.version != expected_version:
            raise StaleArticleError(current, expected_version)
        article.version = current.version
    for name, value in fields.items():
        setattr(article, name, value)
    article.body = sanitize_html(article.body)
    article.title = " ".join(article.title.split())
    if not article.slug:
        article.slug = unique_slug(Article, article.title, instance_pk=article.pk)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    created = article.pk is None
    if not created:
        article.version += 1
    # The one constraint (published ⇒ a time) is Article.clean's rule too: checking it again
    # as a query would cost a round trip per save; the database still enforces it.
    article.full_clean(
        exclude=["tags", *_known_rows(article, ["category", "created_by"])],
        validate_constraints=False,
    )
    article.save()
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
    return article


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


def article_publish(*, article, at: datetime | None = None):
    """Publish now, or schedule for *at*."""
    return article_save(
        article=article,
        status=Article.Status.PUBLISHED,
        published_at=at or article.published_at or timezone.now(),
    )
