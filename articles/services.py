"""Writes that touch several rows or take outside input. The admin, the importer and the
fixture builder all save through these functions, so every body is sanitised and every slug
made the same way."""

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, ForeignKey, Model, OuterRef, Q, Subquery
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Lower
from django.utils import timezone

from pagecache.state import content_changed

from .brand import renditions_make as brand_renditions_make
from .documents import InvalidDocumentError, document_validate
from .images import InvalidImageError, image_validate, renditions_make
from .models import (
    Article,
    ArticleReads,
    Author,
    Byline,
    Category,
    SiteIdentity,
    Source,
    Tag,
    TaggedArticle,
    Translation,
)
from .querysets import raw_delete
from .sanitizer import sanitize_html
from .text import count_words, plain_name, slugify


class StaleArticleError(Exception):
    """Someone else saved the article after this copy was opened."""

    def __init__(self, article: Article, expected_version: int) -> None:
        self.article = article
        self.expected_version = expected_version
        super().__init__(
            f"“{article.title}” was changed by someone else (now version {article.version}, "
            f"you edited version {expected_version})."
        )


class BatchItemError(ValidationError):
    """One item of a batch (`article_create_many`) is invalid: its own errors, and which
    item it was (*item_index*, counted from 0)."""

    def __init__(self, error: ValidationError, *, item_index: int) -> None:
        super().__init__(error)
        self.item_index = item_index


def _max_length(model: type[Model], field: str) -> int:
    """The ``max_length`` of *model*'s character field *field*."""
    column = model._meta.get_field(field)
    if not isinstance(column, CharField) or column.max_length is None:
        raise TypeError(f"{model.__name__}.{field} is not a character field with a max_length")
    return column.max_length


