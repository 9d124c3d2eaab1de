"""A reader pages far back in a category, a tag or the home page: every page lists exactly
the articles an OFFSET over the newest-first order would, also after the archive changes,
although deep pages seek from cached anchors instead of counting rows from the top."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import feeds, pagination, services
from articles.models import Article
from articles.views import AuthorView, CategoryView, HomeView, SourceView, TagView

PER_PAGE = 3


@pytest.fixture
def small_pages(monkeypatch):
    # Tiny pages, an early deferred join and an anchor every 4 rows: a few dozen articles
    # exercise what page 5,000 of a million does.
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 3)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 4)
    for view in (AuthorView, CategoryView, HomeView, SourceView, TagView):
        monkeypatch.setattr(view, "paginate_by", PER_PAGE)


@pytest.fixture
def archive(make_article, make_category, make_author):
    parent = make_category(name="Politics")
    child = make_category(name="Elections", parent=parent)
    other = make_category(name="Culture")
    start = timezone.now() - timedelta(days=30)
    writer, other_writer = make_author(name="Deep Writer"), make_author(name="Other Writer")
    outlet = services.source_get_or_create(name="Deep Outlet")
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
                # Most stories are the writer's, some shared, some not theirs at all.
                authors=[[writer], [writer, other_writer], [other_writer]][n % 4 % 3],
                # Every other story translated from the outlet, a third of those by the writer.
                translation={"source": outlet, "translator": writer if n % 3 == 0 else None}
                if n % 2
                else None,
            )
        )
    return {
        "parent": parent,
        "child": child,
        "made": made,
        "writer": writer,
        "other_writer": other_writer,
        "outlet": outlet,
    }


def titles(response):
    """The titles of the page's list (an author's translations come after it)."""
    listed = response.content.decode().split('id="translations-title"')[0]
    return re.findall(r"Deep story \d\d", listed)


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


def test_deep_author_pages_list_what_an_offset_would(client, small_pages, archive):
    writer = archive["writer"]
    bylined = Article.objects.published().filter(authors=writer)
    assert 6 < bylined.count() < 26
    check_every_page(client, writer.get_absolute_url(), bylined)
    check_every_page(client, writer.get_absolute_url(), bylined)  # anchors from the cache
    # Their translations, newest first, beside every page of the list.
    translated = Article.objects.published().filter(translation__translator=writer)
    want = list(translated.order_by("-published_at", "-pk").values_list("title", flat=True))
    page = client.get(writer.get_absolute_url() + "?page=2").content.decode()
    shown = re.findall(r"Deep story \d\d", page.split('id="translations-title"')[1])
    assert len(want) == 4 and shown == want
    # A story taken off the byline and an unpublished one leave the pages at once.
    first, second = bylined.order_by("-published_at", "-pk")[2:4]
    services.article_save(article=first, authors=[archive["other_writer"]])
    services.article_save(article=second, status=Article.Status.UNPUBLISHED)
    assert not bylined.filter(pk__in=[first.pk, second.pk]).exists()
    check_every_page(client, writer.get_absolute_url(), bylined)


def test_deep_source_pages_list_what_an_offset_would(client, small_pages, archive):
    outlet = archive["outlet"]
    translated = Article.objects.published().filter(translation__source=outlet)
    assert translated.count() == 13
    check_every_page(client, outlet.get_absolute_url(), translated)


def test_author_and_source_feeds_list_their_newest_articles(client, archive, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 5)
    writer, outlet = archive["writer"], archive["outlet"]
    for url, articles in [
        (f"/feeds/author/{writer.slug}/rss/", Article.objects.published().filter(authors=writer)),
        (
            f"/feeds/source/{outlet.slug}/rss/",
            Article.objects.published().filter(translation__source=outlet),
        ),
    ]:
        body = client.get(url).content.decode()
        want = list(articles.order_by("-published_at", "-pk").values_list("title", flat=True))
        assert re.findall(r"<title>(Deep story \d\d)</title>", body) == want[:5], url


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
