"""A reader's feed reader gets complete entries: an author on every Atom entry (RFC 4287;
the site when there is no byline), the featured picture (Media RSS <media:content>) and the
tags as categories, on RSS and Atom alike; a translator's and an original author's feeds
list their translations."""

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output
from pathlib import Path

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import services

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
SAMPLE = Path(__file__).parent / "data" / "featured.jpg"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    result = feedparser.parse(response.content)
    assert not result.bozo, result.get("bozo_exception")
    return response.content, result


def test_an_atom_entry_without_a_byline_has_the_site_as_author(client, seeded, make_article):
    make_article(title="Unsigned note")
    content, feed = parsed(client, "/feeds/atom/")
    root = ET.fromstring(content)  # noqa: S314
    for entry in root.iter(f"{ATOM}entry"):
        names = [el.text for el in entry.iterfind(f"{ATOM}author/{ATOM}name")]
        assert names and all(names), entry.findtext(f"{ATOM}title")
    unsigned = next(e for e in feed.entries if e.title == "Unsigned note")
    assert unsigned.author == "Aze.Media"
    assert next(e for e in feed.entries if "Aliyev and" in e.title).author == "AzeMedia"


@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_entries_carry_the_featured_picture_and_the_tags(client, make_article, media, flavour):
    make_article(
        title="Pictured and tagged",
        tags=["Karabakh", "Energy"],
        featured_image=SimpleUploadedFile("photo.jpg", SAMPLE.read_bytes(), "image/jpeg"),
        image_alt="A pipeline at dusk",
    )
    make_article(title="Plain note")
    content, feed = parsed(client, f"/feeds/{flavour}/")
    pictured = next(e for e in feed.entries if e.title == "Pictured and tagged")
    terms = [tag.term for tag in pictured.tags]
    assert "Karabakh" in terms and "Energy" in terms and pictured.tags[0].term != "Karabakh"
    [picture] = pictured.media_content
    assert picture["url"].startswith("http://testserver/media/") and "-1200w" in picture["url"]
    assert picture["medium"] == "image" and picture["type"] == "image/webp"
    root = ET.fromstring(content)  # noqa: S314
    descriptions = [el.text for el in root.iter(f"{MEDIA}description")]
    assert descriptions == ["A pipeline at dusk"]
    plain = next(e for e in feed.entries if e.title == "Plain note")
    assert "media_content" not in plain


def test_a_translators_and_an_original_authors_feeds_list_their_translations(client, seeded):
    from articles.models import Author

    original = Author.objects.get(slug="azer-aykhan")
    _, feed = parsed(client, f"/feeds/author/{original.slug}/atom/")
    assert [e.title for e in feed.entries] == [
        "Aliyev and Erdoğan’s post-February 7 plans: Ankara and Baku are getting ready"
    ]
    translator = services.author_get_or_create(name="Tara Translator")
    from articles.models import Article

    article = Article.objects.get(category__slug="news")
    services.article_save(article=article, translation={"translator": translator})
    _, feed = parsed(client, f"/feeds/author/{translator.slug}/rss/")
    assert [e.title for e in feed.entries] == [article.title]
