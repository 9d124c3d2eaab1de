"""The page cache: anonymous pages come from the cache with no SQL, and every change a reader
should see shows up on the very next request."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache
from django.utils import timezone

from articles import cache as page_cache
from articles import services
from articles.models import Article, SiteIdentity


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.DIGEST_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def hit(response):
    return response.get("X-Page-Cache") == "hit"


def test_second_anonymous_request_is_served_from_the_cache_without_sql(
    client, make_article, django_assert_num_queries
):
    article = make_article(title="Caspian ferry timetable")
    first = client.get("/")
    assert not hit(first)
    with django_assert_num_queries(0):
        second = client.get("/")
    assert hit(second)
    assert second.content == first.content
    assert "Caspian ferry timetable" in second.content.decode()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert hit(client.get(article.get_absolute_url()))


def test_published_article_shows_on_next_request(client, make_article):
    make_article(title="First story")
    client.get("/")
    assert hit(client.get("/"))
    make_article(title="Breaking: second story")
    response = client.get("/")
    assert not hit(response)
    assert "Breaking: second story" in response.content.decode()


def test_edited_article_shows_on_next_request_everywhere(client, make_article):
    article = make_article(title="Old headline")
    url = article.get_absolute_url()
    for page in ("/", url):
        client.get(page)
    services.article_save(article=article, title="New headline")
    for page in ("/", url):
        text = client.get(page).content.decode()
        assert "New headline" in text
        assert "Old headline" not in text


def test_unpublished_article_disappears_on_next_request(client, make_article):
    article = make_article(title="Withdrawn story")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "Withdrawn story" in client.get("/").content.decode()
    services.article_unpublish(article=article)
    assert client.get(url).status_code == 404
    assert "Withdrawn story" not in client.get("/").content.decode()


def test_deleted_article_disappears_on_next_request(client, make_article):
    article = make_article(title="Deleted story")
    url = article.get_absolute_url()
    client.get(url)
    client.get("/")
    services.article_delete(article=article)
    assert client.get(url).status_code == 404
    assert "Deleted story" not in client.get("/").content.decode()


def test_renamed_category_and_author_show_on_next_request(client, make_article, make_author):
    author = make_author(name="Leyla Aliyeva")
    article = make_article(title="Energy outlook", authors=[author])
    url = article.get_absolute_url()
    client.get(url)
    category = article.category
    category.name = "Renamed section"
    category.save()
    author.name = "Leyla Mammadova"
    author.save()
    text = client.get(url).content.decode()
    assert "Renamed section" in text
    assert "Leyla Mammadova" in text


def test_new_tag_shows_on_next_request(client, make_article):
    article = make_article(title="Tagged story")
    url = article.get_absolute_url()
    client.get(url)
    article.tags.add("Shusha")
    assert "Shusha" in client.get(url).content.decode()


def test_site_identity_and_pages_changes_show_on_next_request(client, make_article):
    make_article()
    client.get("/")
    identity = SiteIdentity.current()
    identity.name = "Caucasus Review"
    identity.save()
    assert "Caucasus Review" in client.get("/").content.decode()
    client.get("/")
    FlatPage.objects.create(url="/about/", title="About", content="x")
    assert not hit(client.get("/"))


def test_scheduled_article_appears_on_time_without_any_change(client, make_article, monkeypatch):
    make_article(title="Already out")
    due = timezone.now() + timedelta(hours=1)
    make_article(title="Embargoed until noon", published_at=due)
    response = client.get("/")
    assert "Embargoed until noon" not in response.content.decode()
    assert hit(client.get("/"))
    # No request and no save in between: only the clock moves past the embargo.
    later = due + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(page_cache.time, "time", later.timestamp)
    response = client.get("/")
    assert not hit(response)
    assert "Embargoed until noon" in response.content.decode()


def test_max_age_never_reaches_past_the_next_scheduled_publication(client, make_article):
    make_article()
    make_article(published_at=timezone.now() + timedelta(seconds=20))
    cache_control = client.get("/")["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age <= 20


@pytest.fixture
def editor(db):
    return User.objects.create_user("ed", password="pw", is_staff=True, is_superuser=True)


def test_signed_in_editor_is_never_served_nor_stores_cached_pages(client, make_article, editor):
    article = make_article(title="Story with staff tools")
    url = article.get_absolute_url()
    client.get(url)
    assert hit(client.get(url))

    client.force_login(editor)
    response = client.get(url)
    assert not hit(response)
    assert "Edit</a>" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]

    # The editor's page (with its Edit link) never reaches readers.
    cache.clear()
    client.get(url)
    client.logout()
    reader = client.get(url)
    assert "Edit</a>" not in reader.content.decode()
    assert "public" in reader["Cache-Control"]


def test_admin_pages_are_never_stored_anywhere(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.urls("tests.urls_page_cache")
def test_page_that_uses_the_csrf_token_is_never_stored(client, db):
    first = client.get("/test-form/")
    assert first.cookies
    client.cookies.clear()
    second = client.get("/test-form/")
    assert not hit(second)
    assert second.cookies, "each reader gets their own token"
    assert "public" not in second.get("Cache-Control", "")


@pytest.mark.urls("tests.urls_page_cache")
def test_page_that_shows_a_message_is_never_stored(client, db):
    client.get("/test-message/")
    client.cookies.clear()
    assert not hit(client.get("/test-message/"))


def test_conditional_get_is_answered_304_when_stored_and_when_fresh(client, make_article, settings):
    make_article()
    first = client.get("/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304
    not_modified = client.get("/", headers={"if-modified-since": last_modified})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    make_article(title="Something new")
    changed = client.get("/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "Something new" in changed.content.decode()

    settings.DIGEST_PAGE_CACHE = False
    fresh = client.get("/")
    assert client.get("/", headers={"if-none-match": fresh["ETag"]}).status_code == 304


def test_anonymous_pages_may_be_kept_by_browsers_and_cdns(client, make_article):
    make_article()
    cache_control = client.get("/")["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=" in cache_control
    assert "stale-while-revalidate=" in cache_control


def test_demo_articles_count_as_content(client, make_article):
    make_article()
    client.get("/")
    Article.objects.filter(pk__gt=0).first().save()
    assert not hit(client.get("/"))
