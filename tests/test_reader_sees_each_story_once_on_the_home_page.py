"""A reader reads the home page from top to bottom and meets every story once: the lead,
"New articles", the featured row, "Most read", the category blocks and "Latest" share one
de-duplication; and "New articles" never says "Nothing yet" while there are articles."""

import re
from collections import Counter
from datetime import timedelta

from django.utils import timezone

from articles import services

MAX_QUERIES = 10


def main_of(html):
    return html.split('<main id="main"')[1].split("</main>")[0]


def story_links(html):
    """Every story's headline link in the page's main part (cards and compact lists)."""
    return re.findall(r'class="(?:card-title"><a|compact-title") href="([^"]+)"', main_of(html))


def block(html, start, end="</section>"):
    return html.split(start)[1].split(end)[0]


def test_no_story_appears_twice_on_the_home_page(client, big_site, django_assert_max_num_queries):
    for article in big_site.articles[30:36]:
        for _ in range(3):
            services.article_read_add(article_id=article.pk)
    services.article_read_add(article_id=big_site.articles[0].pk)  # the lead, read too
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/").content.decode()
    links = story_links(html)
    assert len(links) >= 30
    assert [url for url, n in Counter(links).items() if n > 1] == []
    # Every block is there, each with its own stories.
    markers = ['<div class="lead">', 'id="featured-title"', 'id="new-title"']
    markers += ['id="most-read-title"', 'id="section-opinion"', 'rel="next" href="?page=2"']
    for marker in markers:
        assert marker in html, marker
    most_read = block(html, 'id="most-read-title"')
    assert big_site.articles[30].get_absolute_url() in most_read
    assert big_site.articles[0].get_absolute_url() not in most_read  # already the lead


def test_new_articles_are_the_newest_after_the_lead(client, big_site):
    html = client.get("/").content.decode()
    new = re.findall(r'class="compact-title" href="([^"]+)"', block(html, 'id="new-title"'))
    assert new == [a.get_absolute_url() for a in big_site.articles[1:9]]


def test_new_articles_never_say_nothing_yet(client, make_article):
    now = timezone.now()
    make_article(title="The only story", published_at=now - timedelta(hours=1))
    html = client.get("/").content.decode()
    assert "Nothing yet" not in html and 'id="new-title"' not in html  # one story: the lead
    make_article(title="A second story", published_at=now - timedelta(hours=2))
    html = client.get("/").content.decode()
    assert "Nothing yet" not in html
    assert "A second story" in block(html, 'id="new-title"')
    assert story_links(html).count(story_links(html)[0]) == 1


def test_a_sections_block_shows_its_newest_stories_not_shown_above(client, big_site):
    html = client.get("/").content.decode()
    above = set(story_links(html.split('<div class="sections">')[0]))
    opinion = big_site.categories[3]
    shown = re.findall(r'class="card-title"><a href="([^"]+)"', block(html, 'id="section-opinion"'))
    assert len(shown) == 4 and not above & set(shown)
    expected = [
        a.get_absolute_url()
        for a in big_site.articles
        if a.category_id == opinion.pk and a.get_absolute_url() not in above
    ][:4]
    assert shown == expected
