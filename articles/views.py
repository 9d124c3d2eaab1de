"""Public pages. Every list starts from `Article.objects.published()`."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from pagecache.fragments import structural, versioned

from . import archive, brand, home, reads, seo, services
from .bylines import Bylines
from .chrome import site_identity, site_menu
from .models import Article, Author, Category, Source, Tag, Translation
from .pagination import ArchivePaginator

SEARCH_MAX_LENGTH = 200
# A search ranks the newest this many matches at most (ArticleQuerySet.search).
SEARCH_RANKED = 1000


class ArticleListMixin:
    """The shared queryset and page size of every article list."""

    paginate_by = settings.DIGEST_PAGE_SIZE
    context_object_name = "articles"
    # Cached totals and deferred joins for deep pages (issue 6, articles/pagination.py).
    paginator_class = ArchivePaginator

    def get_paginator(self, *args, **kwargs):
        # The total depends on the path and what count_filter() says, never on other query
        # parameters: ?_=… or utm_source=… must not start a new COUNT(*) over the archive.
        key = f"{self.request.path}?{self.count_filter()}"
        return super().get_paginator(*args, count_key=key, request=self.request, **kwargs)

    def count_filter(self):
        """What, besides the path, decides which articles the list holds."""
        return ""

    def get_queryset(self):
        return Article.objects.published().for_cards().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One query for the page's bylines, and none when every card was kept.
        context["articles"] = list(context["articles"])
        context["bylines"] = Bylines(context["articles"])
        return context


class HomeView(ArticleListMixin, ListView):
    """The digest: the lead, new articles, featured stories, the most read, a block per menu
    category and the latest, each article at most once (`articles.home`); on later pages
    only the "more" list."""

    template_name = "articles/home.html"
    paginate_by = 12

    def get_queryset(self):
        # Bylines are read once for every list of the page, and only if a card needs them.
        return Article.objects.published().for_cards().newest_first()

    def get_paginator(self, *args, **kwargs):
        # Every published article: the database's tally, not a COUNT(*) of a million rows.
        return super().get_paginator(
            *args, total=Article.objects.published_count, page_rows=Article.objects.newest_cards,
            **kwargs,
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number > 1:
            return context
        # The menu's one query serves the template's menu too.
        context["menu_categories"] = menu = site_menu(self.request)
        # Which article goes in which block is the same for every request of a content
        # version: placed once (reading and making ~120 section candidates was half of an
        # uncached home page; issue 21).
        latest = context["articles"]
        context.update(
            versioned(
                self.request, "home-blocks", lambda: home.home_blocks(self.request, menu, latest)
            )
        )
        # Every card of the page in one group: one query for all their bylines.
        context["bylines"] = Bylines(context["cards"])
        return context


class CategoryView(ArticleListMixin, ListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        slug = self.kwargs["slug"]
        # The category, its parent and sub-categories are the site's structure: read once
        # per structure version (pagecache.fragments.structural), not on every page (issue 21).
        self.category = structural(self.request, f"category:{slug}", lambda: self.lookup(slug))
        if self.category is None:
            raise Http404("No category at this address")
        self.family = [self.category.pk, *(c.pk for c in self.category.children.all())]
        return super().get_queryset().filter(category_id__in=self.family)

    @staticmethod
    def lookup(slug):
        return (
            Category.objects.select_related("parent")
            .prefetch_related("children")
            .filter(slug=slug)
            .first()
        )

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(
            *args, page_ids=self.page_ids, page_rows=self.page_rows, total=self.published_count,
            **kwargs,
        )  # fmt: skip

    def published_count(self):
        """The family's published articles: the database's tally, not a COUNT(*)."""
        return Article.objects.published_count(self.family)

    def page_ids(self, start, stop, after=None):
        """The ids of a page of the category's family, from the indexes alone."""
        return Article.objects.published().newest_ids_in(self.family, start, stop, after)

    def page_rows(self, start, stop):
        """A page of the family's cards in one prepared statement (PostgreSQL; otherwise
        None, and the queryset with `page_ids` reads it)."""
        return Article.objects.newest_cards_in(self.family, start, stop)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class LinkedListMixin(ArticleListMixin):
    """A list of the articles that rows of a link table point at (an author's bylines, a
    source's provenance), each page read link-first (`newest_ids_linked`)."""

    def links(self):
        raise NotImplementedError

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, page_ids=self.page_ids, **kwargs)

    def page_ids(self, start, stop, after=None):
        """The ids of a page of the linked articles, read link-first."""
        return Article.objects.published().newest_ids_linked(self.links(), start, stop, after)


class AuthorView(LinkedListMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author.objects.shown(), slug=self.kwargs["slug"])
        return super().get_queryset().by_author(self.author)

    def links(self):
        return Article.authors.through.objects.filter(author=self.author)

    def get_context_data(self, **kwargs):
        # Pieces this author translated, and translations of this author's own work: the
        # newest of each, in one query.
        translated = Translation.objects.filter(translator=self.author)
        originals = Translation.objects.filter(original_author=self.author)
        rows = (
            Article.objects.published()
            .for_cards()
            .newest_of_links(settings.DIGEST_PAGE_SIZE, translated=translated, original=originals)
        )
        return super().get_context_data(
            author=self.author,
            translations=[row for row in rows if row.translated],
            original_works=[row for row in rows if row.original],
            **kwargs,
        )


class SourceView(LinkedListMixin, ListView):
    template_name = "articles/source_detail.html"

    def get_queryset(self):
        self.source = get_object_or_404(Source.objects.shown(), slug=self.kwargs["slug"])
        return super().get_queryset().from_source(self.source)

    def links(self):
        return Translation.objects.filter(source=self.source)

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)


