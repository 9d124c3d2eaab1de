"""The editor puts a file readers download (a PDF report, a spreadsheet, an interview's audio)
in the Files library and links to it from an article: each upload is checked by what it holds,
not by its name (articles/documents.py), stored under the kind's own extension and served with
the kind's own type."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.documents import KINDS, InvalidDocumentError, document_validate
from articles.models import Document
from digest.storage import safe_name
from tests.importing import EDGE, docx_bytes

PDF = (EDGE / "uploads" / "2024" / "03" / "quarterly-report.pdf").read_bytes()
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>"
OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- sample files, built here byte by byte ------------------------------------------------------


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml_bytes(main_type, part):
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    )
    return zip_bytes(
        {"[Content_Types].xml": types, "_rels/.rels": "<Relationships/>", part: "<w/>"}
    )


def odf_bytes(mimetype):
    return zip_bytes({"mimetype": mimetype, "content.xml": "<office:document-content/>"})


def ole2_bytes(*streams):
    """A compound file (MS-CFB, 512-byte sectors): the header, one allocation-table sector,
    one directory sector holding the root and *streams*."""

    def entry(name, kind):
        raw = (name + "\0").encode("utf-16-le")
        fields = struct.pack("<HBB3I", len(raw), kind, 1, *[0xFFFFFFFF] * 3)
        return (raw.ljust(64, b"\0") + fields).ljust(128, b"\0")

    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 0x2C, 1, 1)  # one FAT sector; the directory at sector 1
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<IIII", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *[0xFFFFFFFF] * 108)
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *[0xFFFFFFFF] * 126)
    directory = entry("Root Entry", 5) + b"".join(entry(name, 2) for name in streams)
    return bytes(header) + fat + directory.ljust(512, b"\0")


def mp4_bytes(brand, *handlers):
    def box(kind, payload):
        return struct.pack(">I4s", 8 + len(payload), kind) + payload

    tracks = b"".join(
        box(b"trak", box(b"mdia", box(b"hdlr", b"\0" * 8 + handler + b"\0" * 12)))
        for handler in handlers
    )
    return box(b"ftyp", brand + b"\0\0\0\0" + brand) + box(b"moov", tracks) + box(b"mdat", b"\0")


MP3_FRAME = b"\xff\xfb\x90\x64" + b"\0" * 413  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", PDF, "pdf"),
        ("letter.docx", docx_bytes([("", ["Dear reader"])]), "docx"),
        ("budget.xlsx", ooxml_bytes(f"{OOXML}.spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
         "xlsx"),
        ("slides.pptx", ooxml_bytes(f"{OOXML}.presentationml.presentation.main+xml",
                                    "ppt/presentation.xml"), "pptx"),
        ("letter.odt", odf_bytes(f"{ODF}.text"), "odt"),
        ("budget.ods", odf_bytes(f"{ODF}.spreadsheet"), "ods"),
        ("slides.odp", odf_bytes(f"{ODF}.presentation"), "odp"),
        ("letter.doc", ole2_bytes("\x01CompObj", "WordDocument", "1Table"), "doc"),
        ("budget.xls", ole2_bytes("Workbook"), "xls"),
        ("old-budget.xls", ole2_bytes("Book"), "xls"),
        ("slides.ppt", ole2_bytes("PowerPoint Document", "Current User"), "ppt"),
        ("letter.rtf", rb"{\rtf1\ansi Salam}", "rtf"),
        ("notes.txt", "Şuşa, Gəncə, Bakı\n".encode(), "txt"),
        ("timetable.csv", b"route,departs\nBaku-Ganja,07:00\n", "csv"),
        ("interview.mp3", b"ID3\x03\0\0\0\0\0\0" + MP3_FRAME, "mp3"),
        ("no-tags.mp3", MP3_FRAME, "mp3"),
        ("interview.m4a", mp4_bytes(b"M4A "), "m4a"),
        ("podcast.mp4", mp4_bytes(b"isom", b"soun"), "m4a"),
        ("interview.ogg", b"OggS\0\x02" + b"\0" * 22 + b"\x01vorbis" + b"\0" * 30, "ogg"),
    ],
)  # fmt: skip
def test_each_accepted_kind_is_told_by_its_content(name, content, kind):
    assert document_validate(upload(name, content), name=name) == KINDS[kind]
    # the name says nothing: a PDF called .docx is a PDF (text is told CSV by name alone)
    if kind not in ("txt", "csv"):
        assert document_validate(upload("renamed.docx", content)).extension == kind


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", HTML, "an HTML page or other markup such as SVG"),
        ("logo.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "markup"),
        ("setup.pdf", b"MZ\x90\0" + b"\0" * 60, "a Windows program"),
        ("run.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 60, "a program"),
        ("photos.pdf", zip_bytes({"a.txt": "x"}), "a zip archive that is not an Office document"),
        ("macros.docm", ooxml_bytes("application/vnd.ms-word.document.macroEnabled.main+xml",
                                    "word/document.xml"), "with macros"),
        ("macros.doc", ole2_bytes("WordDocument", "Macros"), "with macros"),
        ("secret.docx", ole2_bytes("EncryptionInfo", "EncryptedPackage"), "by a password"),
        ("setup.msi", ole2_bytes("\x05SummaryInformation"), "not a Word, Excel or PowerPoint"),
        ("film.mp4", mp4_bytes(b"isom", b"vide", b"soun"), "a video"),
        ("photo.pdf", b"\xff\xd8\xff\xe0\0\x10JFIF", "an image (JPEG)"),
        ("latin.txt", "café".encode("latin-1"), "text that is not UTF-8"),
        ("wide.txt", "hello".encode("utf-16"), "text in UTF-16"),
        ("empty.pdf", b"", "the file is empty"),
        ("junk.bin", b"\0\x01\x02\x03" * 20, "of a kind not recognised"),
    ],
)  # fmt: skip
def test_anything_else_is_refused_with_what_it_is_and_what_is_accepted(name, content, reason):
    with pytest.raises(InvalidDocumentError) as refused:
        document_validate(upload(name, content), name=name)
    assert reason in str(refused.value)
    if content:
        assert "accepted kinds: PDF, Word, Excel and PowerPoint files" in str(refused.value)


def test_a_file_over_the_limit_is_refused(settings):
    settings.DIGEST_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(InvalidDocumentError, match="the largest accepted is 100"):
        document_validate(upload("report.pdf", PDF))


def test_the_service_stores_the_kind_the_content_has_whatever_the_upload_claimed(editor):
    document = services.document_create(
        file=upload("Energy Report_Q1.doc", PDF, content_type="text/html"), user=editor
    )

    assert document.title == "Energy Report Q1"  # from the name, made readable
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert document.file.name.startswith("files/") and document.file.name.endswith(".pdf")
    assert "energy_report_q1-" in document.file.name  # the name, made safe by the storage
    assert document.uploaded_by == editor and str(document) == "Energy Report Q1"
    with document.file.open("rb") as stored:
        assert stored.read() == PDF


def test_every_accepted_kind_keeps_its_extension_in_the_files_folder_only():
    for kind in KINDS.values():
        assert safe_name(f"files/2024/04/Report.{kind.extension.upper()}").endswith(
            f".{kind.extension}"
        )
        assert safe_name(f"images/2024/04/report.{kind.extension}").endswith(".bin")
    assert safe_name("files/2024/04/page.html").endswith(".bin")


# --- the admin ---------------------------------------------------------------------------------


def test_an_editor_uploads_a_pdf_and_sees_its_address_in_the_list(editor_client):
    response = editor_client.post(
        "/admin/articles/document/add/",
        {"file": upload("energy-report-q1.pdf", PDF, "application/pdf"), "title": ""},
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.title == "Energy report q1"
    page = editor_client.get("/admin/articles/document/").content.decode()
    assert f"<code>{document.url}</code>" in page
    assert "Energy report q1" in page and "PDF" in page and "329\xa0bytes" in page
    change = editor_client.get(f"/admin/articles/document/{document.pk}/change/").content.decode()
    assert f'<a href="{document.url}" target="_blank"' in change and "Open the file" in change
    assert "paste the address" in change


def test_a_disguised_html_page_is_refused_with_the_reason(editor_client, media):
    response = editor_client.post(
        "/admin/articles/document/add/", {"file": upload("report.pdf", HTML, "application/pdf")}
    )

    assert response.status_code == 200
    assert "The file is an HTML page or other markup such as SVG" in response.content.decode()
    assert not Document.objects.exists() and not any(media.rglob("*.*"))


def test_the_upload_form_says_what_is_accepted_and_how_to_link(editor_client):
    page = editor_client.get("/admin/articles/document/add/").content.decode()
    assert "Accepted: PDF, Word, Excel and PowerPoint files" in page
    assert "paste the address" in page


def test_a_translator_may_upload_but_not_change_or_delete(translator_client, editor):
    response = translator_client.post(
        "/admin/articles/document/add/", {"file": upload("notes.txt", b"Notes\n"), "title": "N"}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "text/plain"
    url = f"/admin/articles/document/{document.pk}/"
    assert translator_client.post(f"{url}change/", {"title": "Other"}).status_code == 403
    assert translator_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403


def test_an_editor_renames_a_file_but_the_file_stays(editor_client, editor):
    document = services.document_create(file=upload("report.pdf", PDF), user=editor)
    name = document.file.name

    response = editor_client.post(
        f"/admin/articles/document/{document.pk}/change/", {"title": "  Quarterly   report "}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.file.name) == ("Quarterly report", name)


def test_deleting_a_file_removes_it_from_the_site(
    editor_client, editor, media, django_capture_on_commit_callbacks
):
    document = services.document_create(file=upload("report.pdf", PDF), user=editor)
    stored = media / document.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/articles/document/{document.pk}/delete/", {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Document.objects.exists() and not stored.exists()


def test_the_files_list_asks_the_same_queries_for_3_or_30_files(editor_client, editor):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get("/admin/articles/document/").status_code == 200
        return len(captured)

    for n in range(3):
        services.document_create(file=upload(f"r{n}.pdf", PDF), user=editor)
    few = queries()
    for n in range(27):
        services.document_create(file=upload(f"s{n}.pdf", PDF), user=editor)
    assert queries() == few
