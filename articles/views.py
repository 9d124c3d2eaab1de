"""Public pages. Every list starts from `Article.objects.published()`."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.generic import ListView

from .models import Article, Author, Category, Source, Tag


class ArticleListMixin:
    """The shared queryset and page size of every article list."""

    paginate_by = settings.DIGEST_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing().newest_first()


class HomeView(ArticleListMixin, ListView):
    template_name = "articles/home.html"


class CategoryView(ArticleListMixin, ListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(
            Category.objects.select_related("parent"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class AuthorView(ArticleListMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().by_author(self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class SourceView(ArticleListMixin, ListView):
    template_name = "articles/source_detail.html"

    def get_queryset(self):
        self.source = get_object_or_404(Source, slug=self.kwargs["slug"])
        return super().get_queryset().from_source(self.source)

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, **kwargs)


class TagView(ArticleListMixin, ListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def article_detail(request, category, slug):
    article = get_object_or_404(
        Article.objects.published()
        .select_related(
            "category__parent",
            "translation__source",
            "translation__original_author",
            "translation__translator",
        )
        .prefetch_related("authors", "tags"),
        slug=slug,
    )
    if article.category.slug != category:
        # The category changed since the link was made: one permanent address.
        return redirect(article, permanent=True)
    return render_article(request, article)


def render_article(request, article, *, preview=False):
    """The article page; signed-in staff get an "Edit" link, in a response only for them."""
    show_edit = request.user.is_authenticated and request.user.is_staff and not preview
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "is_preview": preview, "show_edit_link": show_edit},
    )
    if show_edit:
        # The page carries a staff-only link: no shared cache may keep it for readers.
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response
