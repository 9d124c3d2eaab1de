"""The reader opens a file an article links to (the Files library): the shipped nginx serves it
with its kind's own type and never lets the browser guess another; PDF, audio and text open in
the browser, other kinds are downloads. Development serves it the same way through Django."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import services
from bench import stack
from tests.importing import EDGE, docx_bytes

PDF = (EDGE / "uploads" / "2024" / "03" / "quarterly-report.pdf").read_bytes()


@pytest.fixture
def nginx(tmp_path, settings):
    try:
        front = stack.Nginx(tmp_path / "nginx", upstream_port=stack.free_port()).start()
    except (RuntimeError, OSError) as error:
        pytest.skip(f"needs nginx: {error}")
    settings.MEDIA_ROOT = front.media_root
    yield front
    front.stop()


def _file(name, content):
    return services.document_create(file=SimpleUploadedFile(name, content))


@pytest.mark.slow
def test_the_shipped_nginx_serves_each_kind_with_its_own_type(db, nginx):
    kinds = [
        (_file("report.pdf", PDF), "application/pdf", None),
        (_file("notes.txt", "Şuşa\n".encode()), "text/plain; charset=utf-8", None),
        (_file("interview.mp3", b"ID3\x03\0\0\0\0\0\0\xff\xfb\x90\x64" + b"\0" * 60), "audio/mpeg",
         None),
        (_file("letter.docx", docx_bytes([("", ["Dear reader"])])),
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"),
    ]  # fmt: skip
    for document, content_type, disposition in kinds:
        status, headers, body, _ = stack.get(nginx.base, document.url)
        assert status == 200, document.url
        assert headers["Content-Type"] == content_type
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers.get("Content-Disposition") == disposition
        assert headers["X-Frame-Options"] == "DENY"
        with document.file.open("rb") as stored:
            assert body == stored.read()
    # the browser's own PDF viewer needs no sandbox (it would show nothing in one)
    _, headers, _, _ = stack.get(nginx.base, kinds[0][0].url)
    assert "sandbox" not in headers["Content-Security-Policy"]
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.slow
def test_anything_else_under_files_is_an_inert_download(db, nginx):
    page = nginx.media_root / "files" / "evil.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<script>alert(1)</script>")

    status, headers, _, _ = stack.get(nginx.base, "/media/files/evil.html")

    assert status == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Disposition"] == "attachment"
    assert "sandbox" in headers["Content-Security-Policy"]


def test_a_file_linked_from_an_article_is_served_in_development(
    client, settings, tmp_path, make_article
):
    settings.MEDIA_ROOT = tmp_path
    settings.ROOT_URLCONF = "tests.urls_with_media"  # what digest/urls.py adds with DEBUG on
    document = _file("report.pdf", PDF)
    article = make_article(body=f'<p>Read <a href="{document.url}">the report</a>.</p>')

    page = client.get(article.get_absolute_url()).content.decode()
    response = client.get(document.url)

    assert f'<a href="{document.url}" rel="noopener noreferrer">the report</a>' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