def unique_slug(
    model: type[Model],
    value: str,
    *,
    instance_pk: int | None = None,
    max_length: int | None = None,
    field: str = "slug",
) -> str:
    """A transliterated slug for *value*, suffixed -2, -3… until no other row has it."""
    max_length = max_length or _max_length(model, field)
    base = slugify(value, max_length=max_length - 4) or model.__name__.lower()
    candidate, n = base, 1
    others = model._default_manager.all()
    if instance_pk is not None:
        others = others.exclude(pk=instance_pk)
    taken = set(others.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def category_create(
    *,
    name: str,
    parent: Category | None = None,
    slug: str = "",
    menu_order: int = 0,
    is_in_menu: bool = True,
    description: str = "",
) -> Category:
    """A new category (a sub-category with *parent*); the slug is made from *name* if empty."""
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


def category_unsorted() -> Category:
    """The "Unsorted" queue of imported pieces that name no category, made when first needed."""
    category = Category.objects.filter(slug=Category.UNSORTED_SLUG).first()
    return category or category_create(
        name="Unsorted",
        slug=Category.UNSORTED_SLUG,
        is_in_menu=False,
        menu_order=10_000,
        description="Imported pieces that named no category: file each one before publishing.",
    )


def author_get_or_create(*, name: str, kind: str = Author.Kind.PERSON, slug: str = "") -> Author:
    """The author called *name* (case-insensitive; plain text: markup removed), created
    when new (with *slug*, made unique, when given: a moved site's author archive)."""
    name = plain_name(name)
    author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        author = Author(name=name, kind=kind, slug=unique_slug(Author, slug or name))
        author.full_clean()
        author.save()
    return author


def source_get_or_create(*, name: str, url: str = "", language: str = "") -> Source:
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


def tag_get_or_create(*, name: str) -> Tag:
    """The tag called *name* (case-insensitive), created when new with the project's
    transliterated slug (`Tag.slugify`: Erdoğan → erdogan); plain text (markup removed)."""
    name = plain_name(name)
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        tag = Tag(name=name)
        tag.save()  # taggit makes the slug, unique
    return tag


def tags_find(*, names: Iterable[str]) -> dict[str, Tag]:
    """The existing tags called *names* (case-insensitive), by lower-cased name."""
    exact = list(dict.fromkeys(plain_name(n) for n in names if plain_name(n)))
    found: dict[str, Tag] = {}
    for start in range(0, len(exact), 500):
        part = exact[start : start + 500]
        # The name as given, or any case of it (SQLite's LOWER() folds ASCII letters only).
        rows = Tag.objects.annotate(lname=Lower("name")).filter(
            Q(name__in=part) | Q(lname__in=[n.lower() for n in part])
        )
        for tag in rows:
            found.setdefault(tag.name.lower(), tag)
    return found


def tags_get_or_create_many(*, names: Iterable[str]) -> tuple[dict[str, Tag], set[str]]:
    """`tag_get_or_create` for many names in a few queries: the tags by lower-cased name,
    and the keys of those made now (with unique transliterated slugs, as `Tag.slugify`)."""
    wanted = {plain_name(n).lower(): plain_name(n) for n in names if plain_name(n)}
    found = tags_find(names=wanted.values())
    missing = [name for key, name in wanted.items() if key not in found]
    if not missing:
        return found, set()
    new = [Tag(name=name, slug=Tag().slugify(name)) for name in missing]
    taken = set(Tag.objects.filter(slug__in={t.slug for t in new}).values_list("slug", flat=True))
    seen: set[str] = set()
    for tag in new:
        base = tag.slug
        if base in taken or base in seen:
            taken |= set(Tag.objects.filter(slug__startswith=base).values_list("slug", flat=True))
            n = 1
            while tag.slug in taken or tag.slug in seen:
                tag.slug = f"{base}-{n}"
                n += 1
        seen.add(tag.slug)
    Tag.objects.bulk_create(new)
    for tag in new:
        found[tag.name.lower()] = tag
    return found, {tag.name.lower() for tag in new}


ARTICLE_FIELDS = {
    "title", "slug", "standfirst", "body", "category", "status", "published_at", "image_alt",
    "image_caption", "image_credit", "is_featured", "seo_title", "seo_description",
    "canonical_url", "language", "import_key", "is_demo", "created_by", "featured_image",
    "headline_needs_editor",
}  # fmt: skip


PUBLISH_PERMISSION = "articles.publish_article"
# What someone without the publish permission may set the status to.
DRAFTING_STATUSES = {Article.Status.DRAFT, Article.Status.REVIEW}


def article_can_publish(user: User) -> bool:
    """Whether *user* may publish, schedule, unpublish and feature (the Editor role)."""
    return user.has_perm(PUBLISH_PERMISSION)


def article_owned_by(article: Article, user: User) -> bool:
    """Whether *user* started *article* or writes under one of its bylines."""
    if article.created_by_id == user.pk:
        return True
    return bool(article.pk) and article.authors.filter(user=user).exists()


def article_editable_by(article: Article, user: User) -> bool:
    """Editors edit everything; others only their own drafts and pieces in review."""
    if article_can_publish(user):
        return True
    if article.pk is None:
        return True
    return article.status in DRAFTING_STATUSES and article_owned_by(article, user)


def article_check_permission(
    *, user: User, article: Article, previous: Article | None = None
) -> None:
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


def _previous_state(article: Article) -> Article | None:
    if article.pk is None:
        return None
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("category")
        .get(pk=article.pk)
    )


def _is_new_upload(file: FieldFile) -> bool:
    """Whether *file* holds an upload not yet written to storage. Django keeps that in the
    file's private ``_committed`` flag, which django-stubs does not declare."""
    return bool(file) and not getattr(file, "_committed", True)


def _image_changed(article: Article, previous: Article | None) -> bool:
    new_name = article.featured_image.name if article.featured_image else ""
    old_name = previous.featured_image.name if previous and previous.featured_image else ""
    return new_name != old_name or _is_new_upload(article.featured_image)


@transaction.atomic
def article_save(
    *,
    article: Article | None = None,
    authors: Iterable[Author] | None = None,
    tags: Sequence[str | Tag] | None = None,
    translation: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    user: User | None = None,
    **fields: Any,
) -> Article:
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
    publishing = article.status == Article.Status.PUBLISHED and (
        previous is None
        or previous.status != Article.Status.PUBLISHED
        or previous.category_id != article.category_id
    )
    if publishing and article.category.slug == Category.UNSORTED_SLUG:
        raise ValidationError(
            {"category": "Choose a category before publishing: “Unsorted” is the importer's "
             "queue, never shown to readers."}
        )  # fmt: skip
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
    if previous is not None and previous.status != article.status:
        # Publishing or unpublishing revokes the preview links sent before (issue 16).
        article.preview_key = _new_preview_key()
    image_changed = _image_changed(article, previous)
    if image_changed and _is_new_upload(article.featured_image):
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
        _byline_write(article=article, authors=authors, created=created)
    if tags is not None:
        names = [plain_name(t) for t in tags if isinstance(t, str) and plain_name(t)]
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
    if user is not None:
        # Issue 19: the desk's steps notify (by e-mail, through the task queue), and a saved
        # article's autosave by the same editor is spent.
        article_notify_later(
            article=article, event=article_transition(previous, article), user=user
        )
        autosave_discard(user=user, article=article)
        if created:
            autosave_discard(user=user, article=None)
    # SQLite's full-text index is written here; PostgreSQL's trigger keeps its own.
    Article.objects.refresh_search_index([article])
    return article


