"""The bylines of a page's cards."""

from .models import Article


class Bylines:
    """The authors of every card a page may show, read together in one statement the first
    time a card asks (`of`, `ArticleQuerySet.keep_bylines`). A card kept from an earlier page
    under the same content version (pagecache.fragments) never asks, so a page made only of
    kept cards reads none."""

    def __init__(self, articles):
        self._articles = list(articles)
        self._by_article = None

    def of(self, article):
        if self._by_article is None:
            Article.objects.keep_bylines(self._articles)
            self._by_article = {a.pk: list(a.authors.all()) for a in self._articles}
        found = self._by_article.get(article.pk)
        return found if found is not None else list(article.authors.all())
