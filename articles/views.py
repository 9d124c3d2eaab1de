"""Public pages. Every list starts from `Article.objects.published()`."""

import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.generic import ListView, TemplateView

from pagecache.fragments import versioned

from . import seo
from .bylines import Bylines
from .chrome import site_menu
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
        return super().get_paginator(*args, count_key=key, **kwargs)

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
    """The digest: lead and featured stories, latest, a block per menu category, and on
    later pages only the "more" list."""

    template_name = "articles/home.html"
    paginate_by = 12

    def get_queryset(self):
        # Bylines are read once for every list of the page, and only if a card needs them.
        return Article.objects.published().for_cards().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = context["articles"]  # a list (ArticleListMixin)
        if context["page_obj"].number > 1:
            return context
        published = Article.objects.published()
        featured = list(published.featured().for_cards().newest_first()[:4])
        # The menu's one query serves the template's menu too.
        context["menu_categories"] = menu = site_menu(self.request)
        sections = section_articles(menu, settings.DIGEST_HOME_SECTION_SIZE)
        # Every card of the page in one group: one query for all their bylines.
        context["bylines"] = Bylines(featured + sections + latest)
        context.update(home_sections(featured, sections, latest))
        return context


def section_articles(menu, per_section):
    """The newest *per_section* articles of each top-level menu category, a parent's block
    including its sub-categories: [article, ...] with `article.section_id` set."""
    section_of = {}
    for section in menu:
        section_of[section.pk] = section.pk
        for child in section.children_ids:
            section_of[child] = section.pk
    rows = Article.objects.published().for_cards().newest_in_each(section_of, per_section)
    by_section = {}
    for article in rows:
        article.section_id = section_of[article.category_id]
        by_section.setdefault(article.section_id, []).append(article)
    # Each category gave its newest few: keep the section's newest of those.
    return [a for articles in by_section.values() for a in articles[:per_section]]


def home_sections(featured, section_articles, latest):
    """Arrange the home page: the lead, featured, latest and one block per menu category."""
    latest = list(latest)
    lead = featured[0] if featured else (latest[0] if latest else None)
    shown = {lead.pk} if lead else set()
    # Three stories under the lead: the featured ones, topped up with the newest.
    featured = [a for a in [*featured, *latest] if a.pk not in shown]
    featured = list({a.pk: a for a in featured}.values())[:3]
    shown.update(a.pk for a in featured)
    by_section = {}
    for article in section_articles:
        by_section.setdefault(article.section_id, []).append(article)
    return {
        "lead": lead,
        "featured": featured,
        "latest": [a for a in latest if a.pk not in shown][:8],
        "section_articles": by_section,
        "opinion_slug": settings.DIGEST_OPINION_CATEGORY,
    }


class CategoryView(ArticleListMixin, ListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(
            Category.objects.select_related("parent").prefetch_related("children"),
            slug=self.kwargs["slug"],
        )
        self.family = [self.category.pk, *(c.pk for c in self.category.children.all())]
        return super().get_queryset().filter(category_id__in=self.family)

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, page_ids=self.page_ids, **kwargs)

    def page_ids(self, start, stop, after=None):
        """The ids of a page of the category's family, from the indexes alone."""
        return Article.objects.published().newest_ids_in(self.family, start, stop, after)

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
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().by_author(self.author)

    def links(self):
        return Article.authors.through.objects.filter(author=self.author)

    def get_context_data(self, **kwargs):
        translated = Translation.objects.filter(translator=self.author)
        translations = (
            Article.objects.published()
            .for_cards()
            .newest_linked(translated, settings.DIGEST_PAGE_SIZE)
            .newest_first()
        )
        return super().get_context_data(author=self.author, translations=translations, **kwargs)


class SourceView(LinkedListMixin, ListView):
    template_name = "articles/source_detail.html"

    def get_queryset(self):
        self.source = get_object_or_404(Source, slug=self.kwargs["slug"])
        return super().get_queryset().from_source(self.source)

    def links(self):
        return Translation.objects.filter(source=self.source)

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)


class TagView(ArticleListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveView(ArticleListMixin, ListView):
    """The digest of a day, a month or a year: /archive/2024/02/16/, /archive/2024/02/, ..."""

    template_name = "articles/archive.html"

    def get_queryset(self):
        self.period = archive_period(**self.kwargs)
        start, end = self.period["start"], self.period["end"]
        return super().get_queryset().between(start, end)

    def get_context_data(self, **kwargs):
        return super().get_context_data(period=self.period, **kwargs)


def archive_period(year, month=None, day=None):
    """The dates a day/month/year archive covers, its label and its neighbours' addresses."""
    try:
        if day is not None:
            start = datetime.date(year, month, day)
            end = start + datetime.timedelta(days=1)
            previous, following = start - datetime.timedelta(days=1), end
            label, kind = f"{start:%B} {start.day}, {start.year}", "day"
        elif month is not None:
            start = datetime.date(year, month, 1)
            end = (start + datetime.timedelta(days=32)).replace(day=1)
            previous = (start - datetime.timedelta(days=1)).replace(day=1)
            following = end
            label, kind = f"{start:%B %Y}", "month"
        else:
            start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
            previous, following = datetime.date(year - 1, 1, 1), end
            label, kind = str(year), "year"
    except (ValueError, OverflowError) as error:
        raise Http404("No such date") from error
    today = timezone.localdate()
    return {
        "kind": kind,
        "label": label,
        "start": start,
        "end": end,
        "previous": archive_url(kind, previous),
        "next": archive_url(kind, following) if following <= today else None,
    }


def archive_url(kind, date):
    if kind == "day":
        return reverse("articles:archive_day", args=[date.year, date.month, date.day])
    if kind == "month":
        return reverse("articles:archive_month", args=[date.year, date.month])
    return reverse("articles:archive_year", args=[date.year])


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
    related = list(published.for_cards().related_to(article, [t.pk for t in tags]))
    # The same sidebar on every article page: read once per content version (pagecache.fragments).
    newest = versioned(
        request, "newest-articles", lambda: list(published.for_cards().newest_first()[:6])
    )
    newest = [a for a in newest if a.pk != article.pk][:5]
    previous, following = published.neighbours_of(article) if article.published_at else (None, None)
    provenance = getattr(article, "translation", None)
    return {
        "article": article,
        "authors": authors,
        "tags": tags,
        "provenance": provenance,
        "related_articles": related,
        "new_articles": newest,
        "previous_article": previous,
        "next_article": following,
        "canonical_url": seo.canonical_url(request, article),
        "jsonld": seo.article_jsonld(request, article, authors, provenance),
    }


def article_detail(request, category, slug):
    article = get_object_or_404(Article.objects.published().for_page(), slug=slug)
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


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"
