from datetime import timedelta

from django.utils import timezone

from articles.models import Article


def test_draft_and_review_articles_are_not_published(make_article):
    visible = make_article()
    make_article(status=Article.Status.DRAFT, published_at=None)
    make_article(status=Article.Status.REVIEW, published_at=None)
    make_article(status=Article.Status.UNPUBLISHED)
    assert list(Article.objects.published()) == [visible]


def test_future_scheduled_article_is_hidden_until_its_time(make_article):
    at = timezone.now() + timedelta(hours=2)
    scheduled = make_article(published_at=at)
    assert scheduled.is_scheduled and not scheduled.is_public
    assert not Article.objects.published().filter(pk=scheduled.pk).exists()
    assert Article.objects.published(now=at + timedelta(seconds=1)).filter(pk=scheduled.pk).exists()


def test_scheduled_article_is_absent_from_public_pages(client, make_article):
    make_article(title="Tomorrow's exclusive", published_at=timezone.now() + timedelta(days=1))
    make_article(title="Today's story")
    home = client.get("/").content.decode()
    assert "Today&#x27;s story" in home
    assert "Tomorrow" not in home


def test_draft_article_page_is_not_found(client, make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_publishing_without_a_time_uses_now(make_article):
    before = timezone.now()
    article = make_article(published_at=None)
    assert article.published_at >= before
    assert Article.objects.published().filter(pk=article.pk).exists()
