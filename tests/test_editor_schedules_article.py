"""A published article with a future time is scheduled: invisible until then, everywhere."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article


@pytest.fixture
def scheduled(make_article, make_author):
    author = make_author("Azer Aykhan")
    return make_article(
        title="Tomorrows analysis of the Caspian grid",
        published_at=timezone.now() + timedelta(hours=3),
        authors=[author],
        tags=["Energy"],
    )


def public_pages(article):
    """Every list a reader, a feed reader or a search engine sees."""
    author = article.authors.first()
    year = timezone.localtime(article.published_at).year
    return [
        "/",
        article.category.get_absolute_url(),
        author.get_absolute_url(),
        article.tags.first().get_absolute_url(),
        f"/archive/{year}/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
        "/search/?q=Caspian+grid",
    ]


def listed(client, url, article):
    response = client.get(url)
    if url == "/news-sitemap.xml" and not Article.objects.published().news().exists():
        # With nothing new for two days there is no news sitemap (an empty one is invalid).
        assert response.status_code == 404, url
        return False
    assert response.status_code == 200, url
    return article.get_absolute_url() in response.content.decode()


def test_scheduled_article_is_hidden_everywhere_before_its_time(client, scheduled):
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    # Its author and tag are known only from it: they have no page before its time either
    # (issue 16); every other list is there and does not list it.
    only_from_it = {
        scheduled.authors.first().get_absolute_url(),
        scheduled.tags.first().get_absolute_url(),
    }
    for url in public_pages(scheduled):
        if url in only_from_it:
            assert client.get(url).status_code == 404, url
            continue
        assert not listed(client, url, scheduled), url
    assert not Article.objects.published().filter(pk=scheduled.pk).exists()


def test_scheduled_article_appears_by_itself_when_its_time_comes(client, scheduled):
    later = scheduled.published_at + timedelta(minutes=1)
    assert Article.objects.published(now=later).filter(pk=scheduled.pk).exists()
    # No job runs: moving the clock is the same as the time passing.
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    cache.clear()  # what a cache kept before the time is not what this test is about
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    scheduled.refresh_from_db()
    for url in public_pages(scheduled):
        assert listed(client, url, scheduled), url


def test_editor_schedules_from_the_change_form_and_sees_it_marked(
    editor_client, make_article, article_form_data
):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    when = timezone.localtime() + timedelta(days=1)
    response = editor_client.post(
        f"/admin/articles/article/{draft.pk}/change/",
        article_form_data(
            draft,
            status="published",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled
    assert "Scheduled" in editor_client.get("/admin/articles/article/").content.decode()
