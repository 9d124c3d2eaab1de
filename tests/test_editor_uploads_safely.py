"""Uploads get safe names, can never become HTML/SVG by extension, and respect size limits."""

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from digest.storage import safe_name


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_names_are_slugged_and_lose_any_path_escape():
    name = safe_name("articles/2024/../../etc/Baku Skyline (1).JPG")
    directory, _, filename = name.rpartition("/")
    assert ".." not in name
    assert directory == "articles/2024/etc"
    assert filename.startswith("baku-skyline-1-") and filename.endswith(".jpg")


@pytest.mark.parametrize("upload", ["x.svg", "page.html", "script.js", "evil.jpg.php", "noext"])
def test_anything_but_a_raster_image_is_stored_as_inert_bytes(upload):
    assert safe_name(upload).endswith(".bin")


def test_two_uploads_with_the_same_name_never_overwrite_each_other(media):
    first = default_storage.save("articles/photo.png", ContentFile(b"one"))
    second = default_storage.save("articles/photo.png", ContentFile(b"two"))
    assert first != second
    assert (media / first).read_bytes() == b"one"
    assert (media / second).read_bytes() == b"two"


def test_an_svg_upload_lands_on_disk_without_an_svg_extension(media):
    name = default_storage.save("articles/<script>logo.svg", ContentFile(b"<svg onload=alert(1)>"))
    assert name.endswith(".bin") and "<" not in name
    assert (media / name).exists()


def test_a_file_over_the_image_limit_is_refused(media, settings):
    settings.DIGEST_IMAGE_MAX_BYTES = 1000
    with pytest.raises(SuspiciousFileOperation):
        default_storage.save("articles/huge.jpg", ContentFile(b"x" * 1001))
    assert not any(media.rglob("huge*"))


def test_an_oversized_form_post_is_rejected_before_the_view(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/accounts/login/", {"username": "x" * 20_000, "password": "y"})
    assert response.status_code == 400
