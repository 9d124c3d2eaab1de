"""An article's history beyond django-reversion's: comparing a revision with the article as
it is now, and restoring one without the version counter going back or a tag deleted since
breaking the restore."""

import difflib
from datetime import datetime

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from reversion.models import Version

from ..models import Article, Author, Tag, TaggedArticle


class ArticleHistoryMixin:
    """For ArticleAdmin (a reversion VersionAdmin): the compare page and a safe restore."""

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a revision rewrites the row with the old copy, whose version field is
        # not kept; remember the real one so the counter never goes back.
        request.article_version = (
            Article.objects.filter(pk=unquote(object_id)).values_list("version", flat=True).first()
        )
        request.article_restored_version_id = version_id
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        floor = getattr(request, "article_version", None)
        if article is not None and floor:
            article.version = max(article.version, floor)
        restored = getattr(request, "article_restored_version_id", None)
        if article is not None and restored:
            # Runs after reversion put the old copy back, in the same transaction.
            tags_relink_deleted(article, Version.objects.get(pk=restored).revision)
        return article

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/<int:version_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id, version_id):
        """What changed between an earlier revision and the article as it is now."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision__user"),
            pk=version_id,
        )
        rows = revision_changes(article, version)
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Changes to “{article}” since "
                f"{timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M}",
                "opts": self.model._meta,
                "original": article,
                "version": version,
                "rows": rows,
                "restore_url": reverse(
                    "admin:articles_article_revision", args=[article.pk, version.pk]
                ),
            },
        )


def revision_changes(article, version):
    """(label, HTML diff table) for each field, and the tags and authors, that differ
    between *version* and *article* as it is now."""
    old = version.field_dict
    rows = []
    for field in Article._meta.concrete_fields:
        if field.attname not in old or not field.editable:
            continue
        before = _in_site_time(old[field.attname])
        after = _in_site_time(getattr(article, field.attname))
        if str(before or "") == str(after or ""):
            continue
        diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
            str(before or "").splitlines() or [""],
            str(after or "").splitlines() or [""],
            "that revision",
            "now",
            context=True,
            numlines=1,
        )
        rows.append((field.verbose_name, diff))
    for label, before, after in [
        ("tags", _revision_tag_names(version), sorted(article.tags.names())),
        (
            "authors",
            list(
                Author.objects.filter(pk__in=old.get("authors", [])).values_list("name", flat=True)
            ),
            [author.name for author in article.authors.all()],
        ),
    ]:
        if before != after:
            diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
                before or [""], after or [""], "that revision", "now"
            )
            rows.append((label, diff))
    return rows


def _in_site_time(value):
    """An aware time in the site's zone: the revision gives its times back in that zone and
    the article holds them in UTC, so the same moment would read as a change."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _revision_tag_names(version):
    """The names of the tags *version*'s revision kept (each link's description)."""
    links = version.revision.version_set.get_for_model(TaggedArticle)
    return sorted(links.values_list("object_repr", flat=True))


def tags_relink_deleted(article, revision):
    """After *revision* was put back: a tag deleted since then left its link to *article*
    pointing nowhere (the database would refuse the commit). Link the tag of the same name
    instead, made again if need be; the revision keeps the name as the link's description."""
    dangling = list(
        TaggedArticle.objects.filter(content_object=article).exclude(
            Exists(Tag.objects.filter(pk=OuterRef("tag_id")))
        )
    )
    if not dangling:
        return
    names = dict(
        revision.version_set.get_for_model(TaggedArticle).values_list("object_id", "object_repr")
    )
    for link in dangling:
        name = names.get(str(link.pk), "").strip()
        tag = Tag.objects.filter(name__iexact=name).first() if name else None
        if name and tag is None:
            tag = Tag.objects.create(name=name)
        if tag is None or TaggedArticle.objects.filter(content_object=article, tag=tag).exists():
            link.delete()
        else:
            link.tag = tag
            link.save(update_fields=["tag"])
