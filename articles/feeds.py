"""RSS 2.0 and Atom feeds of the site, a category, an author, a tag and a source outlet."""

import copy

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from . import chrome
from .models import Article, Author, Category, Source, Tag, Translation

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    """The newest published articles of the whole site."""

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
            .prefetch_related("authors")
            .newest_first()[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item):
        return ", ".join(a.name for a in item.authors.all()) or None

    def item_categories(self, item):
        return [item.category.name]


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
    model = Author

    def articles(self, obj):
        bylines = Article.authors.through.objects.filter(author=obj)
        return Article.objects.published().newest_linked(bylines, FEED_SIZE)


class TagFeed(ObjectFeedMixin, LatestArticlesFeed):
    model = Tag

    def articles(self, obj):
        return Article.objects.published().tagged(obj)


class SourceFeed(ObjectFeedMixin, LatestArticlesFeed):
    model = Source

    def articles(self, obj):
        provenance = Translation.objects.filter(source=obj)
        return Article.objects.published().newest_linked(provenance, FEED_SIZE)


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )


FEEDS = {
    "site": LatestArticlesFeed,
    "category": CategoryFeed,
    "author": AuthorFeed,
    "tag": TagFeed,
    "source": SourceFeed,
}
