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
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.models import Version

from .. import diffs
from ..models import Article, Author, Byline, Tag, TaggedArticle, Translation


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


# Fields of rich text: compared as the words a reader reads (their HTML kept below, folded).
TEXT_FIELDS = {"body", "standfirst", "title"}
HTML_FIELDS = {"body"}


def revision_changes(article, version):
    """(label, HTML) for each field, the tags and authors and the provenance that differ
    between *version* and *article* as it is now (issue 19: the text's words added and
    removed, not raw HTML; the same moment is no change)."""
    old = version.field_dict
    rows = []
    for field in Article._meta.concrete_fields:
        if field.attname not in old or not field.editable:
            continue
        before = _in_site_time(old[field.attname])
        after = _in_site_time(getattr(article, field.attname))
        if _same(before, after):
            continue
        if field.name in TEXT_FIELDS:
            rows.append((field.verbose_name, _text_change(field.name, before, after)))
            continue
        rows.append((field.verbose_name, _table(_shown(field, before), _shown(field, after))))
    for label, before, after in [
        ("tags", _revision_tag_names(version), sorted(article.tags.names())),
        ("authors", _revision_byline(version), [author.name for author in article.authors.all()]),
    ]:
        if before != after:
            diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
                before or [""], after or [""], "that revision", "now"
            )
            rows.append((label, diff))
    provenance = _provenance_change(article, version)
    if provenance:
        rows.append(("provenance", provenance))
    return rows


def _same(before, after):
    """Equal as an editor sees it: a revision keeps a time to the millisecond, the article to
    the microsecond, and the form to the second, so the same second is the same moment."""
    if isinstance(before, datetime) and isinstance(after, datetime):
        return before.replace(microsecond=0) == after.replace(microsecond=0)
    return str(before or "") == str(after or "")


def _text_change(name, before, after):
    marked, removed, added = diffs.word_diff(before, after)
    html = format_html(
        '<p class="help">{}</p><div class="desk-text-diff">{}</div>',
        diffs.summary(removed, added) or "Only the formatting changed.",
        marked,
    )
    if name in HTML_FIELDS:
        table = difflib.HtmlDiff(wrapcolumn=70).make_table(
            str(before or "").splitlines() or [""],
            str(after or "").splitlines() or [""],
            "that revision",
            "now",
            context=True,
            numlines=1,
        )
        html += format_html(
            "<details><summary>The HTML, line by line</summary>{}</details>",
            mark_safe(table),  # noqa: S308 (difflib escapes)  # nosec
        )
    return html


def _table(before, after):
    return difflib.HtmlDiff(wrapcolumn=70).make_table(
        str(before or "").splitlines() or [""],
        str(after or "").splitlines() or [""],
        "that revision",
        "now",
        context=True,
        numlines=1,
    )


def _shown(field, value):
    if isinstance(value, datetime):
        return value.replace(microsecond=0)  # the site's zone, its offset shown
    return value


def _provenance_change(article, version):
    """A table of the provenance fields that differ (labels, then, now), or ""."""
    kept = version.revision.version_set.get_for_model(Translation).first()
    before = kept.field_dict if kept is not None else {}
    record = Translation.objects.filter(article=article).first()
    rows = []
    for field in Translation._meta.concrete_fields:
        if not field.editable or field.name in ("id", "article"):
            continue
        then = before.get(field.attname)
        now = getattr(record, field.attname) if record is not None else None
        if _same(then, now):
            continue
        rows.append(
            (field.verbose_name, _provenance_value(field, then), _provenance_value(field, now))
        )
    if not rows:
        return ""
    return format_html(
        '<table class="desk-provenance-diff"><thead><tr><th scope="col">field</th>'
        '<th scope="col">that revision</th><th scope="col">now</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        format_html_join(
            "",
            '<tr><th scope="row">{}</th><td><del class="desk-del">{}</del></td>'
            '<td><ins class="desk-ins">{}</ins></td></tr>',
            rows,
        ),
    )


def _provenance_value(field, value):
    if value in (None, ""):
        return "—"
    if field.is_relation:
        row = field.related_model._default_manager.filter(pk=value).first()
        return str(row) if row is not None else f"(deleted #{value})"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return str(value)


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


def _revision_byline(version):
    """The names of the authors *version*'s revision kept, in its byline's order (a revision
    made before the byline had one kept the author ids in the article's own copy)."""
    kept = [v.field_dict for v in version.revision.version_set.get_for_model(Byline)]
    ids = [row["author_id"] for row in sorted(kept, key=lambda row: (row["position"], row["id"]))]
    legacy = not ids and version.field_dict.get("authors")
    names = dict(Author.objects.filter(pk__in=legacy or ids).values_list("pk", "name"))
    if legacy:
        return sorted(names.values())
    return [names[pk] for pk in ids if pk in names]


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
