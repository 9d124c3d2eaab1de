"""Images inside the body (issue 19): uploaded or picked from the body editor's picker, stored
as the project's images with renditions, alt text required."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import services
from articles.admin.forms import BODY_EDITOR_EXTENSIONS
from articles.models import Article, Image

SAMPLE = Path(__file__).parent / "data" / "featured.jpg"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name="wind.jpg"):
    return SimpleUploadedFile(name, SAMPLE.read_bytes(), content_type="image/jpeg")


def test_the_picker_uploads_an_image_with_renditions_and_offers_it(translator_client, media):
    response = translator_client.post(
        "/admin/articles/image/picker/?CKEditorFuncNum=-1",
        {"file": upload(), "alt_text": "Wind turbines above the sea", "caption": "Khizi"},
    )

    assert response.status_code == 200
    image = Image.objects.get()
    assert image.alt_text == "Wind turbines above the sea"
    assert sorted(image.renditions, key=int) == ["480", "800", "1200", "1600"]
    page = response.content.decode()
    assert f'data-url="{image.url()}"' in page and 'data-alt="Wind turbines above the sea"' in page
    assert 'data-func-num="-1"' in page and "articles/admin/image_picker.js" in page
    assert "-800w" in image.url() and image.url().endswith(".webp")


def test_an_image_without_alt_text_or_not_an_image_is_refused(editor_client, media):
    no_alt = editor_client.post("/admin/articles/image/picker/", {"file": upload(), "alt_text": ""})
    assert "This field is required" in no_alt.content.decode()
    fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    html = editor_client.post("/admin/articles/image/picker/", {"file": fake, "alt_text": "x"})
    assert "text document (HTML or SVG)" in html.content.decode()
    assert not Image.objects.exists()


def test_the_body_editor_offers_figures_with_the_picker(editor_client, make_article):
    assert BODY_EDITOR_EXTENSIONS["Figure"]["pickerUrl"] == "/admin/articles/image/picker/"
    page = editor_client.get(f"/admin/articles/article/{make_article().pk}/change/")
    assert "&quot;pickerUrl&quot;:&quot;/admin/articles/image/picker/&quot;" in (
        page.content.decode()
    )


def test_a_body_image_from_the_library_is_saved_and_shown_to_readers(
    editor, editor_client, make_article, article_form_data, client, media
):
    image = services.image_create(file=upload(), alt_text="The Khizi wind park", user=editor)
    article = make_article()
    body = (
        f'<p>Before.</p><figure class="figure"><img src="{image.url()}" alt="The Khizi wind park" '
        f'data-file="{image.pk}"><figcaption class="figure-caption">Khizi</figcaption></figure>'
    )

    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_form_data(article, body=body)
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert f'<img src="{image.url()}" alt="The Khizi wind park" data-file="{image.pk}">' in (
        article.body
    )
    assert "<figcaption>Khizi</figcaption>" in article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{image.url()}" alt="The Khizi wind park"' in page


@pytest.mark.parametrize(
    "img, message",
    [
        ('<img src="/media/images/x-800w.webp" alt="">', "Every image in the text needs alt text"),
        ('<img src="https://elsewhere.example/x.jpg" alt="A photo">', "from the image library"),
    ],
)
def test_a_body_image_without_alt_text_or_from_elsewhere_is_refused(
    editor_client, make_article, article_form_data, img, message
):
    article = make_article(body="<p>Kept.</p>")
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form_data(article, body=f"<p>Text.</p><figure>{img}</figure>"),
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "<p>Kept.</p>"
