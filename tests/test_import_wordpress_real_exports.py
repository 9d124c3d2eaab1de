"""The operator imports exports written by a real WordPress 6.1 (tests/data/wordpress/real/,
made by scripts/wordpress/make_exports.sh: see its README for what each post exercises), and
every address the running WordPress answered is asked of Digest (addresses.tsv) (issue 17)."""

import csv
from datetime import UTC, datetime

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.files.storage import default_storage

from articles.models import Article, Author, Category, Document, Image, ImportedItem, Tag
from tests.importing import WORDPRESS, run_wordpress, summary_row

REAL = WORDPRESS / "real"
UPLOADS = REAL / "uploads"


@pytest.fixture
def imported(seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    status, out, err = run_wordpress(
        REAL / "site.xml", "--media-dir", UPLOADS, "--default-category", "news"
    )
    return status, out, err


def _post(post_id):
    item = ImportedItem.objects.get(kind="post", source_id=str(post_id))
    return Article.objects.get(pk=item.object_id)


def test_the_whole_site_comes_across(imported):
    status, out, err = imported
    assert status == 0, err
    assert summary_row(out, "posts") == [15, 0, 0, 1, 0]  # the trashed post 28 skipped
    assert summary_row(out, "pages") == [2, 2, 0, 0, 0]  # Privacy Policy, Who we are: the site's
    assert summary_row(out, "authors") == [3, 0, 0, 0, 0]
    assert "2 comments were not imported" in out
    assert "shortcode [newsletter_signup] kept as text in 1 item(s)" in out


def test_the_classic_sticky_post(imported):
    article = _post(4)
    assert article.title == "Parliament opens its spring session"
    assert article.slug == "parliament-opens-spring-session" and article.is_featured
    assert article.published_at == datetime(2024, 1, 15, 5, 30, tzinfo=UTC)
    assert article.category.slug == "politics"
    assert article.standfirst.startswith("Deputies return to Baku")
    assert article.seo_title == "Parliament opens spring session – The Caspian Digest"
    assert article.seo_description == "Deputies return with the budget and the election law."
    assert article.canonical_url == ""  # it named its own old address
    assert [a.name for a in article.authors.all()] == ["Aysel Məmmədova"]
    assert article.image_alt == "Green hills under a yellow sun above Shusha"
    assert article.image_credit == "Aysel Məmmədova / Digest"
    assert article.image_width == 1200 and article.image_renditions
    image = Image.objects.get(file__contains="shusha-panorama")
    assert image.width == 1200  # the original, not the -300x200 copy the body showed
    assert "<figcaption>The view from Jidir plain, Shusha.</figcaption>" in article.body
    assert f'<a href="{image.file.url}"' in article.body  # the linked full-size upload
    assert "wp.digest.test" not in article.body
    assert "Deputies will debate the budget first.<br>\nThe election law follows" in article.body


def test_the_block_editor_post(imported):
    article = _post(7)
    body = article.body
    assert "<!--" not in body and "wp-block" not in body
    assert "<h2>Three days of mugham</h2>" in body
    assert "<ul><li>Friday: opening concert</li>" in body
    assert "<blockquote><p>Music came home to Shusha.</p>" in body
    assert "Video on YouTube" in body and "<iframe" not in body
    assert article.seo_title == "Kharibulbul festival in Shusha – The Caspian Digest"  # Rank Math
    assert article.featured_image.name.endswith(".png")
    assert {t.slug for t in article.tags.all()} == {"shusha"}  # Şuşa, WordPress's “susa”


def test_the_gallery_post(imported):
    body = _post(10).body
    alts = ["Javad Khan street in Ganja", "Shah Abbas mosque in Ganja", "The Bottle House in Ganja"]
    positions = [body.index(f'alt="{alt}"') for alt in alts]
    assert positions == sorted(positions)  # in the gallery's order
    assert _post(10).category.slug == "bolgeler"  # Bölgələr


def test_links_embeds_and_provenance_of_the_classic_post(imported):
    article = _post(15)
    assert article.body.count(f'href="{_post(4).get_absolute_url()}"') == 2  # permalink and ?p=4
    assert "Video on YouTube" in article.body and "Post on X" in article.body
    assert "Source: APA" not in article.body
    assert article.translation.source.name == "APA"
    assert article.category.slug == "caucasus" and article.category.parent.slug == "politics"


def test_a_translation_keeps_its_source_and_language(imported):
    article = _post(16)
    assert article.translation.source.name == "Report.az"
    assert article.translation.source_language == "az"
    assert article.translation.source_url.startswith("https://report.az/")
    assert "Translated from" not in article.body
    assert article.updated_at == datetime(2024, 4, 5, 12, 30, tzinfo=UTC)


def test_the_linked_pdf_comes_across_and_its_old_address_leads_to_it(imported, client):
    """Post 16's file block links the report uploaded with it (attachment 17): it is in the
    Files library now, the link points at it, and the old upload address answers a 301."""
    status, out, err = imported
    document = Document.objects.get()
    assert document.title == "Energy report Q1"  # the attachment's own title
    assert document.content_type == "application/pdf" and document.size == 329
    assert document.url.startswith("/media/files/") and document.url.endswith(".pdf")
    assert "energy-report-q1-" in document.file.name  # the upload's name, made safe
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == (UPLOADS / "2024/04/energy-report-q1.pdf").read_bytes()
    body = _post(16).body
    assert f'<a href="{document.url}" rel="noopener noreferrer">Energy report Q1</a>' in body
    assert "wp.digest.test" not in body
    response = client.get("/wp-content/uploads/2024/04/energy-report-q1.pdf")
    assert response.status_code == 301 and response["Location"] == document.url
    assert summary_row(out, "files") == [1, 0, 0, 0, 0]
    assert "energy-report-q1.pdf" not in out  # nothing left on the old site


def test_statuses_titles_and_slugs(imported):
    assert _post(20).slug == "gencede-yeni-park-acildi"
    assert (_post(21).slug, _post(22).slug) == ("election-day", "election-day-2")
    assert _post(22).is_featured
    assert _post(23).body == "<p></p>"  # an empty body is kept for an editor
    assert _post(24).is_scheduled
    assert _post(24).published_at == datetime(2035, 6, 1, 6, 0, tzinfo=UTC)
    assert _post(25).status == Article.Status.DRAFT
    assert _post(26).status == Article.Status.REVIEW
    assert _post(27).status == Article.Status.DRAFT  # private
    assert not ImportedItem.objects.filter(kind="post", source_id="28").exists()  # trash
    assert _post(1).category.slug == "news"  # Uncategorized → --default-category


def test_people_terms_pages_and_the_menu(imported):
    assert Author.objects.get(slug="ramin-h").name == "Ramin Hüseynov"
    assert Tag.objects.get(name="Erdoğan").slug == "erdogan"
    assert not Category.objects.filter(slug="uncategorized").exists()
    assert FlatPage.objects.get(url="/who-we-are/contact/").title == "Contact"
    privacy = FlatPage.objects.get(url="/privacy-policy/")
    assert "<!--" not in privacy.content and "Who we are" in privacy.content
    order = list(
        Category.objects.filter(slug__in=["politics", "economy", "culture", "bolgeler"])
        .order_by("menu_order")
        .values_list("slug", flat=True)
    )
    assert order == ["politics", "economy", "culture", "bolgeler"]
    status, out, err = imported
    assert "its category (term 7) is not in the export (deleted in WordPress?)" in out
    assert "“Live”: it is a custom link" in out


def _addresses():
    with (REAL / "addresses.tsv").open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_address_the_old_site_answered_leads_to_a_page(imported, client, settings):
    """Each address WordPress answered with a page, or with its own redirect, is one 301 to
    a page here (or the same page here, when Digest has that address too); each one it
    answered 404 still is one."""
    checked = 0
    for row in _addresses():
        path = row["path"]
        if path == "/":
            continue
        response = client.get(path)
        if row["status"] == "404":
            assert response.status_code == 404, row
            continue
        if response.status_code == 200:  # Digest's own address, e.g. /tag/baku/
            checked += 1
            continue
        assert response.status_code == 301, row
        target = response["Location"]
        if target.startswith(settings.MEDIA_URL):  # an upload: the file, served by nginx
            name = target.removeprefix(settings.MEDIA_URL)
            assert default_storage.exists(name), (row, target)
        else:
            assert client.get(target).status_code == 200, (row, target)
        checked += 1
    assert checked >= 110


def test_old_addresses_lead_to_the_right_place(imported, client):
    def location(path):
        response = client.get(path)
        assert response.status_code == 301, path
        return response["Location"]

    assert location("/2024/01/15/parliament-opens-spring-session/") == _post(4).get_absolute_url()
    assert location("/?attachment_id=5") == _post(4).get_absolute_url()
    image = Image.objects.get(file__contains="ganja-2")
    assert location("/wp-content/uploads/2024/02/ganja-2-300x200.jpg") == image.file.url
    assert location("/category/politics/caucasus/") == "/category/caucasus/"
    assert location("/category/bolg%c9%99l%c9%99r/feed/") == "/feeds/category/bolgeler/rss/"
    assert location("/?tag=g%c9%99nc%c9%99") == "/tag/gence/"
    assert location("/?author=3") == "/author/ramin-h/"
    assert location("/2024/01/15/") == "/archive/2024/1/15/"
    assert location("/page/2/") == "/?page=2"
    assert location("/?s=Baku") == "/search/?q=Baku"
    assert location("/category/uncategorized/") == "/category/news/"


def test_the_split_export_is_the_same_site(seeded, settings, tmp_path):
    """split-1.xml has no term list in its header and post 15 in split-2.xml links to post 4
    in split-1.xml."""
    settings.MEDIA_ROOT = tmp_path
    status, out, err = run_wordpress(
        REAL / "split-1.xml", REAL / "split-2.xml", "--skip-media", "--default-category", "news"
    )

    assert status == 0, err
    assert _post(15).body.count(f'href="{_post(4).get_absolute_url()}"') == 2
    assert _post(4).category.slug == "politics"
    assert ImportedItem.objects.filter(kind="post").count() == 15


def test_the_real_export_twice_changes_nothing(imported, settings):
    before = {a.pk: (a.version, a.body, a.updated_at) for a in Article.objects.all()}

    status, out, err = run_wordpress(
        REAL / "site.xml", "--media-dir", UPLOADS, "--default-category", "news"
    )

    assert status == 0, err
    assert summary_row(out, "posts") == [0, 0, 15, 1, 0]
    assert summary_row(out, "images")[0] == 0
    assert summary_row(out, "files") == [0, 0, 1, 0, 0]
    assert Document.objects.count() == 1
    assert {a.pk: (a.version, a.body, a.updated_at) for a in Article.objects.all()} == before
