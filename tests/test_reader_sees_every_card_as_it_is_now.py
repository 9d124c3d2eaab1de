"""Cards are kept by what they show (issue 21): after a publication the home page renders the
new card and takes the others as they were, and whatever a card shows changing (its article,
its category's name, a name in its byline, the day that makes "Today, 14:05" a date) shows on
the next request."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.template import engines
from django.utils import timezone

from articles import services


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    """Every test here with the page cache on (tests/conftest.py)."""


@pytest.fixture
def renders(monkeypatch):
    """How many cards were rendered from the template."""
    from articles.templatetags import site_tags

    made = []
    real = engines["django"].engine.get_template

    def counting(name, *args, **kwargs):
        if name == site_tags.CARD_TEMPLATE:
            made.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(engines["django"].engine, "get_template", counting)
    return made


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_publication_renders_only_the_new_card(client, make_article, make_category, renders):
    news = make_category(name="News")
    for n in range(8):
        make_article(title=f"Story {n}", category=news)
    client.get(news.get_absolute_url())
    before = len(renders)
    assert before >= 8
    make_article(title="Just in", category=news)
    assert "Just in" in client.get(news.get_absolute_url()).content.decode()
    assert len(renders) - before == 1  # the new card


def test_what_a_card_shows_changing_shows_at_once(client, make_article, make_category, make_author):
    news = make_category(name="News")
    writer = make_author("Azer Aykhan")
    article = make_article(title="Caspian ferry", category=news, authors=[writer])
    make_article(title="Another story", category=news)
    assert "Caspian ferry" in home(client)

    services.article_save(article=article, title="Caspian ferry resumes")
    assert "Caspian ferry resumes" in home(client)

    news.name = "Newsroom"
    news.save()  # as the admin saves a category
    assert ">Newsroom</a>" in home(client)

    assert "Azer Aykhan" in client.get(news.get_absolute_url()).content.decode()
    writer.name = "Azer Aykhanli"
    writer.save()  # as the admin saves an author
    assert "Azer Aykhanli" in client.get(news.get_absolute_url()).content.decode()


def test_a_card_that_said_today_says_the_date_the_next_day(client, make_article, settings):
    settings.TIME_ZONE = "Asia/Baku"
    # Earlier today in Baku, whatever the hour (five minutes ago is yesterday at 00:04).
    now = timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    make_article(title="Morning story", published_at=midnight + (now - midnight) / 2)
    make_article(title="Other story", published_at=midnight + (now - midnight) / 3)
    assert "Today, " in home(client)
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    with mock.patch("django.utils.timezone.now", return_value=later + timedelta(hours=1)):
        from pagecache import state

        state.content_changed()  # the page cache's version ends at midnight
        page = home(client)
    assert "Morning story" in page and "Today, " not in page


def search(client, words):
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200
    return response.content.decode()


def test_a_search_result_is_the_kept_card_with_the_reader_s_own_snippet(
    client, make_article, renders
):
    make_article(
        title="Caspian ferry", body="<p>The ferry to Aktau sails again after the winter storms.</p>"
    )
    page = search(client, "aktau")
    assert "<mark>Aktau</mark>" in page
    made = len(renders)

    page = search(client, "storms")  # other words, the same card: only its snippet is new
    assert "<mark>storms</mark>" in page
    assert "<mark>Aktau</mark>" not in page
    assert "<!--snippet-->" not in page
    assert len(renders) == made


def test_a_search_result_shows_its_article_s_new_title_at_once(client, make_article):
    article = make_article(title="Caspian ferry", body="<p>The ferry to Aktau sails again.</p>")
    assert "Caspian ferry" in search(client, "aktau")
    services.article_save(article=article, title="Caspian ferry resumes")
    page = search(client, "aktau")
    assert "Caspian ferry resumes" in page
    assert "<mark>Aktau</mark>" in page
