"""What of the newsroom readers see: the page cache's rules (registered in `apps.py`).

Any row of these apps may be on a public page, except an article that no reader can see (a
draft, a piece in review, an unpublished one) and its tags, bylines and provenance, and a tag,
author or source just created (no page lists one before an article links to it): editors save
those all day, and dropping every reader's page each time would leave the cache nearly empty in
working hours. An article counts as seen when its row, read just before the save or delete, or
the row saved is published, scheduled ones included (their time bounds how long pages are
kept); the row is read, not the copy in memory, which may be stale.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from pagecache import registry

from .models import (
    Article,
    Author,
    Category,
    SiteIdentity,
    SiteLink,
    Source,
    Tag,
    TaggedArticle,
    Translation,
)

# Other apps whose rows the public pages show.
SHOWN_APPS = ("flatpages", "redirects", "sites", "taggit")
STRUCTURE_APPS = ("flatpages", "sites")  # the footer's static pages


def _published_in_database(article_id):
    return Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED).exists()


def _remember_status(article):
    article._published_before = article.pk is not None and _published_in_database(article.pk)


def _article_unseen(article, *, created, deleted):
    was = getattr(article, "_published_before", True)
    return not was and (deleted or article.status != Article.Status.PUBLISHED)


def _new_row_unseen(row, *, created, deleted):
    return created  # on no page until an article is linked to it, itself a change


def _link_unseen(article_id):
    def unseen(link, *, created, deleted):
        return not _published_in_database(article_id(link))

    return unseen


def _article_links_unseen(instance, *, reverse):
    """An article's own tags or bylines changed (not a tag's or an author's articles)."""
    return not reverse and isinstance(instance, Article) and not _published_in_database(instance.pk)


def next_scheduled_publication():
    """When the next scheduled article appears (one query), or None."""
    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def next_local_midnight():
    """The start of the newsroom's next calendar day: pages that say "Today, 14:05" (and the
    header's date) are made anew from then."""
    now = timezone.localtime()
    tomorrow = now.date() + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=now.tzinfo)


def register():
    registry.watch(Article, unseen=_article_unseen, before=_remember_status)
    for model in (Author, Source, Tag):
        registry.watch(model, unseen=_new_row_unseen)
    # What every page shows around its content (the menu, the identity, the footer's links
    # and static pages): the structure version (`pagecache.fragments.structural`) changes too.
    for model in (Category, SiteIdentity, SiteLink):
        registry.watch(model, structure=True)
    registry.watch(TaggedArticle, unseen=_link_unseen(lambda link: link.content_object_id))
    registry.watch(Translation, unseen=_link_unseen(lambda link: link.article_id))
    registry.watch(Article.authors.through, unseen=_link_unseen(lambda link: link.article_id))
    registry.watch_m2m(Article.authors.through, unseen=_article_links_unseen)
    registry.watch_m2m(TaggedArticle, unseen=_article_links_unseen)
    for label in SHOWN_APPS:
        registry.watch_app(label, structure=label in STRUCTURE_APPS)
    registry.schedule(next_scheduled_publication)
    # The query parameters public pages read (issue 16): any other is the same stored page.
    for name in ("home", "category", "author", "source", "tag", "archive_year",
                 "archive_month", "archive_day"):  # fmt: skip
        registry.vary_on(f"articles:{name}", "page")
    registry.vary_on("articles:search", "q", "page")
    registry.vary_on("sitemap_section", "p")
    registry.schedule(next_local_midnight)
