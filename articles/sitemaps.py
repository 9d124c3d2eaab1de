"""sitemap.xml (an index over articles, categories, authors and pages) and a Google News
sitemap of the last two days, with addresses on the host the crawler asked for."""

from datetime import timedelta

from django.contrib import sitemaps
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import Article, Author, Category, SiteIdentity


class ArticleSitemap(sitemaps.Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("category")
            .only("slug", "published_at", "updated_at", "category__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return max(item.published_at, item.updated_at)


class CategorySitemap(sitemaps.Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.order_by("menu_order", "name")


class AuthorSitemap(sitemaps.Sitemap):
    changefreq = "weekly"

    def items(self):
        return Author.objects.filter(articles__status=Article.Status.PUBLISHED).distinct()


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
    return TemplateResponse(
        request, "sitemap.xml", {"urlset": urls}, content_type="application/xml"
    )


@require_GET
def news(request):
    """Google News sitemap: articles published in the last two days."""
    since = timezone.now() - timedelta(days=2)
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .select_related("category")
        .newest_first()[:1000]
    )
    return TemplateResponse(
        request,
        "news_sitemap.xml",
        {"articles": articles, "publication": SiteIdentity.for_request(request)},
        content_type="application/xml",
    )
