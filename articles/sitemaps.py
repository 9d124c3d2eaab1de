"""sitemap.xml (an index over articles, categories, authors and pages) and a Google News
sitemap of the last two days, with addresses on the host the crawler asked for.

At a million articles the article section has 200 pages of 5,000 addresses. Their count is
kept per content version and deep pages seek from cached anchors (articles/pagination.py), as
the list pages do, and the XML is written directly rather than through the template engine,
which spent 0.2 s on each page's 5,000 entries."""

from datetime import datetime
from xml.sax.saxutils import escape  # noqa: S406 - escaping our own output, not parsing  # nosec B406

from django.contrib import sitemaps
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import F
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import chrome
from .links import slug_path
from .models import Article, Author, Category
from .pagination import ArchivePaginator


class ArticleSitemap(sitemaps.Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        # Rows, not model instances: a page makes 5,000 of them.
        return (
            Article.objects.published()
            .newest_first()
            .annotate(category_slug=F("category__slug"))
            .values_list("slug", "category_slug", "published_at", "updated_at", named=True)
        )

    @property
    def paginator(self):
        # The count once per content version, deep pages from the anchors.
        return ArchivePaginator(self._items(), self.limit, count_key="sitemap:articles")

    def location(self, item):
        return slug_path("articles:detail", category=item.category_slug, slug=item.slug)

    def lastmod(self, item):
        return max(item.published_at, item.updated_at)


class CategorySitemap(sitemaps.Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.order_by("menu_order", "name")


class AuthorSitemap(sitemaps.Sitemap):
    changefreq = "weekly"

    def items(self):
        # Authors whose page lists a piece a reader can find (not a scheduled or draft one
        # alone): the same rule as their page's (`shown()`, issue 16).
        return Author.objects.shown().order_by("name", "pk")


class PageSitemap(sitemaps.Sitemap):
    changefreq = "monthly"

    def items(self):
        return FlatPage.objects.filter(registration_required=False).order_by("url")

    def location(self, item):
        return item.url


SITEMAPS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}


@require_GET
def index(request):
    """The sitemap index: one entry per page of every section."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        path = reverse("sitemap_section", kwargs={"section": section})
        for page in range(1, sitemap.paginator.num_pages + 1):
            suffix = f"?p={page}" if page > 1 else ""
            entries.append({"location": request.build_absolute_uri(path) + suffix})
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_GET
def section(request, section):
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        raise Http404(f"No sitemap section {section!r}")
    try:
        urls = sitemap_class().get_urls(
            page=request.GET.get("p", 1), site=RequestSite(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such sitemap page") from error
    return HttpResponse(urlset_xml(urls), content_type="application/xml")


def urlset_xml(urls):
    """The sitemap XML of *urls* (`Sitemap.get_urls()`), as Django's sitemap.xml template
    writes it, without the template engine."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if lastmod := url.get("lastmod"):
            if isinstance(lastmod, datetime):
                lastmod = timezone.localtime(lastmod) if timezone.is_aware(lastmod) else lastmod
                lastmod = lastmod.date()
            parts.append(f"<lastmod>{lastmod.isoformat()}</lastmod>")
        if changefreq := url.get("changefreq"):
            parts.append(f"<changefreq>{escape(changefreq)}</changefreq>")
        if priority := url.get("priority"):
            parts.append(f"<priority>{escape(str(priority))}</priority>")
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


@require_GET
def news(request):
    """Google News sitemap: articles published in the last two days. With none, there is no
    news sitemap (robots.txt leaves it out then): an empty ``urlset`` is not a valid one."""
    articles = list(
        Article.objects.published().news().select_related("category").newest_first()[:1000]
    )
    if not articles:
        raise Http404("Nothing was published in the last two days")
    return TemplateResponse(
        request,
        "news_sitemap.xml",
        {"articles": articles, "publication": chrome.site_identity(request)},
        content_type="application/xml",
    )
