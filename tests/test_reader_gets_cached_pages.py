"""The page cache: anonymous pages come from the cache with no SQL, and every change a reader
should see shows up on the very next request."""

import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article, SiteIdentity, Tag
from pagecache import local, state


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    """Every test here with the page cache on (tests/conftest.py)."""


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


def test_work_on_drafts_keeps_readers_pages_cached(client, make_article, make_author):
    """A newsroom saves drafts all day: nothing a reader sees changes, so nothing is dropped."""
    make_article(title="Public story")
    writer = make_author(name="Draft Writer")
    outlet = services.source_get_or_create(name="Draft Outlet")
    client.get("/")
    assert hit(client.get("/"))
    draft = services.article_save(
        title="Embargoed story",
        body="<p>Not yet.</p>",
        status=Article.Status.DRAFT,
        category=Article.objects.first().category,
        authors=[writer],
        tags=["Embargo"],
        translation={"source": outlet, "source_url": "https://example.org/1"},
    )
    services.article_save(article=draft, title="Embargoed story, second draft", tags=["Other"])
    services.article_save(article=draft, status=Article.Status.REVIEW, authors=[])
    draft.tags.add("Third")
    draft.authors.add(writer)
    services.article_save(article=draft, translation={})
    throwaway = services.article_save(
        title="Abandoned idea", body="<p>No.</p>", category=draft.category
    )
    services.article_delete(article=throwaway)
    assert hit(client.get("/"))

    services.article_save(
        article=draft, status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    response = client.get("/")
    assert not hit(response)
    assert "Embargoed story, second draft" in response.content.decode()
    client.get("/")
    services.article_unpublish(article=draft)
    response = client.get("/")
    assert not hit(response)
    assert "Embargoed story" not in response.content.decode()


def test_a_draft_that_was_public_in_the_database_still_invalidates(client, make_article):
    """The decision reads the row, not the copy in memory: a stale copy that says "draft" of
    an article published since is still a change readers see."""
    article = make_article(title="Published behind our back")
    stale = Article.objects.get(pk=article.pk)
    stale.status = Article.Status.DRAFT
    client.get("/")
    assert hit(client.get("/"))
    stale.save()
    response = client.get("/")
    assert not hit(response)
    assert "Published behind our back" not in response.content.decode()


def test_scheduling_changes_invalidate(client, make_article):
    """A scheduled piece is on no page yet, but its time bounds how long pages are kept."""
    article = make_article(title="Later", published_at=timezone.now() + timedelta(days=2))
    client.get("/")
    assert hit(client.get("/"))
    services.article_save(article=article, published_at=timezone.now() + timedelta(seconds=20))
    response = client.get("/")
    assert not hit(response)
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 20  # kept no longer than until the new time


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
    monkeypatch.setattr(state.time, "time", later.timestamp)
    response = client.get("/")
    assert not hit(response)
    assert "Embargoed until noon" in response.content.decode()


def test_max_age_never_reaches_past_the_next_scheduled_publication(client, make_article):
    make_article()
    make_article(published_at=timezone.now() + timedelta(seconds=20))
    cache_control = client.get("/")["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age <= 20


def change_title_behind_the_caches_back(article, title):
    """A change no signal hears: what a page then shows was kept from before it."""
    Article.objects.filter(pk=article.pk).update(title=title)


def test_pages_rendered_under_one_content_version_share_their_cards(client, make_article):
    article = make_article(title="Card made once")
    article.tags.add("Shusha")
    category_url = article.category.get_absolute_url()
    tag_url = Tag.objects.get(name="Shusha").get_absolute_url()
    assert "Card made once" in client.get(category_url).content.decode()
    change_title_behind_the_caches_back(article, "Title nobody announced")
    # Another page, not stored yet, under the same version: the category's card is reused.
    page = client.get(tag_url)
    assert not hit(page)
    assert "Card made once" in page.content.decode()
    # Any change is a new version: every card is made again.
    services.article_save(article=Article.objects.get(pk=article.pk), title="Edited headline")
    for url in ("/", category_url, tag_url, f"{category_url}?utm_source=share"):
        text = client.get(url).content.decode()
        assert "Edited headline" in text
        assert "Card made once" not in text


def test_menu_identity_and_page_links_are_read_once_per_content_version(
    client, make_article, django_assert_num_queries
):
    make_article(title="Story")
    identity = SiteIdentity.current()
    identity.name = "Caucasus Review"
    identity.save()
    FlatPage.objects.create(url="/about/", title="About us", content="x").sites.add(1)
    first = client.get("/")
    # A miss under the same version reads only the page's newest articles (the blocks they
    # and the featured, most-read and category candidates go in were placed once per
    # version, issue 21): their cards, with the bylines, were kept too.
    # (``?page=1``: a parameter the page declares, so another key; an undeclared one such as
    # ``?via=share`` is the stored page itself.)
    with django_assert_num_queries(1) as queries:
        again = client.get("/?page=1")
    assert not hit(again)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "articles_siteidentity" not in tables
    assert "django_flatpage" not in tables
    assert "articles_author" not in tables
    # The cards with their categories joined (on PostgreSQL, a prepared statement of them).
    assert "articles_category" in tables or "EXECUTE digest_newest_cards" in tables
    assert again.content == first.content
    identity.name = "Baku Review"
    identity.save()
    assert "Baku Review" in client.get("/?page=1").content.decode()


def test_every_click_on_a_shared_link_is_the_same_stored_page(client, make_article):
    article = make_article(title="The story everyone shares")
    url = article.get_absolute_url()
    client.get(url)
    for clicked in (
        f"{url}?fbclid=IwAR0abc",
        f"{url}?fbclid=IwAR1def&utm_source=facebook&utm_medium=social",
        f"{url}?utm_campaign=newsletter&gclid=xyz",
    ):
        response = client.get(clicked)
        assert hit(response), clicked
    # What a page depends on still makes it another page.
    assert not hit(client.get("/?page=1&utm_source=x"))
    assert not hit(client.get("/?q=x"))


def test_links_between_pages_never_pass_tracking_parameters_on(client, make_article):
    for n in range(30):
        make_article(title=f"Story {n}")
    category = Article.objects.first().category.get_absolute_url()
    text = client.get(f"{category}?utm_source=newsletter&fbclid=abc").content.decode()
    assert "?page=2" in text
    assert "utm_source" not in text
    assert "fbclid" not in text


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


def test_signed_in_editor_never_gets_readers_cards(client, make_article, editor):
    article = make_article(title="Title readers saw")
    client.get("/")
    change_title_behind_the_caches_back(article, "Title the editor just wrote")
    client.force_login(editor)
    text = client.get(article.category.get_absolute_url()).content.decode()
    assert "Title the editor just wrote" in text
    assert "Title readers saw" not in text


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

    settings.PAGECACHE_ENABLED = False
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


# --- With Redis: the local tier (each process's own memory, kept exact by a channel) ---------

REDIS_TEST_URL = os.environ.get("DIGEST_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_pages(settings):
    """The page cache on a real Redis (a database of its own), with the local tier on."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_TEST_URL}")
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "digest.cache.ResilientRedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": f"test-{os.getpid()}",
        },
    }
    settings.PAGECACHE_CACHE = "pages"
    settings.PAGECACHE_LOCAL_BYTES = 1_000_000
    pages = caches["pages"]
    pages.clear()
    local.tier.reset()  # a subscription to this test's channel
    yield pages
    local.tier.reset()
    pages.clear()


@pytest.fixture
def redis_commands(monkeypatch):
    """The Redis commands the page cache sends (the channel's reads are no commands)."""
    import redis

    sent = []
    original = redis.Redis.execute_command

    def counting(self, *args, **kwargs):
        sent.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    return sent


def test_a_hit_comes_from_the_process_memory_without_a_redis_round_trip(
    client, make_article, redis_pages, redis_commands
):
    make_article(title="Ferry timetable for the spring")
    client.get("/")
    redis_commands.clear()
    second = client.get("/")
    assert hit(second)
    assert redis_commands == []
    assert "Ferry timetable for the spring" in second.content.decode()


def test_a_change_announced_by_another_process_shows_on_the_next_request(
    client, make_article, redis_pages
):
    import redis

    article = make_article(title="Old headline of the day")
    client.get("/")
    assert hit(client.get("/"))
    # Another worker saves the article: the row changes, then it invalidates and announces.
    Article.objects.filter(pk=article.pk).update(title="New headline of the day")
    other = redis.Redis.from_url(REDIS_TEST_URL)
    other.delete(redis_pages.make_key(state.STATE_KEY))
    other.publish(redis_pages.make_key(local.CHANNEL), b"1")
    # The announcement has reached this process's subscription socket.
    assert local.tier.wait(timeout=2)
    page = client.get("/").content.decode()
    assert "New headline of the day" in page
    assert "Old headline of the day" not in page


def test_an_edit_in_this_process_shows_on_the_next_request_with_redis(
    client, make_article, redis_pages
):
    article = make_article(title="Draft headline for the quay")
    url = article.get_absolute_url()
    client.get(url)
    assert hit(client.get(url))
    services.article_save(article=article, title="Final headline for the quay")
    page = client.get(url).content.decode()
    assert "Final headline for the quay" in page


def test_without_the_local_tier_a_hit_costs_one_round_trip(
    client, make_article, redis_pages, redis_commands, settings
):
    settings.PAGECACHE_LOCAL_BYTES = 0
    make_article()
    client.get("/")
    redis_commands.clear()
    assert hit(client.get("/"))
    assert redis_commands == ["MGET"]


# --- Junk parameters cannot bust the cache (issue 16) ----------------------------------------


def test_junk_query_parameters_get_the_stored_page_without_sql(
    client, make_article, django_assert_num_queries
):
    make_article(title="Caspian ferry timetable")
    client.get("/")
    with django_assert_num_queries(0):
        for n in range(10):
            response = client.get(f"/?_={n}&cachebuster=x{n}")
            assert hit(response) and "Caspian ferry timetable" in response.text


def test_a_page_first_asked_for_with_junk_carries_none_of_it(client, big_site):
    first = client.get("/category/news/?zzjunk=evil&utm_source=x")
    assert first.status_code == 200 and "zzjunk" not in first.text
    assert 'href="?page=2"' in first.text
    assert hit(client.get("/category/news/"))


def test_the_parameters_a_page_reads_still_make_other_pages(client, big_site):
    client.get("/search/?q=pipelines")
    assert hit(client.get("/search/?q=pipelines&ref=junk"))
    other = client.get("/search/?q=harvest")
    assert not hit(other)
    assert not hit(client.get("/category/news/?page=2"))
    assert hit(client.get("/category/news/?page=2&x=1"))


# --- The site's structure outlives a publication (issue 21) ------------------------------------


@pytest.fixture
def rendered():
    """The names of the templates rendered from now on (Django's test instrumentation)."""
    from django.test.signals import template_rendered

    names = []

    def seen(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(seen)
    yield names
    template_rendered.disconnect(seen)


CHROME = {"includes/_header.html", "includes/_footer.html", "includes/_head_links.html"}


def test_a_publication_leaves_the_header_and_footer_as_they_were_made(
    client, make_article, redis_pages, rendered
):
    first = make_article(title="Morning ferry news")
    client.get("/")
    client.get(first.get_absolute_url())
    rendered.clear()
    make_article(title="Evening pipeline news")
    page = client.get("/")
    assert not hit(page) and "Evening pipeline news" in page.text
    assert CHROME.isdisjoint(rendered), "the header and footer were made again"
    assert "menu-list" in page.text and "cookie-notice" in page.text


def test_a_renamed_category_shows_in_every_header_on_the_next_request(
    client, make_article, make_category, redis_pages
):
    energy = make_category(name="Energy")
    article = make_article(title="Gas to Europe", category=energy)
    client.get("/")
    client.get(article.get_absolute_url())
    energy.name = "Power and energy"  # as the admin saves it
    energy.save()
    for path in ("/", article.get_absolute_url()):
        page = client.get(path).text
        assert ">Power and energy</a>" in page, path
        assert ">Energy</a>" not in page, path


def test_a_category_page_shows_its_new_name_and_sub_category_on_the_next_request(
    client, make_article, make_category, redis_pages
):
    """The category page reads its category, parent and sub-categories once per structure
    version: an uncached page of it (another page number, a publication) does not."""
    energy = make_category(name="Energy")
    make_article(title="Gas to Europe", category=energy)
    url = energy.get_absolute_url()
    client.get(url)
    make_article(title="Oil to Asia", category=energy)  # a publication: not structure
    with CaptureQueriesContext(connection) as queries:
        assert "Oil to Asia" in client.get(url).text
    assert not [q["sql"] for q in queries if 'FROM "articles_category"' in q["sql"]]
    energy.name = "Power and energy"
    energy.save()
    assert '<h1 class="page-title">Power and energy</h1>' in client.get(url).text
    pipelines = make_category(name="Pipelines", parent=energy)
    make_article(title="Pipeline to Georgia", category=pipelines)
    assert "Pipeline to Georgia" in client.get(url).text


def test_the_menus_new_order_shows_on_the_next_request(
    client, make_article, make_category, redis_pages
):
    first, second = make_category(name="Alpha desk"), make_category(name="Beta desk")
    make_article(category=first)
    services.categories_order_menu(ordered=[first, second])
    page = client.get("/").text
    assert page.index(">Alpha desk</a>") < page.index(">Beta desk</a>")
    services.categories_order_menu(ordered=[second, first])  # updates: no signal of its own
    page = client.get("/").text
    assert page.index(">Beta desk</a>") < page.index(">Alpha desk</a>")


def test_the_identity_its_links_and_static_pages_show_in_the_footer_at_once(
    client, make_article, redis_pages
):
    from django.contrib.sites.models import Site

    from articles.models import SiteLink

    make_article()
    identity = SiteIdentity.current()
    if identity._state.adding:
        identity.save()
    client.get("/")
    services.site_identity_save(identity=identity, name="Caspian Digest")
    assert "Caspian Digest" in client.get("/").text
    SiteLink.objects.create(
        site=identity, kind="social", label="Mastodon", url="https://m.example/@d"
    )
    assert "Mastodon" in client.get("/").text
    page = FlatPage.objects.create(url="/ethics/", title="Our ethics code", content="<p>x</p>")
    page.sites.add(Site.objects.get_current())
    assert "Our ethics code" in client.get("/").text
    page.title = "Our code of ethics"
    page.save()
    footer = client.get("/").text
    assert "Our code of ethics" in footer and "Our ethics code" not in footer


def test_the_structure_version_lives_no_longer_than_a_page(client, make_article, redis_pages):
    """A change nobody announced (a row updated in the database by hand) shows within the
    lifetime of a page, as a stored page's would."""
    import redis
    from django.conf import settings as django_settings

    make_article()
    client.get("/")
    lifetime = redis.Redis.from_url(REDIS_TEST_URL).ttl(redis_pages.make_key(state.STRUCTURE_KEY))
    assert 0 < lifetime <= django_settings.PAGECACHE_SECONDS