def _byline_write(*, article: Article, authors: Iterable[Author], created: bool) -> None:
    """Make *article*'s byline *authors*, in that order (an author named twice counts once,
    at the first place): a row for each new author, a new place for each moved one, and
    nothing written for the rest (issue 16: the same byline again is no change)."""
    order = list(dict.fromkeys(author.pk for author in authors))
    rows = [] if created else list(Byline.objects.filter(article=article))
    current = {row.author_id: row for row in rows}
    gone = [row.pk for row in rows if row.author_id not in order]
    if gone:
        Byline.objects.filter(pk__in=gone).delete()
    new, moved = [], []
    for position, author_id in enumerate(order):
        row = current.get(author_id)
        if row is None:
            new.append(Byline(article=article, author_id=author_id, position=position))
        elif row.position != position:
            row.position = position
            moved.append(row)
    if moved:
        Byline.objects.bulk_update(moved, ["position"])
    if new:
        Byline.objects.bulk_create(new)


@transaction.atomic
def article_create_many(*, items: Sequence[Mapping[str, Any]]) -> list[Article]:
    """Create many new articles without images with few queries (the importer's fast path).

    *items*: dicts with ``fields`` (as for `article_save`, without an image; an
    ``updated_at`` there dates the new row: a moved site's modification time), ``authors``
    (Author rows), ``tags`` (Tag rows) and ``translation`` (a dict, or None). Each article
    is cleaned and validated like `article_save` does; slugs are made unique for the lot
    with one query. All or nothing: a `BatchItemError` (a `ValidationError` naming the
    item's index) or a database error leaves nothing written, and the caller may retry the
    items one by one.
    Published ones follow `article_save`'s rules (a publication time, never from the
    Unsorted queue); the rows send no signals, so the page cache is told here, once.
    """
    articles = []
    for index, item in enumerate(items):
        article = Article(**item["fields"])
        article._updated_at_given = "updated_at" in item["fields"]  # type: ignore[attr-defined]
        if article.featured_image:
            raise ValueError("article_create_many() takes articles without images")
        if article.status == Article.Status.PUBLISHED:
            if article.category.slug == Category.UNSORTED_SLUG:
                raise BatchItemError(
                    ValidationError({"category": "Choose a category before publishing."}),
                    item_index=index,
                )
            if article.published_at is None:
                article.published_at = timezone.now()
        for name in ("published_at", "updated_at"):  # in UTC, as the database gives them back
            if isinstance(moment := getattr(article, name), datetime) and timezone.is_aware(moment):
                setattr(article, name, moment.astimezone(UTC))
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
            raise BatchItemError(error, item_index=index) from error
        # What Article.save() derives (bulk_create does not call it).
        article.word_count = count_words(article.body)
        article.reading_minutes = Article.reading_minutes_for(article.word_count)
        articles.append(article)
    _slugs_make_unique(articles)
    keys = [a.import_key for a in articles if a.import_key]
    if len(set(keys)) != len(keys) or Article.objects.filter(import_key__in=keys).exists():
        raise ValidationError("an import key is already taken")
    Article.objects.bulk_create(articles)
    bylines, tagged = [], []
    for article, item in zip(articles, items, strict=True):
        authors = list({author.pk: author for author in item.get("authors") or []}.values())
        article_bylines = [
            Byline(article=article, author=author, position=position)
            for position, author in enumerate(authors)
        ]
        article_tagged = [
            TaggedArticle(content_object=article, tag=tag)
            for tag in dict.fromkeys(item.get("tags") or [])
        ]
        bylines += article_bylines
        tagged += article_tagged
        # What the new rows hold, kept on them: what follows (the revisions, the importer's
        # bookkeeping) reads none of it back (`article_written`).
        article.written_relations = {  # type: ignore[attr-defined]
            "bylines": article_bylines,
            "tagged_items": article_tagged,
            "authors": authors,
            "tags": [t.tag for t in article_tagged],
            "translation": None,
        }
    Byline.objects.bulk_create(bylines)
    TaggedArticle.objects.bulk_create(tagged)
    records = []
    for index, (article, item) in enumerate(zip(articles, items, strict=True)):
        fields = item.get("translation") or {}
        record = None
        if any(fields.values()):
            record = Translation(article=article, **fields)
            known = _known_rows(record, ["source", "original_author", "translator"])
            try:
                record.full_clean(exclude=[*known, "article"], validate_unique=False)
            except ValidationError as error:
                raise BatchItemError(error, item_index=index) from error
            records.append(record)
        article.written_relations["translation"] = record  # type: ignore[attr-defined]
    Translation.objects.bulk_create(records)
    Article.objects.refresh_search_index(articles)
    if any(a.status == Article.Status.PUBLISHED for a in articles):
        content_changed()  # readers see these: bulk rows send no signal
    return articles


