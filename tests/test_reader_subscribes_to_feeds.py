"""Feeds, sitemaps and robots.txt: they parse, list only published articles, and use
absolute addresses."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output
from datetime import timedelta

import feedparser
from django.utils import timezone

from articles import pagination, sitemaps
from articles.models import Article, Tag

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def test_every_feed_parses_and_lists_only_published_with_absolute_links(client, big_site):
    tag = Tag.objects.get(name="Topic 0")
    paths = ["/feeds/rss/", "/feeds/atom/"]
    for kind, slug in (("category", "news"), ("author", big_site.writers[0].slug),
                       ("tag", tag.slug), ("source", big_site.outlet.slug)):  # fmt: skip
        paths += [f"/feeds/{kind}/{slug}/rss/", f"/feeds/{kind}/{slug}/atom/"]
    for path in paths:
        parsed = feed(client, path)
        assert parsed.entries, path
        titles = {entry.title for entry in parsed.entries}
        assert not any("Secret draft" in t or "Scheduled" in t for t in titles), path
        assert parsed.feed.link.startswith("http://testserver/"), path
        for entry in parsed.entries:
            assert entry.link.startswith("http://testserver/"), path
    site = feed(client, "/feeds/rss/")
    assert site.entries[0].title == big_site.articles[0].title
    assert len(site.entries) == 30


def test_seed_feed_carries_bylines_and_standfirsts(client, seeded):
    parsed = feed(client, "/feeds/atom/")
    opinion = Article.objects.get(category__slug="opinion")
    entry = next(e for e in parsed.entries if e.title == opinion.title)
    assert entry.author == "AzeMedia"
    assert opinion.standfirst[:40] in entry.summary


def test_sitemap_index_lists_sections_with_absolute_urls_and_only_published(client, big_site):
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    locations = [el.text for el in index.iter(f"{SM}loc")]
    assert locations == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-pages.xml",
    ]
    articles = ET.fromstring(client.get("/sitemap-articles.xml").content)  # noqa: S314
    urls = [el.text for el in articles.iter(f"{SM}loc")]
    assert len(urls) == 240 and all(u.startswith("http://testserver/") for u in urls)
    assert not any("secret-draft" in u or "scheduled" in u for u in urls)
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "http://testserver/who-we-are/" in pages
    assert client.get("/sitemap-nothing.xml").status_code == 404


def sitemap_locations(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return [el.text for el in ET.fromstring(response.content).iter(f"{SM}loc")]  # noqa: S314


def test_every_sitemap_page_lists_what_an_offset_would(client, big_site, monkeypatch):
    # Small pages and an anchor every 7 rows: the deep pages of a million-article sitemap.
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 50)
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 50)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)
    published = Article.objects.published().select_related("category")
    expected = ["http://testserver" + a.get_absolute_url() for a in published.newest_first()]
    for _ in range(2):  # the second time the counts and anchors come from the cache
        pages = [u for u in sitemap_locations(client, "/sitemap.xml") if "articles" in u]
        assert len(pages) == 5  # 240 articles, 50 a page
        listed = []
        for page in pages:
            listed += sitemap_locations(client, page.replace("http://testserver", ""))
        assert listed == expected
    assert client.get("/sitemap-articles.xml?p=6").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404


def test_sitemap_lastmod_is_the_later_of_publication_and_update(client, big_site):
    xml = client.get("/sitemap-articles.xml").content
    first = ET.fromstring(xml).find(f"{SM}url")  # noqa: S314
    article = Article.objects.published().newest_first().first()
    stamp = timezone.localtime(max(article.published_at, article.updated_at)).date()
    assert first.find(f"{SM}lastmod").text == stamp.isoformat()
    assert first.find(f"{SM}changefreq").text == "weekly"


def test_authors_sitemap_lists_authors_and_translators_of_a_published_article(
    client, make_article, make_author
):
    names = ("Pub Lished", "Tran Slator", "Wai Ting", "Dra Ft")
    published, translator, waiting, drafting = (make_author(name=n) for n in names)
    make_article(authors=[published])
    # A translator's page lists their translations: it is a page worth crawling too.
    make_article(translation={"source_language": "az", "translator": translator})
    make_article(authors=[waiting], published_at=timezone.now() + timedelta(days=1))
    make_article(
        authors=[drafting], status=Article.Status.DRAFT, translation={"translator": drafting}
    )
    listed = sitemap_locations(client, "/sitemap-authors.xml")
    assert listed == ["http://testserver" + a.get_absolute_url() for a in (published, translator)]


def test_news_sitemap_has_only_the_last_two_days(client, big_site):
    xml = client.get("/news-sitemap.xml").content
    root = ET.fromstring(xml)  # noqa: S314
    names = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    titles = [el.text for el in root.iterfind(".//n:title", names)]
    assert titles[0] == big_site.articles[0].title
    assert len(titles) == 8  # one every six hours over 48 hours
    assert "Scheduled pipelines exclusive" not in titles
    assert all(u.text.startswith("http://testserver/") for u in root.iter(f"{SM}loc"))


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_the_admin(client, big_site):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text


def test_with_nothing_new_for_two_days_there_is_no_news_sitemap(client, make_article):
    """An empty news sitemap is schema-invalid: it is left out of robots.txt instead."""
    make_article(published_at=timezone.now() - timedelta(days=3))
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "news-sitemap" not in text
    assert client.get("/news-sitemap.xml").status_code == 404
    fresh = make_article(title="Fresh news", published_at=timezone.now() - timedelta(hours=1))
    assert (
        "Sitemap: http://testserver/news-sitemap.xml" in client.get("/robots.txt").content.decode()
    )
    xml = client.get("/news-sitemap.xml").content
    root = ET.fromstring(xml)  # noqa: S314
    assert [loc.text for loc in root.iter(f"{SM}loc")] == [
        "http://testserver" + fresh.get_absolute_url()
    ]


def test_every_page_links_its_feeds(client, seeded):
    html = client.get("/category/opinion/").content.decode()
    assert re.search(r'type="application/rss\+xml"[^>]+href="/feeds/category/opinion/rss/"', html)


# --- Names are plain text (issue 16) ---------------------------------------------------------


def test_tag_and_author_names_with_markup_are_saved_as_plain_text_and_feeds_carry_none(
    client, make_article
):
    from articles import services

    tag = services.tag_get_or_create(name='<b onmouseover="x()">Baku</b> <i>news</i>')
    author = services.author_get_or_create(name="<script>alert(1)</script>Leyla <em>M.</em>")
    assert tag.name == "Baku news"
    assert author.name == "alert(1)Leyla M."
    article = make_article(title="Ferries", tags=["<img src=x>Caspian"], authors=[author])
    assert [t.name for t in article.tags.all()] == ["Caspian"]
    make_article(title="More ferries", tags=[tag])
    for url in [f"/feeds/tag/{tag.slug}/rss/", f"/feeds/author/{author.slug}/rss/",
                "/feeds/tag/caspian/rss/"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        channel = response.text.split("<item>")[0]
        assert "&lt;" not in channel and "<b" not in channel and "<script" not in channel, url
