"""seed_demo: a synthetic archive for load tests, clearly marked and removable."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min

from articles.models import Article, Category, TaggedArticle, Translation


@pytest.fixture
def demo_archive(db):
    call_command("seed_demo", articles=300, seed=7, batch_size=120, verbosity=0)


def test_demo_articles_are_realistic_and_marked(demo_archive):
    demo = Article.objects.filter(is_demo=True)
    assert demo.count() == 300
    words = demo.aggregate(low=Min("word_count"), high=Max("word_count"))
    assert 300 <= words["low"] and words["high"] <= 2000
    article = demo.first()
    assert article.body.startswith("<p>") and len(article.body.split()) >= 300
    assert article.reading_minutes == Article.reading_minutes_for(article.word_count)
    tags = demo.annotate(n=Count("tagged_items")).aggregate(low=Min("n"), high=Max("n"))
    assert 1 <= tags["low"] and tags["high"] <= 8
    assert not demo.annotate(n=Count("authors")).filter(n=0).exists()
    translated = Translation.objects.filter(article__is_demo=True).count()
    assert 60 <= translated <= 140  # about a third
    assert set(demo.values_list("category", flat=True)) == set(
        Category.objects.values_list("pk", flat=True)
    )
    years = {d.year for d in demo.dates("published_at", "year")}
    assert len(years) >= 9
    assert Article.objects.published().filter(is_demo=True).count() >= 280


def test_demo_seeding_creates_the_seed_menu_in_an_empty_database(demo_archive):
    assert Category.objects.filter(name="Opinion").exists()


def test_clear_removes_demo_articles_only(demo_archive, make_article):
    kept = make_article(title="A real story")
    call_command("seed_demo", clear=True, verbosity=0)
    assert not Article.objects.filter(is_demo=True).exists()
    assert Article.objects.filter(pk=kept.pk).exists()
    assert Article.objects.count() > 1  # the seed articles stay too
    assert not TaggedArticle.objects.filter(tag__slug__startswith="demo-").exists()


def test_demo_pages_open(demo_archive, client):
    article = Article.objects.published().filter(is_demo=True).first()
    response = client.get(article.get_absolute_url())
    assert article.title in response.content.decode()
    assert article.category.name in client.get(article.category.get_absolute_url()).content.decode()


@pytest.mark.postgres
def test_demo_search_vectors_equal_what_the_trigger_computes(demo_archive):
    if connection.vendor != "postgresql":
        pytest.skip("search vectors exist on PostgreSQL only")
    with connection.cursor() as cursor:
        # The trigger's own expression (migrations 0002, 0007, 0011).
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE is_demo AND search_vector IS DISTINCT "
            "FROM articles_search_document(title, 'A') "
            "|| articles_search_document(standfirst, 'B') "
            "|| articles_search_document(body, 'C')"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE is_demo AND search_head IS DISTINCT "
            "FROM articles_search_document(title, 'A') "
            "|| articles_search_document(standfirst, 'B')"
        )
        assert cursor.fetchone()[0] == 0
    # Later edits still go through the trigger.
    article = Article.objects.filter(is_demo=True).first()
    Article.objects.filter(pk=article.pk).update(title="Zanzibarquux headline")
    assert Article.objects.filter(search_vector="zanzibarquux", pk=article.pk).exists()
    assert Article.objects.filter(search_head="zanzibarquux", pk=article.pk).exists()


def test_seeding_and_clearing_refresh_readers_cached_pages(db, client, settings, make_article):
    """The bulk load and the bulk delete send no row signals: each tells the page cache once."""
    from django.core.cache import cache, caches

    settings.PAGECACHE_ENABLED = True
    cache.clear()
    caches["fragments"].clear()
    kept = make_article(
        title="A real story", tags=["Real"], translation={"source_url": "https://example.org/real"}
    )
    client.get("/")
    assert client.get("/").get("X-Page-Cache") == "hit"
    if connection.vendor == "postgresql":
        # The load builds an index, which PostgreSQL refuses while this test's own writes
        # still have deferred checks pending (a real run has none).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("seed_demo", articles=30, seed=3, verbosity=0)
    newest = Article.objects.published().filter(is_demo=True).order_by("-published_at").first()
    assert client.get("/").get("X-Page-Cache") != "hit"
    client.get("/")
    call_command("seed_demo", clear=True, verbosity=0)
    page = client.get("/")
    assert page.get("X-Page-Cache") != "hit"
    assert newest.title not in page.content.decode()
    # The real article keeps its tags and provenance.
    assert list(kept.tags.names()) == ["Real"]
    assert Translation.objects.filter(article=kept).exists()
    cache.clear()


def test_demo_articles_can_show_pictures_drawn_for_them(db, client, settings, tmp_path):
    """`--pictures N`: N pictures drawn here (nothing downloaded), with renditions, and half the
    articles show one, on their cards too; --clear removes them."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", articles=40, seed=5, pictures=3, verbosity=0)
    demo = Article.objects.filter(is_demo=True)
    pictured = demo.exclude(featured_image="")
    assert pictured.count() == 20
    article = pictured.first()
    assert sorted(article.image_renditions, key=int) == ["480", "800", "1200"]  # and 1600 itself
    assert (article.image_width, article.image_height) == (1600, 900)
    assert article.image_alt and (tmp_path / article.featured_image.name).exists()
    assert len(set(pictured.values_list("featured_image", flat=True))) == 3
    category = Category.objects.get(pk=article.category_id)
    html = client.get(category.get_absolute_url() + "?page=1").content.decode()
    assert 'loading="lazy"' in html and "-480w" in html
    call_command("seed_demo", clear=True, verbosity=0)
    assert not list((tmp_path / "demo-pictures").iterdir())
