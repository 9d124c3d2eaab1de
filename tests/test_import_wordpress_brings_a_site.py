"""The operator brings a WordPress site across with import_wordpress: what each post, page,
category, tag, author and image becomes (issue 17), over the hand-written exports in
tests/data/wordpress/edge/."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.flatpages.models import FlatPage
from reversion.models import Version

from articles.models import Article, Author, Category, Image, ImportedItem, Tag
from tests.importing import EDGE, run_wordpress, summary_row

SITE = EDGE / "site-wxr12.xml"
UPLOADS = EDGE / "uploads"


@pytest.fixture
def imported(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = User.objects.count()
    status, out, err = run_wordpress(SITE, "--media-dir", UPLOADS)
    return {"status": status, "out": out, "err": err, "users": users}


def _post(post_id):
    item = ImportedItem.objects.get(kind="post", source_id=str(post_id))
    return Article.objects.get(pk=item.object_id)


def test_a_post_keeps_its_fields(imported):
    article = _post(10)

    assert article.title == "Hello Baku"
    assert article.slug == "hello-baku"
    assert article.status == Article.Status.PUBLISHED
    # post_date_gmt is the truth; the modified date is kept too
    assert article.published_at == datetime(2024, 1, 15, 8, 0, tzinfo=UTC)
    assert article.updated_at == datetime(2024, 1, 16, 6, 30, tzinfo=UTC)
    assert article.category.slug == "economy" and article.category.parent.slug == "news"
    assert article.is_featured  # sticky
    assert article.standfirst == "Snow in Baku for the first time in years."
    assert article.seo_title == "Snow in Baku – Old Digest"
    assert article.seo_description == "The first snow in three years."
    assert article.canonical_url == "https://globalinfo.az/en/snow"
    assert {(t.name, t.slug) for t in article.tags.all()} == {
        ("Gəncə", "gence"),
        ("COP29", "cop29"),
    }
    assert [(a.name, a.slug) for a in article.authors.all()] == [("Anar Məmmədov", "anar")]
    assert article.translation.source.name == "Globalinfo.az"
    assert article.translation.source_language == "az"
    item = ImportedItem.objects.get(kind="post", source_id="10")
    assert item.site_url == "https://old.example.com" and item.guid.endswith("?p=10")
    assert Version.objects.get_for_object(article).first().revision.comment == (
        "Imported from WordPress (site-wxr12.xml)"
    )


def test_a_featured_image_comes_with_alt_caption_credit_and_renditions(imported):
    article = _post(10)

    assert article.featured_image.name.startswith("articles/")
    assert article.image_alt == "Towers over the Caspian at dusk"
    assert article.image_caption == "The city at dusk"
    assert article.image_credit == "Photo: APA"
    assert article.image_width == 640 and article.image_renditions


def test_a_classic_body_is_cleaned_as_wordpress_shows_it(imported):
    body = _post(10).body
    image = Image.objects.get()

    assert body.startswith("<p>The city woke up to snow.</p>\n<p>It was the first snow in ")
    assert "<strong>three</strong> years.<br>\nSchools stayed open.</p>" in body  # wpautop
    # [caption] with a resized copy → the original upload, as the project's image
    assert (
        f'<figure><img src="{image.url()}" alt="Towers over the Caspian at dusk" '
        f'data-file="{image.pk}"><figcaption>The skyline at dusk</figcaption></figure>'
    ) in body
    assert image.file.name.endswith(".jpg") and image.width == 640 and image.credit == "Photo: APA"
    # a YouTube URL alone on its line → a plain link, no player
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in body
    assert "Video on YouTube" in body and "iframe" not in body and "<script" not in body
    # [gallery ids="50"] → its image; no empty paragraph around it
    assert body.count(f'data-file="{image.pk}"') == 2 and "<p></p>" not in body
    # the link to another post points at its new address
    assert f'<a href="{_post(11).get_absolute_url()}"' in body
    # an unknown shortcode stays as text; the provenance line became the provenance
    assert '<p>[contact-form-7 id="5" title="Contact"]</p>' in body
    assert "Translated from" not in body
    assert "shortcode [contact-form-7] kept as text in 1 item(s)" in imported["out"]


def test_a_block_editor_body_loses_its_comments_and_embeds(imported):
    article = _post(11)

    assert article.slug == "shusha-spring"  # Şuşa, transliterated
    assert "wp:" not in article.body and "<!--" not in article.body
    assert article.body.startswith("<p>The town is green again.</p>")
    assert '<a href="https://twitter.com/azemedia/status/1" rel="noopener noreferrer">Post on X</a>'
    assert "Post on X" in article.body and "wp-block-embed" not in article.body
    assert f'<a href="{_post(10).get_absolute_url()}"' in article.body  # was /?p=10
    assert article.seo_title == "Şuşa in spring – Spring"  # Rank Math
    assert article.translation.source.name == "Report.az"
    assert article.translation.source_url == "https://report.az/en/shusha-spring"
    assert article.category.slug == "culture"  # “Culture & Arts” met the site's own


def test_statuses_follow_the_default_map(imported):
    scheduled = _post(12)
    assert scheduled.status == Article.Status.PUBLISHED and scheduled.is_scheduled
    assert scheduled.published_at == datetime(2099, 5, 1, 10, 0, tzinfo=UTC)
    assert _post(14).status == Article.Status.REVIEW  # pending
    draft = _post(13)  # a draft with no date, no title, no text, only in Uncategorized
    assert draft.status == Article.Status.DRAFT and draft.category.slug == "unsorted"
    assert draft.headline_needs_editor and draft.title == "Untitled (WordPress post 13)"
    # no GMT date: the local date with the export's offset (+04:00, learnt from the others)
    assert draft.published_at == datetime(2024, 3, 1, 6, 0, tzinfo=UTC)
    assert not ImportedItem.objects.filter(kind="post", source_id="17").exists()  # trash
    assert summary_row(imported["out"], "posts") == [8, 0, 0, 1, 1]


def test_a_bad_post_gets_one_line_and_the_rest_imports(imported):
    assert imported["status"] == 1
    assert (
        "failed: site-wxr12.xml: post 18 “A status nobody knows”: unknown status “limbo” "
        "(give --status-map limbo=draft)"
    ) in imported["err"]
    assert not Article.objects.filter(title="A status nobody knows").exists()
    assert "2 items failed to import" in imported["err"]


def test_an_image_that_is_html_is_refused_and_its_post_imports_without_it(imported):
    assert (
        "failed: site-wxr12.xml: post 16 “A photo that is not one”: featured image "
        "https://old.example.com/wp-content/uploads/2024/01/not-a-photo.jpg: not a JPEG, PNG "
        "or WebP image but a text document (HTML or SVG)"
    ) in imported["err"]
    article = _post(16)
    assert not article.featured_image and article.body == "<p>The text still comes across.</p>"


def test_a_missing_image_is_listed_not_fatal(imported):
    article = _post(15)
    assert not article.featured_image
    assert "Did not come across:" in imported["out"]
    assert (
        "post 15 “Hello Baku, again”: featured image https://old.example.com/wp-content/"
        "uploads/2024/01/lost.jpg: no file 2024/01/lost.jpg in --media-dir"
    ) in imported["out"]


def test_duplicate_slugs_get_their_own_addresses(imported):
    assert _post(15).slug == "hello-baku-2"
    assert _post(10).slug == "hello-baku"


def test_a_post_in_a_deleted_category_gets_that_category(imported):
    article = _post(14)
    assert (article.category.name, article.category.slug) == ("Markets", "markets")
    assert "category “Markets” is not in the export's list" in imported["out"]


def test_cdata_quirks_and_control_characters_come_through(imported):
    body = _post(19).body
    assert "<code>a[b[0]]&gt;c</code>" in body  # "]]>" split over two CDATA sections
    assert "\x0b" not in body and "<script" not in body and "alert" not in body
    assert "1 control characters XML forbids were dropped" in imported["err"]
    assert "shortcode [b]" not in imported["out"]


def test_pages_become_the_static_pages_matched_by_slug(imported, client):
    who = FlatPage.objects.get(url="/who-we-are/")
    assert who.title == "Who we are"
    assert who.content == "<p>We are a small newsroom.</p>\n<p>We write every day.</p>"
    team = FlatPage.objects.get(url="/who-we-are/team/")
    assert team.content == "<p>Anar and Leyla.</p>"
    response = client.get("/who-we-are/team/")
    assert response.status_code == 200 and "Anar and Leyla." in response.text
    assert summary_row(imported["out"], "pages") == [1, 1, 0, 0, 0]


def test_categories_keep_parents_and_uncategorized_is_never_one(imported):
    assert not Category.objects.filter(slug__in=["uncategorized", "uncategorised"]).exists()
    markets = Category.objects.get(slug="markets")
    assert markets.parent is None and not markets.is_in_menu  # not in the site's menu
    # the primary menu: Culture first, then News; the custom link is listed
    culture, news = Category.objects.get(slug="culture"), Category.objects.get(slug="news")
    assert culture.is_in_menu and news.is_in_menu and culture.menu_order < news.menu_order
    assert (
        "menu “primary” item 42 “Shop”: it is a custom link: the menu holds categories only"
        in (imported["out"])
    )


def test_authors_are_records_without_accounts(imported):
    names = set(Author.objects.filter(slug__in=["anar", "leyla"]).values_list("name", flat=True))
    assert names == {"Anar Məmmədov", "Leyla Əliyeva"}
    assert User.objects.count() == imported["users"]
    assert Author.objects.get(slug="anar").user is None
    assert "2 comments were not imported (comments are out of scope)" in imported["out"]


def test_tags_keep_their_letters_and_get_transliterated_slugs(imported):
    assert Tag.objects.get(name="Gəncə").slug == "gence"


def test_default_category_files_uncategorized_posts(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run_wordpress(SITE, "--skip-media", "--default-category", "news")
    assert _post(13).category.slug == "news"


def test_category_map_merges_onto_the_sites_own_categories(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run_wordpress(SITE, "--skip-media", "--category-map", "markets=economy")
    assert _post(14).category.slug == "economy"
    assert not Category.objects.filter(slug="markets").exists()


def test_author_map_credits_an_existing_author(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    status, out, err = run_wordpress(SITE, "--skip-media", "--author-map", "leyla=AzeMedia")
    assert [a.name for a in _post(11).authors.all()] == ["AzeMedia"]
    assert not Author.objects.filter(name="Leyla Əliyeva").exists()


def test_skip_media_imports_no_image_and_keeps_the_old_addresses(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run_wordpress(SITE, "--skip-media")
    assert Image.objects.count() == 0 and not _post(10).featured_image
    assert "https://old.example.com/wp-content/uploads/2024/01/baku-skyline-300x188.jpg" in (
        _post(10).body
    )


def test_fetch_media_is_off_by_default(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    status, out, err = run_wordpress(SITE, "--media-dir", tmp_path)
    assert "give --fetch-media to fetch it" in out and Image.objects.count() == 0


def test_fetch_media_never_asks_a_local_address_and_says_so(seeded, settings, tmp_path):
    """An export's URLs are outside input: --fetch-media refuses loopback and private
    addresses before sending anything (no request leaves this test)."""
    settings.MEDIA_ROOT = tmp_path
    export = tmp_path / "local.xml"
    export.write_text(SITE.read_text().replace("https://old.example.com", "http://127.0.0.1:9"))
    status, out, err = run_wordpress(export, "--fetch-media")
    assert (
        "featured image http://127.0.0.1:9/wp-content/uploads/2024/01/baku-skyline.jpg: not in "
        "--media-dir, and 127.0.0.1 is not a public address (127.0.0.1): not fetched"
    ) in out
    assert Image.objects.count() == 0 and _post(10).title == "Hello Baku"


def test_a_wxr_1_0_export_imports(db, make_category):
    status, out, err = run_wordpress(EDGE / "site-wxr10.xml")

    assert status == 0, err
    article = Article.objects.get()
    assert (article.title, article.slug) == ("The old city walls", "old-city-walls")
    assert article.category.slug == "history"
    assert [t.name for t in article.tags.all()] == ["Baku"]
    assert [a.name for a in article.authors.all()] == ["editor"]  # dc:creator only
    assert article.body == "<p>Walls &amp; towers.</p>\n<p>Built in the 12th century.</p>"
    assert article.published_at == datetime(2009, 5, 20, 10, 0, tzinfo=UTC)
    assert ImportedItem.objects.get(kind="post").site_url == "http://archive.example.org"


def test_a_split_export_is_one_site(seeded, settings, tmp_path):
    """The featured image of a post in part 1 is an attachment in part 2; part 2 links back."""
    settings.MEDIA_ROOT = tmp_path
    status, out, err = run_wordpress(
        EDGE / "split-part-1.xml", EDGE / "split-part-2.xml", "--media-dir", UPLOADS
    )

    assert status == 0, err
    harbour = Article.objects.get(slug="the-harbour")
    assert harbour.featured_image and harbour.image_alt == "A red flag on the pier"
    ferry = Article.objects.get(slug="the-ferry")
    assert f'<a href="{harbour.get_absolute_url()}"' in ferry.body
    assert summary_row(out, "authors")[0] == 2  # the header repeated in part 2: made once


def test_a_password_protected_post_is_never_public(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    export = tmp_path / "protected.xml"
    export.write_text(
        SITE.read_text().replace(
            "<wp:post_name><![CDATA[not-a-photo]]></wp:post_name>",
            "<wp:post_name><![CDATA[not-a-photo]]></wp:post_name>"
            "<wp:post_password><![CDATA[secret]]></wp:post_password>",
        )
    )
    status, out, err = run_wordpress(export, "--skip-media")
    assert _post(16).status == Article.Status.DRAFT
    assert "post 16 “A photo that is not one”: password-protected in WordPress" in out