class TagView(ArticleListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag.objects.shown(), slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveView(ArticleListMixin, ListView):
    """The digest of a day, a month or a year: /archive/2024/02/16/, /archive/2024/02/, ...
    with the nearest earlier and later ones that have articles, and a month's calendar or a
    year's months."""

    template_name = "articles/archive.html"

    def get_queryset(self):
        self.period = archive.period_of(**self.kwargs)
        return super().get_queryset().between(self.period.start, self.period.end)

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        previous, following = archive.neighbours(self.period, published)
        context = {
            "period": self.period,
            "previous_period": previous,
            "next_period": following,
            "month": archive.period("month", self.period.start),
            "year": archive.period("year", self.period.start),
        }
        if self.period.kind == "month":
            context["weeks"] = archive.month_calendar(self.period, published)
            context["weekdays"] = archive.WEEKDAYS
        elif self.period.kind == "year":
            context["months"] = archive.year_months(self.period, published)
        return super().get_context_data(**context, **kwargs)


class ArchiveIndexView(TemplateView):
    """Every year and month with articles, newest first: the way back through the archive."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        years = archive.index(Article.objects.published())
        return super().get_context_data(years=years, **kwargs)


class SearchView(ArticleListMixin, ListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
        if not self.query:
            return Article.objects.none()
        return Article.objects.published().for_cards().search(self.query, ranked=SEARCH_RANKED)

    def count_filter(self):
        # What the list holds depends on the cut as well as on the words.
        return f"{self.query}\nnewest {SEARCH_RANKED}, probed"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, **kwargs)
        # As many matches as are ranked: there may be more, older ones.
        context["ranked_limit"] = f"{SEARCH_RANKED:,}"
        context["more_matched"] = bool(self.query) and context["paginator"].count >= SEARCH_RANKED
        return context


def article_context(request, article):
    """Everything `articles/article_detail.html` needs for *article* (published or not).

    A preview view renders the same template with this context.
    """
    published = Article.objects.published()
    tags = list(article.tags.all())
    authors = list(article.authors.all())
    # The same sidebar on every article page: read once per content version (pagecache.fragments).
    newest = versioned(
        request, "newest-articles", lambda: list(published.for_cards().newest_first()[:6])
    )
    newest = [a for a in newest if a.pk != article.pk][:5]
    # Previous, next and related change only with the content version: one statement, once
    # per version for each article (issue 21).
    around = versioned(
        request, f"around:{article.pk}", lambda: published.around(article, [t.pk for t in tags])
    )
    provenance = getattr(article, "translation", None)
    return {
        "article": article,
        "authors": authors,
        "tags": tags,
        "provenance": provenance,
        "related_articles": around.related,
        "new_articles": newest,
        "previous_article": around.previous,
        "next_article": around.next,
        "canonical_url": seo.canonical_url(request, article),
        "jsonld": seo.article_jsonld(request, article, authors, provenance, tags),
    }


def article_detail(request, category, slug):
    # One statement, prepared on PostgreSQL: the article, its provenance and tags (issue 21).
    article = Article.objects.page_article(slug)
    if article is None:
        raise Http404("No published article at this address")
    if article.category.slug != category:
        # The category changed since the link was made: one permanent address.
        return redirect(article, permanent=True)
    return render_article(request, article)


def render_article(request, article, *, preview=False):
    """The article page; signed-in staff get an "Edit" link, in a response only for them."""
    show_edit = request.user.is_authenticated and request.user.is_staff and not preview
    context = article_context(request, article)
    context.update(is_preview=preview, show_edit_link=show_edit)
    response = render(request, "articles/article_detail.html", context)
    if show_edit:
        # The page carries a staff-only link: no shared cache may keep it for readers.
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


@csrf_exempt  # a browser's beacon carries no token; it only adds to an anonymous count
@require_POST
def article_read(request, pk):
    """A page's beacon: one reading of article *pk* (`articles.reads`: readers' browsers
    only). Always 204, counted or not."""
    if reads.is_a_reading(request):
        services.article_read_add(article_id=pk)
    return HttpResponse(status=204)


# --- The brand's pictures, made from the site's name until an editor uploads their own -----------


def brand_icon(request, size):
    """The site's icon, *size* pixels square (favicon, app icons)."""
    if size not in brand.ICON_SIZES:
        raise Http404("No icon of that size")
    site = brand.Brand(site_identity(request))
    if site.renditions.get("icon"):
        return redirect(site.icon_url(size))
    return HttpResponse(brand.default_icon(site.identity, size), content_type="image/png")


def brand_share_image(request):
    """The picture shown when a page without one of its own is shared."""
    site = brand.Brand(site_identity(request))
    if site.renditions.get("share"):
        return redirect(site.share_image_url)
    return HttpResponse(brand.default_share_image(site.identity), content_type="image/png")


def favicon(request):
    """/favicon.ico, which some readers and feed readers ask for whatever the page says."""
    return redirect(brand.Brand(site_identity(request)).icon_url(32), permanent=False)


def web_manifest(request):
    """The web app manifest: the site's name and its app icons for phones' home screens."""
    return JsonResponse(
        brand.Brand(site_identity(request)).manifest(),
        content_type="application/manifest+json",
    )


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"

    def get_context_data(self, **kwargs):
        # The news sitemap only when it has news (sitemaps.news).
        has_news = Article.objects.published().news().exists()
        return super().get_context_data(has_news=has_news, **kwargs)
