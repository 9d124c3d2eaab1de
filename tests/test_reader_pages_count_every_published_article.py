"""The home page and the category pages know how many articles they hold without counting a
million rows (issue 21): the database tallies the published articles per category by its own
triggers, whoever writes them and however, and a list's total is that tally less the articles
whose time has not come. On SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article, PublishedTally
from articles.querysets import raw_delete


def agrees(*categories):
    """The tally's count is what counting the rows says: in all and for each family."""
    assert Article.objects.published_count() == Article.objects.published().count()
    for category in categories:
        family = [category.pk]
        assert Article.objects.published_count(family) == (
            Article.objects.published().filter(category_id__in=family).count()
        ), category


@pytest.fixture
def sections(make_category):
    return make_category(name="News"), make_category(name="Culture")


def test_every_way_of_writing_articles_keeps_the_tally(make_article, sections):
    news, culture = sections
    now = timezone.now()
    one = make_article(category=news)
    make_article(category=news, status=Article.Status.DRAFT, published_at=None)
    waiting = make_article(category=culture, published_at=now + timedelta(days=1))
    agrees(news, culture)
    assert Article.objects.published_count([culture.pk]) == 0

    # Scheduled: counted from its time on, with nothing run.
    assert Article.objects.published_count(now=now + timedelta(days=2)) == 2

    services.article_save(article=one, category=culture)  # moved
    agrees(news, culture)
    services.article_save(article=one, status=Article.Status.DRAFT)  # unpublished
    agrees(news, culture)
    services.article_save(article=one, status=Article.Status.PUBLISHED)  # published again
    agrees(news, culture)

    # Bulk paths: a bulk load, a queryset update, a raw delete, a cascade.
    Article.objects.bulk_create(
        Article(
            title=f"Loaded {n}",
            slug=f"loaded-{n}",
            category=news,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=n),
        )
        for n in range(1, 6)
    )
    agrees(news, culture)
    Article.objects.filter(slug__in=["loaded-1", "loaded-2"]).update(status="draft")
    agrees(news, culture)
    Article.objects.filter(slug="loaded-3").update(category=culture)
    agrees(news, culture)
    raw_delete(Article.objects.filter(slug="loaded-4"))
    agrees(news, culture)
    Article.objects.filter(pk=waiting.pk).delete()
    agrees(news, culture)

    # Past the ORM: another program writing SQL.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET status = 'draft' WHERE slug = %s", ["loaded-5"])
    agrees(news, culture)


def test_a_category_page_counts_its_family(make_article, make_category):
    news = make_category(name="News")
    energy = make_category(name="Energy", parent=news)
    for n in range(3):
        make_article(category=energy, title=f"Energy {n}")
    make_article(category=news, title="News")
    assert Article.objects.published_count([news.pk, energy.pk]) == 4
    assert Article.objects.published_count([energy.pk]) == 3


def test_the_first_list_after_a_publish_counts_no_rows(client, make_article, sections):
    """After a publish every list's total is new: it comes from the tally (and the few
    scheduled articles), never a COUNT(*) of the published archive."""
    news, _ = sections
    for n in range(3):
        make_article(category=news, title=f"Story {n}")
    client.get("/")
    make_article(category=news, title="Just in")
    for url in ("/", news.get_absolute_url()):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["paginator"].count == 4
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        assert counts, url
        assert not any(
            '"published_at" <=' in sql or '"published_at" <= ' in sql for sql in counts
        ), counts
    assert PublishedTally.objects.get(category=news).total == 4


def test_a_demo_archive_loaded_past_the_triggers_is_counted(db):
    """`seed_demo` on PostgreSQL copies its rows in as a replica, past every trigger: it counts
    the tally again when it is done. Clearing it deletes through the triggers."""
    from django.core.management import call_command

    from articles.models import Category

    call_command("seed_demo", articles=30, seed=3, verbosity=0)
    assert Article.objects.published().count() > 0
    agrees(*Category.objects.all())
    call_command("seed_demo", clear=True, verbosity=0)
    agrees(*Category.objects.all())
