"""Each issue also lives on the site, /digest/<date>/, linked from that day's archive, with
its own feed; drafts stay hidden and the address never collides with an article's."""

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services as article_services
from articles.models import Article
from newsletter import services
from newsletter.models import Issue, Subscriber
from tests.newsletter_support import run_tasks


@pytest.fixture
def sent_issue(make_article):
    make_article(title="The Caspian summit opens", standfirst="Leaders arrive in Baku.")
    make_article(title="A festival in Sheki")
    Subscriber.objects.create(email="r@example.com", status="active")
    issue = services.issue_assemble(day=timezone.localdate(), intro="Good morning.")
    services.issue_send(issue=issue)
    run_tasks()
    return Issue.objects.get(pk=issue.pk)


def test_a_reader_opens_the_digest_of_a_day(client, sent_issue, django_assert_max_num_queries):
    url = f"/digest/{sent_issue.date.isoformat()}/"
    with django_assert_max_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="page-title">{sent_issue}</h1>' in html
    assert "Good morning." in html
    assert "The Caspian summit opens" in html and "Leaders arrive in Baku." in html
    assert f'href="/digest/{sent_issue.date.isoformat()}/feed/"' in html


def test_an_unpublished_article_leaves_the_issues_page(client, sent_issue):
    article = Article.objects.get(title="A festival in Sheki")
    article_services.article_unpublish(article=article)
    html = client.get(sent_issue.get_absolute_url()).content.decode()
    assert "A festival in Sheki" not in html and "The Caspian summit opens" in html


def test_a_draft_issue_and_a_malformed_date_are_not_found(client, make_article):
    make_article()
    issue = services.issue_assemble(day=timezone.localdate())
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert client.get("/digest/2026-13-45/").status_code == 404
    assert client.get("/digest/yesterday/").status_code == 404


def test_the_days_archive_links_its_issue(client, sent_issue):
    day = sent_issue.date
    html = client.get(f"/archive/{day.year}/{day.month}/{day.day}/").content.decode()
    assert f'href="/digest/{day.isoformat()}/"' in html
    assert "Read the Daily Digest e-mail of" in html
    month = client.get(f"/archive/{day.year}/{day.month}/").content.decode()
    assert "/digest/" not in month.split("<main")[1].split("</main>")[0].replace(
        'action="/newsletter/subscribe/"', ""
    )


def test_a_sent_issue_appears_in_the_cached_archive_at_once(client, settings, make_article):
    settings.PAGECACHE_ENABLED = True
    make_article()
    Subscriber.objects.create(email="r@example.com", status="active")
    day = timezone.localdate()
    archive = f"/archive/{day.year}/{day.month}/{day.day}/"
    assert "/digest/" not in client.get(archive).content.decode().split("<main")[1]
    issue = services.issue_assemble(day=day)
    services.issue_send(issue=issue)
    assert f'href="/digest/{day.isoformat()}/"' in client.get(archive).content.decode()


def test_each_issue_has_its_own_feed_and_the_issues_have_one(client, sent_issue):
    feed = feedparser.parse(client.get(f"/digest/{sent_issue.date.isoformat()}/feed/").content)
    assert feed.feed.title == str(sent_issue)
    assert {e.title for e in feed.entries} == {"The Caspian summit opens", "A festival in Sheki"}
    issues = feedparser.parse(client.get("/digest/feed/").content)
    assert [e.title for e in issues.entries] == [str(sent_issue)]


def test_no_category_can_take_the_digest_address(make_category):
    with pytest.raises(ValidationError, match="reserved"):
        make_category(name="Digest", slug="digest")
    with pytest.raises(ValidationError, match="reserved"):
        make_category(name="Newsletter", slug="newsletter")


def test_the_subscribe_form_adds_no_query_to_a_page(client, make_article):
    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('action="/newsletter/subscribe/"') == 2  # article end and footer
    assert not [q for q in queries.captured_queries if "newsletter" in q["sql"]]
