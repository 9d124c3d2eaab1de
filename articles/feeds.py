"""RSS 2.0 and Atom feeds of the site, a category, an author, a tag and a source outlet."""

import copy

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from . import chrome
from .models import Article, Author, Category, Source, Tag, Translation

FEED_SIZE = 30


# --- Pictures in feeds (issue 18): Media RSS's <media:content> on RSS and Atom items ------------

MEDIA_RSS = "http://search.yahoo.com/mrss/"


class MediaFeedMixin:
    """Writes an item's featured picture as ``<media:content>`` (Media RSS), which feed
    readers show; an enclosure would need each file's length."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("image")
        if image:
            attributes = {"url": image["url"], "medium": "image", "type": image["type"]}
            if image.get("width"):
                attributes.update(width=str(image["width"]), height=str(image["height"]))
            handler.startElement("media:content", attributes)
            if image.get("alt"):
                handler.addQuickElement("media:description", image["alt"], {"type": "plain"})
            handler.endElement("media:content")


class MediaRssFeed(MediaFeedMixin, Rss201rev2Feed):
    pass


class MediaAtomFeed(MediaFeedMixin, Atom1Feed):
    pass


class LatestArticlesFeed(Feed):
    """The newest published articles of the whole site."""

    feed_type = MediaRssFeed
    description_template = "articles/feed_description.html"

    def __call__(self, request, *args, **kwargs):
        # One feed object serves every request: work on a copy that knows this request, so
        # every address is absolute on the host the reader asked (not the Sites domain).
        feed = copy.copy(self)
        feed.request = request
        feed.identity = chrome.site_identity(request)
        return Feed.__call__(feed, request, *args, **kwargs)

    def absolute(self, path):
        return self.request.build_absolute_uri(path)

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj=None):
        return self.identity.name

    def link(self, obj=None):
        return self.absolute("/")

    def feed_url(self, obj=None):
        return self.absolute(self.request.path)

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def description(self, obj=None):
        return self.identity.tagline or self.identity.name

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("category")
            .prefetch_related("authors", "tags")
            .newest_first()[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item):
        # Atom requires an author of every entry (RFC 4287): without a byline, the site.
        return ", ".join(a.name for a in item.authors.all()) or self.identity.name

    def item_author_link(self, item):
        return None if item.authors.all() else self.absolute("/")

    def item_categories(self, item):
        return [item.category.name, *(tag.name for tag in item.tags.all())]

    def item_extra_kwargs(self, item):
        if not item.featured_image:
            return {}
        width = 1200
        return {
            "image": {
                "url": self.absolute(item.image_url(width)),
                "type": "image/webp" if item.image_renditions else _image_type(item),
                "width": item.image_width if not item.image_renditions else None,
                "height": item.image_height if not item.image_renditions else None,
                "alt": item.image_alt,
            }
        }


class ObjectFeedMixin:
    """A feed of one category, author, tag or source: `model` looked up by slug."""

    model = None

    def get_object(self, request, slug):
        # Only what a published article names (issue 16): `shown()` where the model has it.
        rows = self.model.objects.all()
        return get_object_or_404(getattr(rows, "shown", rows.all)(), slug=slug)

    def title(self, obj):
        return f"{obj} – {self.identity.name}"

    def link(self, obj):
        return self.absolute(obj.get_absolute_url())

    def description(self, obj):
        return f"The newest articles: {obj}."


class CategoryFeed(ObjectFeedMixin, LatestArticlesFeed):
    model = Category

    def get_object(self, request, slug):
        return get_object_or_404(Category.objects.prefetch_related("children"), slug=slug)

    def articles(self, obj):
        family = [obj.pk, *(c.pk for c in obj.children.all())]
        return Article.objects.published().filter(category_id__in=family)


class AuthorFeed(ObjectFeedMixin, LatestArticlesFeed):
    """An author's pieces: under their byline, translated by them, and translations of their
    own work (an original author's only pieces on the site)."""

    model = Author

    def articles(self, obj):
        published = Article.objects.published()
        links = (
            Article.authors.through.objects.filter(author=obj),
            Translation.objects.filter(translator=obj),
            Translation.objects.filter(original_author=obj),
        )
        newest = Q()
        for rows in links:
            newest |= Q(pk__in=published.newest_ids_linked(rows, 0, FEED_SIZE))
        return published.filter(newest)


class TagFeed(ObjectFeedMixin, LatestArticlesFeed):
    model = Tag

    def articles(self, obj):
        return Article.objects.published().tagged(obj)


class SourceFeed(ObjectFeedMixin, LatestArticlesFeed):
    model = Source

    def articles(self, obj):
        provenance = Translation.objects.filter(source=obj)
        return Article.objects.published().newest_linked(provenance, FEED_SIZE)


def _image_type(item):
    extension = item.featured_image.name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}.get(
        extension, "image/webp"
    )


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": MediaAtomFeed, "subtitle": feed_class.description},
    )


FEEDS = {
    "site": LatestArticlesFeed,
    "category": CategoryFeed,
    "author": AuthorFeed,
    "tag": TagFeed,
    "source": SourceFeed,
}
