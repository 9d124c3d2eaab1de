"""A reader pages far back in a category, a tag or the home page: every page lists exactly
the articles an OFFSET over the newest-first order would, also after the archive changes,
although deep pages seek from cached anchors instead of counting rows from the top."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import pagination, services
from articles.models import Article
from articles.views import CategoryView, HomeView, TagView

PER_PAGE = 3


@pytest.fixture
def small_pages(monkeypatch):
    # Tiny pages, an early deferred join and an anchor every 4 rows: a few dozen articles
    # exercise what page 5,000 of a million does.
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 3)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 4)
    for view in (CategoryView, HomeView, TagView):
        monkeypatch.setattr(view, "paginate_by", PER_PAGE)


@pytest.fixture
def archive(make_article, make_category):
    parent = make_category(name="Politics")
    child = make_category(name="Elections", parent=parent)
    other = make_category(name="Culture")
    start = timezone.now() - timedelta(days=30)
    made = []
    for n in range(26):
        # Pairs share a publication time, so the id decides their order.
        published = start + timedelta(hours=n // 2)
        category = (parent, child, other)[n % 3]
        made.append(
            make_article(
                title=f"Deep story {n:02d}",
                category=category,
                published_at=published,
                tags=["Archive"],
            )
        )
    return {"parent": parent, "child": child, "made": made}


def titles(response):
    return re.findall(r"Deep story \d\d", response.content.decode())


def expected(queryset, page):
    rows = queryset.order_by("-published_at", "-pk").values_list("title", flat=True)
    return list(rows[(page - 1) * PER_PAGE : page * PER_PAGE])


def pages_of(client, url, count):
    return {n: titles(client.get(f"{url}?page={n}")) for n in range(1, count + 1)}


def check_every_page(client, url, queryset):
    total = queryset.count()
    pages = -(-total // PER_PAGE)
    got = pages_of(client, url, pages)
    want = {n: expected(queryset, n) for n in range(1, pages + 1)}
    assert got == want


def test_deep_category_pages_list_what_an_offset_would(client, small_pages, archive):
    family = [archive["parent"].pk, archive["child"].pk]
    queryset = Article.objects.published().filter(category_id__in=family)
    check_every_page(client, archive["parent"].get_absolute_url(), queryset)
    # A second pass reads the anchors from the cache and must agree.
    check_every_page(client, archive["parent"].get_absolute_url(), queryset)


def test_deep_tag_and_home_pages_list_what_an_offset_would(client, small_pages, archive):
    tag = archive["made"][0].tags.get()
    tagged = Article.objects.published().filter(tagged_items__tag=tag)
    check_every_page(client, tag.get_absolute_url(), tagged)
    # Home page 1 shows sections too; its later pages are the plain newest-first list.
    got = pages_of(client, "/", 9)
    for n in range(2, 10):
        assert got[n] == expected(Article.objects.published(), n), n


def test_deep_pages_follow_a_new_article_and_an_unpublished_one(client, small_pages, archive):
    url = archive["parent"].get_absolute_url()
    family = [archive["parent"].pk, archive["child"].pk]
    queryset = Article.objects.published().filter(category_id__in=family)
    check_every_page(client, url, queryset)  # anchors now cached

    newest = services.article_save(
        title="Deep story 99",
        standfirst="Newest.",
        body="<p>Newest piece.</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=5),
        category=archive["child"],
    )
    assert newest.pk
    check_every_page(client, url, queryset)  # everything moved down by one

    oldest = queryset.order_by("published_at", "pk").first()
    services.article_save(article=oldest, status=Article.Status.UNPUBLISHED)
    middle = queryset.order_by("-published_at", "-pk")[7]
    services.article_save(article=middle, status=Article.Status.UNPUBLISHED)
    check_every_page(client, url, queryset)
