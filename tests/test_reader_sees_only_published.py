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


# --- Nothing about an unpublished piece is public before its time (issue 16) -----------------


def test_a_tag_used_only_by_a_draft_has_no_public_page_nor_feed(client, make_article):
    make_article(
        title="Secret pipeline deal",
        status=Article.Status.DRAFT,
        published_at=None,
        tags=["Secret pipeline"],
    )
    feeds = ["/feeds/tag/secret-pipeline/rss/", "/feeds/tag/secret-pipeline/atom/"]
    for url in ["/tag/secret-pipeline/", *feeds]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret pipeline" not in response.text


def test_an_author_and_a_source_known_only_from_scheduled_pieces_stay_hidden(
    client, make_article, make_author
):
    from articles import services

    author = make_author(name="Embargoed Writer")
    source = services.source_get_or_create(name="Embargoed Outlet")
    make_article(
        title="Tomorrow's exclusive",
        published_at=timezone.now() + timedelta(days=1),
        authors=[author],
        translation={"source": source, "source_url": "https://example.com/x"},
    )
    feeds = [f"/feeds/author/{author.slug}/rss/", f"/feeds/source/{source.slug}/rss/"]
    for url in [author.get_absolute_url(), source.get_absolute_url(), *feeds]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Embargoed" not in response.text
    sitemap = client.get("/sitemap-authors.xml").text
    assert author.slug not in sitemap


def test_once_a_piece_is_published_its_tag_and_author_pages_appear(
    client, make_article, make_author
):
    author = make_author(name="Leyla Mammadova")
    make_article(title="Ferry line reopens", tags=["Caspian ferries"], authors=[author])
    tag_page = client.get("/tag/caspian-ferries/")
    assert tag_page.status_code == 200 and "Ferry line reopens" in tag_page.text
    author_page = client.get(author.get_absolute_url())
    assert author_page.status_code == 200 and "Ferry line reopens" in author_page.text
