"""A reader follows dates: every date links to its day's digest, the archive steps to the
nearest day, month or year with articles, a month shows its calendar, a year its months, and
the archive's index goes back through the years. Today's pieces show the time of day."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from articles.caching import next_local_midnight

MAX_QUERIES = 10


def local(day, hour=12):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def dated(make_article):
    """Articles on three days: 10 and 15 March 2023 and 2 January 2024."""
    return {
        day: make_article(title=f"Story of {day:%B} {day.day}", published_at=local(day))
        for day in (date(2023, 3, 10), date(2023, 3, 15), date(2024, 1, 2))
    }


def get(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_date_links_to_its_days_digest(client, dated):
    article = dated[date(2023, 3, 15)]
    home = client.get("/").content.decode()
    link = '<a class="date-link" href="/archive/2023/3/15/"><time datetime="2023-03-15T12:00:00'
    assert link in home
    page = client.get(article.get_absolute_url()).content.decode()
    dates = page.split('class="dates"')[1].split("</p>")[0]
    assert 'Published <a class="date-link" href="/archive/2023/3/15/">' in dates
    assert ">March 15, 2023</time>" in dates


def test_todays_pieces_show_the_time_of_day_and_older_ones_the_date(client, make_article):
    now = timezone.localtime()
    midnight = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    today = make_article(title="Fresh story", published_at=midnight + (now - midnight) / 2)
    make_article(title="Older story", published_at=now - timedelta(days=3))
    html = client.get("/").content.decode()
    shown = timezone.localtime(today.published_at)
    assert f">Today, {shown:%H:%M}</time>" in html
    older = (now - timedelta(days=3)).date()
    assert f">{older:%b} {older.day}, {older.year}</time>" in html
    article = client.get(today.get_absolute_url()).content.decode()
    url = f"/archive/{shown.year}/{shown.month}/{shown.day}/"
    stamp = shown.replace(microsecond=0).isoformat()
    expected = f'Published <a class="date-link" href="{url}"><time datetime="{stamp}">Today,'
    assert f"{expected} {shown:%H:%M}</time>" in article


def test_pages_that_say_today_are_renewed_at_midnight(db):
    """The page cache's content version ends at the newsroom's next midnight at the latest,
    so no stored page or card says "Today" of yesterday."""
    from pagecache import state

    midnight = next_local_midnight()
    assert timezone.localtime(midnight).time() == time.min
    assert timezone.now() < midnight <= timezone.now() + timedelta(days=1)
    assert state.next_change() <= midnight


def test_a_day_steps_to_the_nearest_days_with_articles(
    client, dated, django_assert_max_num_queries
):
    html = get(client, "/archive/2023/03/15/", django_assert_max_num_queries)
    assert "The digest of March 15, 2023" in html and "Story of March 15" in html
    nav = html.split('class="archive-nav"')[1].split("</nav>")[0]
    assert '<a rel="prev" href="/archive/2023/3/10/">← March 10, 2023</a>' in nav
    assert '<a rel="next" href="/archive/2024/1/2/">January 2, 2024 →</a>' in nav
    crumbs = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert 'href="/archive/"' in crumbs and 'href="/archive/2023/"' in crumbs
    assert 'href="/archive/2023/3/">March 2023</a>' in crumbs
    oldest = get(client, "/archive/2023/03/10/", django_assert_max_num_queries)
    assert 'rel="prev"' not in oldest and 'rel="next" href="/archive/2023/3/15/"' in oldest
    empty = get(client, "/archive/2023/06/01/", django_assert_max_num_queries)
    assert "Nothing was published then." in empty
    assert 'rel="prev" href="/archive/2023/3/15/"' in empty


def test_a_month_shows_its_calendar_with_the_days_that_have_articles(
    client, dated, django_assert_max_num_queries
):
    html = get(client, "/archive/2023/03/", django_assert_max_num_queries)
    calendar = html.split('<table class="calendar">')[1].split("</table>")[0]
    assert re.findall(r'<a href="([^"]+)">(\d+)</a>', calendar) == [
        ("/archive/2023/3/10/", "10"),
        ("/archive/2023/3/15/", "15"),
    ]
    assert "<span>11</span>" in calendar and "<span>31</span>" in calendar
    assert calendar.count("<tr>") == 1 + 5  # the heading and five weeks of March 2023
    assert '<abbr title="Monday">Mon</abbr>' in calendar
    assert 'rel="next" href="/archive/2024/1/">January 2024 →</a>' in html


def test_a_year_shows_its_months_and_the_index_goes_back_through_the_years(
    client, dated, django_assert_max_num_queries
):
    year = get(client, "/archive/2023/", django_assert_max_num_queries)
    months = year.split('class="archive-months"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="([^"]+)">', months) == ["/archive/2023/3/"]
    assert "<span>April</span>" in months
    assert 'rel="next" href="/archive/2024/">2024 →</a>' in year
    index = get(client, "/archive/", django_assert_max_num_queries)
    assert index.index('id="year-2024"') < index.index('id="year-2023"')
    months = re.findall(r'<a href="(/archive/\d+/\d+/)">', index)
    assert months == ["/archive/2024/1/", "/archive/2023/3/"]
    assert 'href="/archive/2024/">2024</a>' in index
    home = client.get("/").content.decode()
    assert 'href="/archive/"' in home.split("</header>")[0]


def test_an_empty_archive_says_so(client, db, django_assert_max_num_queries):
    html = get(client, "/archive/", django_assert_max_num_queries)
    assert "Nothing has been published yet." in html
