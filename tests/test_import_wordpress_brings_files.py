"""The operator brings the old site's files across with import_wordpress: PDFs, Office
documents and audio its posts link to, and those no post links to, become the Files library's
(checked by content like an admin upload), and their old addresses answer a 301
(tests/data/wordpress/edge/files.xml and its uploads/2024/03/)."""

import pytest

from articles.models import Article, Document, ImportedItem
from tests.importing import EDGE, run_wordpress, summary_row

FILES = EDGE / "files.xml"
UPLOADS = EDGE / "uploads"
OLD = "https://old.example.com/wp-content/uploads/2024/03"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def imported(seeded, media):
    status, out, err = run_wordpress(FILES, "--media-dir", UPLOADS)
    return {"status": status, "out": out, "err": err}


def _post(post_id):
    item = ImportedItem.objects.get(kind="post", source_id=str(post_id))
    return Article.objects.get(pk=item.object_id)


def _stored(media):
    return sorted(p.name for p in (media / "files").rglob("*") if p.is_file())


def test_a_linked_pdf_comes_across_and_the_link_points_at_it(imported, client):
    report = Document.objects.get(title="Quarterly report")
    assert report.content_type == "application/pdf"
    assert report.url.startswith("/media/files/") and report.url.endswith(".pdf")
    body = _post(30).body
    assert f'href="{report.url}#page=2"' in body  # the page it pointed at, kept
    assert f"{OLD}/quarterly-report.pdf" not in body
    # another site's upload is not ours: left as it is, and not listed
    assert "https://elsewhere.example/wp-content/uploads/2024/03/their-report.pdf" in body
    assert "their-report.pdf" not in imported["out"]
    response = client.get("/wp-content/uploads/2024/03/quarterly-report.pdf")
    assert response.status_code == 301 and response["Location"] == report.url


def test_a_pdf_that_is_html_fails_with_the_reason_and_its_post_imports(imported, media):
    assert imported["status"] == 1
    assert (
        "failed: files.xml: post 31 “A report that is a web page”: file "
        f"{OLD}/not-a-report.pdf: the file is an HTML page or other markup such as SVG (it "
        "starts with “<”), not one of the accepted kinds: PDF, Word, Excel"
    ) in imported["err"]
    assert "1 item failed to import" in imported["err"]
    assert not Document.objects.filter(title__icontains="web page").exists()
    assert not any("not-a-report" in name for name in _stored(media))  # nothing half-written
    body = _post(31).body
    assert f'href="{OLD}/not-a-report.pdf"' in body and "The text still comes across." in body
    assert summary_row(imported["out"], "files") == [3, 0, 0, 2, 1]


def test_a_missing_file_is_listed_as_not_imported(imported):
    out = imported["out"]
    assert (
        "files.xml: post 32 “A lost report”: file /wp-content/uploads/2024/03/lost-report.pdf: "
        "no file 2024/03/lost-report.pdf in --media-dir (give --fetch-media to fetch it)"
    ) in out
    assert "post 32 “A lost report”: the link to lost-report.pdf still points at the old site" in (
        out
    )
    assert 'href="/wp-content/uploads/2024/03/lost-report.pdf"' in _post(32).body


def test_files_no_post_links_to_come_across_too(imported, client):
    """Other sites link to an old file's address: every attachment that is not an image is
    brought, and one that belongs to no post has its attachment page lead to it."""
    interview = Document.objects.get(title="Interview with the minister")
    assert interview.content_type == "audio/mpeg" and interview.url.endswith(".mp3")
    timetable = Document.objects.get(title="Bus timetable")
    assert timetable.content_type == "text/csv" and timetable.url.endswith(".csv")
    for old, new in [
        ("/wp-content/uploads/2024/03/interview.mp3", interview.url),
        ("/wp-content/uploads/2024/03/timetable.csv", timetable.url),
        ("/?attachment_id=43", interview.url),
        ("/interview/", interview.url),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    # the timetable belongs to post 30: its attachment page is the post's, as before
    assert client.get("/?attachment_id=44")["Location"] == _post(30).get_absolute_url()


def test_an_unlinked_file_of_a_kind_not_taken_is_listed_not_failed(imported):
    assert (
        "files.xml: attachment 45 “Promo video”: file "
        f"{OLD}/promo.mp4: a .mp4 file, not a kind the Files library takes"
    ) in imported["out"]
    assert "promo.mp4" not in imported["err"] and "1 item failed" in imported["err"]


def test_the_second_run_brings_nothing_again(imported, media):
    documents = list(Document.objects.order_by("pk").values_list("pk", "file"))
    stored = _stored(media)

    status, out, err = run_wordpress(FILES, "--media-dir", UPLOADS)

    assert summary_row(out, "files") == [0, 0, 3, 2, 1]  # the fake still fails, still missing
    assert list(Document.objects.order_by("pk").values_list("pk", "file")) == documents
    assert _stored(media) == stored


def test_a_file_deleted_in_digest_is_brought_again(imported):
    Document.objects.get(title="Interview with the minister").delete()

    status, out, err = run_wordpress(FILES, "--media-dir", UPLOADS)

    assert summary_row(out, "files")[:3] == [1, 0, 2]
    assert Document.objects.filter(title="Interview with the minister").exists()


def test_a_dry_run_writes_no_file_and_counts_what_would_come(seeded, media):
    status, out, err = run_wordpress(FILES, "--media-dir", UPLOADS, "--dry-run")

    assert summary_row(out, "files") == [3, 0, 0, 2, 1]
    assert not Document.objects.exists() and not media.exists()
    assert "the link to quarterly-report.pdf" not in out  # it would come across
    assert "the link to lost-report.pdf still points at the old site" in out


def test_skip_media_brings_no_file_and_keeps_the_old_links(seeded, media):
    status, out, err = run_wordpress(FILES, "--skip-media")

    assert status == 0, err
    assert not Document.objects.exists()
    assert summary_row(out, "files") == [0, 0, 0, 0, 0]
    assert f'href="{OLD}/quarterly-report.pdf#page=2"' in _post(30).body
    assert "post 30 “The quarterly report”: the link to quarterly-report.pdf still points" in out


def test_fetch_media_never_asks_a_local_address_for_a_file(seeded, media, tmp_path):
    export = tmp_path / "local.xml"
    export.write_text(FILES.read_text().replace("https://old.example.com", "http://127.0.0.1:9"))

    status, out, err = run_wordpress(export, "--fetch-media")

    assert (
        "file http://127.0.0.1:9/wp-content/uploads/2024/03/quarterly-report.pdf: not in "
        "--media-dir, and 127.0.0.1 is not a public address (127.0.0.1): not fetched"
    ) in out
    assert not Document.objects.exists()
