"""Reading an article counts once towards "Most read" (the last 24 hours and 7 days): a
same-origin beacon from the page (POST /read/<id>/), counted per article and hour in the
database; nothing about the reader is kept, robots and the newsroom are not counted, and it
works behind the page cache."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import ArticleReads

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FROM_THE_PAGE = {"HTTP_USER_AGENT": BROWSER, "HTTP_SEC_FETCH_SITE": "same-origin"}


def read(client, article, **headers):
    return client.post(f"/read/{article.pk}/", **{**FROM_THE_PAGE, **headers})


def counted(article):
    return sum(ArticleReads.objects.filter(article=article).values_list("count", flat=True))


def test_an_article_page_carries_its_beacon(client, make_article):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-read-beacon="/read/{article.pk}/"' in html
    assert '<script src="/static/js/site.js"></script>' in html  # no inline script


def test_each_beacon_counts_one_reading_in_its_hour(client, make_article):
    article = make_article()
    for expected in (1, 2, 3):
        response = read(client, article)
        assert response.status_code == 204 and response.content == b""
        assert counted(article) == expected
    [row] = ArticleReads.objects.filter(article=article)
    assert row.hour == timezone.now().replace(minute=0, second=0, microsecond=0)


def test_nothing_about_the_reader_is_kept(client, make_article):
    article = make_article()
    response = read(client, article, REMOTE_ADDR="203.0.113.7", HTTP_COOKIE="x=1")
    assert not response.cookies
    fields = {field.name for field in ArticleReads._meta.get_fields()}
    assert fields == {"id", "article", "hour", "count"}
    assert "203.0.113.7" not in str(list(ArticleReads.objects.values()))


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"HTTP_USER_AGENT": "facebookexternalhit/1.1"},
        {"HTTP_USER_AGENT": BROWSER.replace("Chrome/", "HeadlessChrome/")},
        {"HTTP_USER_AGENT": "curl/8.5.0"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "none"},
    ],
)  # fmt: skip
def test_robots_scripts_and_other_sites_are_not_counted(client, make_article, headers):
    article = make_article()
    assert read(client, article, **headers).status_code == 204
    assert counted(article) == 0


def test_without_fetch_metadata_only_this_sites_origin_counts(client, make_article):
    article = make_article()
    plain = {"HTTP_USER_AGENT": BROWSER}
    client.post(f"/read/{article.pk}/", **plain, HTTP_ORIGIN="https://elsewhere.example")
    client.post(f"/read/{article.pk}/", **plain)
    assert counted(article) == 0
    client.post(f"/read/{article.pk}/", **plain, HTTP_ORIGIN="http://testserver")
    assert counted(article) == 1


def test_the_newsroom_reading_its_own_pages_is_not_counted(editor_client, make_article):
    article = make_article()
    read(editor_client, article)
    assert counted(article) == 0


def test_only_published_articles_are_counted_and_only_by_post(client, make_article):
    draft = make_article(status="draft")
    assert read(client, draft).status_code == 204 and counted(draft) == 0
    article = make_article()
    assert client.get(f"/read/{article.pk}/", **FROM_THE_PAGE).status_code == 405
    assert client.post("/read/999999/", **FROM_THE_PAGE).status_code == 204


def test_counts_older_than_a_week_are_dropped_when_a_new_hour_begins(make_article):
    article = make_article()
    long_ago = timezone.now() - timedelta(days=9)
    services.article_read_add(article_id=article.pk, at=long_ago)
    services.article_read_add(article_id=article.pk, at=timezone.now() - timedelta(days=2))
    services.article_read_add(article_id=article.pk)
    hours = list(ArticleReads.objects.filter(article=article).values_list("hour", flat=True))
    assert len(hours) == 2 and min(hours) > long_ago + timedelta(hours=1)


def test_most_read_lists_the_last_24_hours_and_the_last_7_days(client, make_article):
    now = timezone.now()
    stories = [
        make_article(title=f"Story {n}", published_at=now - timedelta(days=9, hours=n))
        for n in range(16)
    ]
    today, this_week = stories[14], stories[15]
    for _ in range(5):
        services.article_read_add(article_id=today.pk, at=now - timedelta(hours=2))
    for _ in range(9):
        services.article_read_add(article_id=this_week.pk, at=now - timedelta(days=3))
    html = client.get("/").content.decode()
    block = html.split('id="most-read-title"')[1].split("</section>")[0]
    day = block.split("Last 24 hours")[1].split("Last 7 days")[0]
    week = block.split("Last 7 days")[1]
    assert "Story 14" in day and "Story 15" not in day
    assert "Story 15" in week
    assert 'class="compact-list ranked"' in block


def test_beacons_are_counted_behind_the_page_cache(client, settings, make_article):
    from django.core.cache import cache

    settings.PAGECACHE_ENABLED = True
    cache.clear()
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url).get("X-Page-Cache") == "hit"
    read(client, article)
    read(client, article)
    assert counted(article) == 2
    # Counting changes no page: the stored article page stays.
    assert client.get(url).get("X-Page-Cache") == "hit"
    cache.clear()


def test_the_content_security_policy_stays_strict(client, make_article):
    article = make_article()
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
