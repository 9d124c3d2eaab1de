"""Featured images: checked by content, turned into WebP renditions once, alt text required."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import services
from articles.images import InvalidImageError, image_validate
from articles.models import Article

SAMPLE = Path(__file__).parent / "data" / "featured.jpg"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name="photo.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content or SAMPLE.read_bytes(), content_type=content_type)


def png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_renamed_html_file_is_refused_with_a_clear_message():
    fake = upload("holiday.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    with pytest.raises(InvalidImageError, match="but a text document"):
        image_validate(fake)


def test_an_svg_is_refused_with_a_clear_message():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    with pytest.raises(InvalidImageError, match="SVG is not accepted"):
        image_validate(upload("logo.svg", svg, "image/svg+xml"))


def test_an_oversize_file_and_too_many_pixels_are_refused(settings):
    settings.DIGEST_IMAGE_MAX_BYTES = 1000
    with pytest.raises(InvalidImageError, match="the largest accepted is 1000"):
        image_validate(upload())
    settings.DIGEST_IMAGE_MAX_BYTES = 10**8
    settings.DIGEST_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(InvalidImageError, match="1800×1000 pixels"):
        image_validate(upload())


def test_a_gif_and_garbage_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300)).save(buffer, "GIF")
    with pytest.raises(InvalidImageError, match="GIF images are not accepted"):
        image_validate(upload("anim.gif", buffer.getvalue(), "image/gif"))
    with pytest.raises(InvalidImageError, match="not a JPEG, PNG or WebP image"):
        image_validate(upload("x.png", b"\x89PNG not really", "image/png"))


def test_renditions_are_made_once_on_save(make_article, media_root):
    article = make_article(featured_image=upload(), image_alt="A red square")
    assert article.image_width == 1800 and article.image_height == 1000
    assert sorted(article.image_renditions, key=int) == ["480", "800", "1200", "1600"]
    for width, path in article.image_renditions.items():
        with Image.open(media_root / path) as rendition:
            assert rendition.format == "WEBP" and rendition.width == int(width)
    assert "480w" in article.image_srcset and "1600w" in article.image_srcset
    made = set(article.image_renditions.values())
    services.article_save(article=article, title="Only the headline changed")
    article.refresh_from_db()
    assert set(article.image_renditions.values()) == made


def test_a_small_image_gets_a_rendition_at_its_own_width(make_article):
    small = upload("s.png", png(600, 400), "image/png")
    article = make_article(featured_image=small, image_alt="x")
    assert sorted(article.image_renditions, key=int) == ["480", "600"]


def test_publishing_with_an_image_needs_alt_text(make_article):
    with pytest.raises(ValidationError, match="alt text"):
        make_article(featured_image=upload(), image_alt="")
    draft = make_article(
        featured_image=upload(), image_alt="", status=Article.Status.DRAFT, published_at=None
    )
    assert draft.pk


def test_admin_refuses_an_svg_upload_with_a_clear_message(
    editor_client, make_category, article_form_data
):
    category = make_category()
    svg = upload("chart.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form_data(title="With chart", category=str(category.pk), featured_image=svg),
    )
    assert response.status_code == 200
    assert "SVG is not accepted" in response.content.decode()
    assert not Article.objects.filter(title="With chart").exists()


def test_admin_upload_shows_a_thumbnail_in_the_change_list(
    editor_client, make_category, article_form_data
):
    category = make_category()
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form_data(
            title="Pictured", category=str(category.pk), featured_image=upload(), image_alt="Hi"
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Pictured")
    assert article.image_renditions
    page = editor_client.get("/admin/articles/article/").content.decode()
    assert 'class="article-thumb"' in page and article.image_renditions["480"] in page


def test_article_page_offers_the_renditions_as_srcset(client, make_article):
    article = make_article(featured_image=upload(), image_alt="A red square")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'srcset="' in page and "1200w" in page and 'alt="A red square"' in page