def article_written(article: Article) -> dict[str, Any] | None:
    """What `article_create_many` wrote with *article* (its bylines, tag links, authors in
    byline order, tags, provenance record or None), or None for an article read from the
    database: reading those back would only repeat what was just written."""
    return getattr(article, "written_relations", None)


def article_revision_members(article: Article) -> list[Model] | None:
    """What a revision of a new article from `article_create_many` holds (the article, its
    provenance, tag links and byline, as the registration follows them), or None."""
    written = article_written(article)
    if written is None:
        return None
    translation = [written["translation"]] if written["translation"] is not None else []
    return [article, *translation, *written["tagged_items"], *written["bylines"]]


# Room for a "-NN" suffix from unique_slug; the importer cuts its slugs the same way.
ARTICLE_SLUG_BASE_LENGTH = _max_length(Article, "slug") - 4


def _slugs_make_unique(articles: Sequence[Article]) -> None:
    """`unique_slug` for a lot: one query for the usual case of no clash."""
    wanted = {a.slug for a in articles}
    taken = set(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    seen: set[str] = set()
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


def _known_rows(instance: Model, names: Iterable[str]) -> list[str]:
    """Foreign keys holding rows read from the database (not new ones): validating them
    again would only repeat one query per field."""
    known = []
    for name in names:
        field = instance._meta.get_field(name)
        if isinstance(field, ForeignKey) and field.is_cached(instance):
            row = getattr(instance, name)
            if row is not None and row.pk is not None and not row._state.adding:
                known.append(name)
    return known


def article_image_process(
    *, article: Article, old_renditions: Mapping[str, Any] | None = None
) -> None:
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


def article_redirect_old_address(*, article: Article, previous: Article) -> None:
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


def tag_delete(*, tag: Tag) -> None:
    """Delete *tag* and its links to articles, which stay.

    The links go in one statement: through the ORM each of them (400,000 for a common tag at
    a million articles) would be loaded and signalled one by one. Deleting the tag itself
    then tells the page cache, once.
    """
    with transaction.atomic():
        raw_delete(TaggedArticle.objects.filter(tag_id=tag.pk))
        tag.delete()


def article_delete(*, article: Article, user: User | None = None) -> None:
    """Delete *article*; someone without the publish permission only their own drafts."""
    if user is not None and not article_can_publish(user):
        if article.status != Article.Status.DRAFT or not article_owned_by(article, user):
            raise PermissionDenied("You can only delete your own drafts.")
    article.delete()


def articles_owned_filter(user: User) -> Q:
    """A filter for the articles *user* started or writes under."""
    return Q(created_by=user) | Q(
        pk__in=Byline.objects.filter(author__user=user).values("article_id")
    )


def translation_set(
    *, article: Article, is_new_article: bool = False, **fields: Any
) -> Translation | None:
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


def article_publish(
    *, article: Article, at: datetime | None = None, user: User | None = None
) -> Article:
    """Publish now, or schedule for *at*."""
    return article_save(
        article=article,
        user=user,
        status=Article.Status.PUBLISHED,
        published_at=at or article.published_at or timezone.now(),
    )


def article_unpublish(*, article: Article, user: User | None = None) -> Article:
    """Take *article* off the site (its address answers 404 until it is published again)."""
    return article_save(article=article, user=user, status=Article.Status.UNPUBLISHED)


def _new_preview_key() -> str:
    return secrets.token_urlsafe(9)[:12]


def article_preview_revoke(*, article: Article) -> Article:
    """Make every preview link to *article* sent so far invalid (a new preview key)."""
    article.preview_key = _new_preview_key()
    Article.objects.filter(pk=article.pk).update(preview_key=article.preview_key)
    return article


def article_feature(
    *, article: Article, featured: bool = True, user: User | None = None
) -> Article:
    """Feature *article* on the home page (or stop featuring it)."""
    return article_save(article=article, user=user, is_featured=featured)


def article_move(*, article: Article, category: Category, user: User | None = None) -> Article:
    """Move *article* to *category*; a published one leaves a redirect from its old address."""
    return article_save(article=article, user=user, category=category)


# --- People and outlets (issue 19): translators credit themselves, editors link and merge ---


def author_create(
    *,
    name: str,
    user: User,
    kind: str = Author.Kind.PERSON,
    bio: str = "",
    website: str = "",
    account: User | None = None,
) -> Author:
    """A new author profile made by *user* (a translator may make one for a byline or a
    credit). *account* links it to a staff account: an editor may link any; anyone else only
    themselves, and only while they have no profile yet."""
    if account is not None:
        author_check_link(user=user, account=account)
    author = Author(
        name=" ".join(name.split()), kind=kind, bio=bio, website=website, user=account,
        slug=unique_slug(Author, name),
    )  # fmt: skip
    author.full_clean()
    author.save()
    return author


def author_check_link(*, user: User, account: User, author: Author | None = None) -> None:
    """Refuse (`PermissionDenied`) linking *account* to a profile when *user* may not."""
    if article_can_publish(user):
        return
    others = Author.objects.filter(user=user)
    if author is not None:
        others = others.exclude(pk=author.pk)
    own = account.pk == user.pk and not others.exists()
    if not own:
        raise PermissionDenied("Only an editor links an author profile to someone's account.")


def author_link_account(*, author: Author, account: User | None, user: User) -> Author:
    """Link (or, with *account* None, unlink) *author*'s profile and a staff account."""
    if account is not None:
        author_check_link(user=user, account=account, author=author)
    elif not article_can_publish(user):
        raise PermissionDenied("Only an editor unlinks an author profile from an account.")
    author.user = account
    author.full_clean()
    author.save(update_fields=["user", "updated_at"])
    return author


@transaction.atomic
def author_merge(*, keep: Author, duplicates: Iterable[Author], user: User) -> Author:
    """Fold the *duplicates* of the author *keep* into it: their bylines, original works and
    translation credits become *keep*'s, an account link moves over if *keep* has none, and
    the duplicates are deleted (their pages redirect to *keep*'s). Editors only."""
    if not article_can_publish(user):
        raise PermissionDenied("Only an editor merges authors.")
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    ids = [d.pk for d in duplicates]
    if not ids:
        return keep
    links = Byline.objects
    already = links.filter(author=keep).values("article_id")
    links.filter(author_id__in=ids, article_id__in=already).delete()
    # Two duplicates on one byline become one credit, at the first one's place.
    first = (
        links.filter(author_id__in=ids, article_id=OuterRef("article_id"))
        .order_by("position", "pk")
        .values("pk")[:1]
    )
    links.filter(author_id__in=ids).exclude(pk=Subquery(first)).delete()
    links.filter(author_id__in=ids).update(author=keep)
    Translation.objects.filter(translator_id__in=ids).update(translator=keep)
    Translation.objects.filter(original_author_id__in=ids).update(original_author=keep)
    account = next((d.user for d in duplicates if d.user_id), None)
    site = Site.objects.get_current()
    for duplicate in duplicates:
        _redirect_moved_page(site, duplicate.get_absolute_url(), keep.get_absolute_url())
    Author.objects.filter(pk__in=ids).delete()
    if account is not None and keep.user_id is None:
        keep.user = account
        keep.save(update_fields=["user", "updated_at"])
    return keep


@transaction.atomic
def source_merge(*, keep: Source, duplicates: Iterable[Source], user: User) -> Source:
    """Fold the *duplicates* of the outlet *keep* into it (their pieces' provenance points at
    *keep*, a missing home page or language is taken over) and delete them. Editors only."""
    if not article_can_publish(user):
        raise PermissionDenied("Only an editor merges source outlets.")
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    if not duplicates:
        return keep
    Translation.objects.filter(source__in=duplicates).update(source=keep)
    for field in ("url", "language"):
        if not getattr(keep, field):
            setattr(
                keep, field, next((getattr(d, field) for d in duplicates if getattr(d, field)), "")
            )
    site = Site.objects.get_current()
    for duplicate in duplicates:
        _redirect_moved_page(site, duplicate.get_absolute_url(), keep.get_absolute_url())
    Source.objects.filter(pk__in=[d.pk for d in duplicates]).delete()
    keep.full_clean()
    keep.save()
    return keep


def _redirect_moved_page(site: Site, old_path: str, new_path: str) -> None:
    Redirect.objects.filter(site=site, new_path=old_path).update(new_path=new_path)
    Redirect.objects.update_or_create(site=site, old_path=old_path, defaults={"new_path": new_path})


# --- The news desk (issue 19): review notifications, autosaves, the soft editing lock --------


def article_transition(previous: Article | None, article: Article) -> str:
    """The desk event of a save that moved *article* on from *previous* (None if new), or ""."""
    before = previous.status if previous is not None else None
    if article.status == before:
        return ""
    if article.status == Article.Status.REVIEW:
        return "submitted"
    if article.status == Article.Status.PUBLISHED:
        return "scheduled" if article.is_scheduled else "published"
    if article.status == Article.Status.DRAFT and before == Article.Status.REVIEW:
        return "sent_back"
    return ""


def article_notify_later(*, article: Article, event: str, user: User | None) -> None:
    """Tell whoever a desk *event* concerns, once the save is committed, through the task
    queue (`articles.notifications.article_notify`)."""
    if not event:
        return
    from . import notifications

    article_id, actor_id = article.pk, getattr(user, "pk", None)
    transaction.on_commit(
        lambda: notifications.article_notify.enqueue(
            article_id=article_id, event=event, actor_id=actor_id
        )
    )


AUTOSAVED_FIELDS = (
    "title", "slug", "standfirst", "body", "image_alt", "image_caption", "image_credit",
    "seo_title", "seo_description", "canonical_url",
)  # fmt: skip


def autosave_store(
    *,
    user: User,
    article: Article | None = None,
    data: Mapping[str, Any],
    opened_version: int | None = None,
) -> Any:
    """Keep what *user* typed into *article*'s form (None: the add form) as their private
    autosave; the body is sanitised like a saved one. Returns the autosave."""
    from .models import ArticleAutosave

    if article is not None and not article_editable_by(article, user):
        raise PermissionDenied("You can only edit your own drafts and pieces in review.")
    kept = {name: str(data[name]) for name in AUTOSAVED_FIELDS if name in data}
    if "body" in kept:
        kept["body"] = sanitize_html(kept["body"])
    autosave, _ = ArticleAutosave.objects.update_or_create(
        article=article,
        user=user,
        defaults={"data": kept, "saved_at": timezone.now(), "opened_version": opened_version},
    )
    return autosave


def autosave_discard(*, user: User, article: Article | None = None) -> None:
    from .models import ArticleAutosave

    ArticleAutosave.objects.filter(article=article, user=user).delete()


def autosave_pending(*, user: User, article: Article | None = None) -> Any:
    """*user*'s autosave of *article* that is newer than the article's last save, or None."""
    from .models import ArticleAutosave

    autosave = ArticleAutosave.objects.filter(article=article, user=user).first()
    if autosave is None:
        return None
    if article is not None and article.updated_at and autosave.saved_at <= article.updated_at:
        return None
    return autosave


def lock_heartbeat(*, article: Article, user: User, take_over: bool = False) -> Any:
    """*user* has *article*'s form open: take the lock if it is free or stale (or, with
    *take_over*, from whoever holds it), else leave it. Returns the lock as it is now."""
    from .models import EditingLock

    now = timezone.now()
    with transaction.atomic():
        lock = EditingLock.objects.select_for_update().filter(article=article).first()
        if lock is None:
            return EditingLock.objects.create(
                article=article, user=user, since=now, heartbeat_at=now
            )
        if lock.user_id == user.pk:
            lock.heartbeat_at = now
            lock.save(update_fields=["heartbeat_at"])
        elif take_over or not lock.is_fresh:
            lock.user, lock.since, lock.heartbeat_at = user, now, now
            lock.save(update_fields=["user", "since", "heartbeat_at"])
        return lock


def lock_release(*, article: Article, user: User) -> None:
    from .models import EditingLock

    EditingLock.objects.filter(article=article, user=user).delete()


def image_create(
    *, file: Any, alt_text: str, user: User | None = None, caption: str = "", credit: str = ""
) -> Any:
    """A body image (issue 19): checked by its content like a featured image, stored, and its
    WebP renditions made once. Alt text is required."""
    from .models import Image

    if not " ".join((alt_text or "").split()):
        raise ValidationError(
            {"alt_text": "Describe the image (alt text) for readers who cannot see it."}
        )
    try:
        image_validate(file)
    except InvalidImageError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    image = Image(
        file=file, alt_text=" ".join(alt_text.split()), caption=caption, credit=credit,
        uploaded_by=user,
    )  # fmt: skip
    image.full_clean()
    image.save()
    image.width, image.height, image.renditions = renditions_make(image.file.name)
    image.save(update_fields=["width", "height", "renditions"])
    return image


def document_create(*, file: Any, title: str = "", user: User | None = None) -> Any:
    """A file for readers to download from an article (a PDF, an Office document, audio):
    checked by its content (`articles.documents.document_validate`) and stored with the type
    and extension that content has, whatever the upload's name or claim said. The title is
    the file name's stem made readable (``energy-report_q1.pdf`` → "Energy report q1") when
    none is given."""
    from pathlib import PurePath

    from django.core.files import File

    from .models import Document

    name = PurePath(getattr(file, "name", "") or "file").name
    try:
        kind = document_validate(file, name=name)
    except InvalidDocumentError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    stem = PurePath(name).stem[:60] or "file"
    readable = " ".join(stem.replace("_", " ").replace("-", " ").split())
    document = Document(
        file=File(file, name=f"{stem}.{kind.extension}"),
        title=" ".join((title or "").split())[:300] or readable[:1].upper() + readable[1:],
        content_type=kind.content_type,
        size=file.size,
        uploaded_by=user,
    )
    document.full_clean()
    with transaction.atomic():
        document.save()
    return document


def document_delete(*, document: Any) -> None:
    """Remove *document* from the library and its file from the storage once the deletion is
    committed: links to it stop working (an image's file, by contrast, is kept)."""
    name, storage = document.file.name, document.file.storage
    with transaction.atomic():
        document.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


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
def site_identity_save(*, identity: SiteIdentity, **fields: Any) -> SiteIdentity:
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
        content_changed(structure=True)
    return identity


# --- Moving a site in (issue 17) -----------------------------------------------------------------


@transaction.atomic
def flatpage_save(*, page: Any = None, url: str, title: str, content: str) -> Any:
    """Create (``page=None``) or update a static page (contrib's FlatPage) at *url* on the
    current site, its content sanitised like an article's body."""
    from django.contrib.flatpages.models import FlatPage

    page = page or FlatPage()
    page.url, page.title = url, " ".join(title.split())[:200]
    page.content = sanitize_html(content)
    page.full_clean(exclude=["sites"])
    page.save()
    page.sites.add(Site.objects.get_current())
    return page


def categories_order_menu(*, ordered: Sequence[Category], hidden: Sequence[Category] = ()) -> None:
    """Give *ordered* the menu order they are listed in (10, 20, …) and put them in the menu,
    and take *hidden* out of it; one change for the page cache, whatever the number of rows."""
    with transaction.atomic():
        for position, category in enumerate(ordered, start=1):
            Category.objects.filter(pk=category.pk).update(
                menu_order=position * 10, is_in_menu=True
            )
        Category.objects.filter(pk__in=[c.pk for c in hidden]).update(is_in_menu=False)
        content_changed(structure=True)  # the menu
