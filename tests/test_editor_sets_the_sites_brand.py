"""An editor gives the site its brand in the admin's site identity: the logo, the icon
(favicon and app icons) and the default share picture, checked by their content and resized
once; social and partner links for the footer. Until then the site makes its own from its
name: no picture of the code's ("Digest", a "D") ever shows for another site."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import SiteIdentity

SAMPLE = Path(__file__).parent / "data" / "featured.jpg"
ADMIN = "/admin/articles/siteidentity/1/change/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(width, height, colour="navy", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def picture(response):
    return Image.open(io.BytesIO(b"".join(response)))


def form(identity, **overrides):
    data = {
        "name": identity.name,
        "tagline": identity.tagline,
        "about": identity.about,
        "contact_email": identity.contact_email,
        "copyright_year": identity.copyright_year or "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_without_uploads_the_icons_and_share_picture_are_made_from_the_name(client, seeded):
    html = client.get("/").content.decode()
    assert "/static/img/" not in html
    assert '<link rel="icon" href="/brand/icon-32.png?v=' in html
    assert '<link rel="apple-touch-icon" href="/brand/icon-180.png?v=' in html
    assert '<meta property="og:image" content="http://testserver/brand/share.png?v=' in html
    for size in (32, 180, 192, 512):
        response = client.get(f"/brand/icon-{size}.png")
        assert response["Content-Type"] == "image/png"
        icon = picture(response).convert("RGB")
        assert icon.size == (size, size)
        colours = {colour for _, colour in icon.getcolors(size * size)}
        assert (168, 20, 28) in colours and (255, 255, 255) in colours  # a letter on the accent
    share = picture(client.get("/brand/share.png"))
    assert share.size == (1200, 630)
    assert client.get("/brand/icon-64.png").status_code == 404
    assert client.get("/favicon.ico")["Location"].startswith("/brand/icon-32.png")


def test_the_made_pictures_follow_the_name(client, seeded):
    before = client.get("/").content.decode().split('rel="icon" href="')[1].split('"')[0]
    from articles import services

    services.site_identity_save(identity=SiteIdentity.objects.get(), name="Baku Letters")
    after = client.get("/").content.decode().split('rel="icon" href="')[1].split('"')[0]
    assert before != after, "a new name, a new address: no browser keeps the old letter"


def test_the_web_app_manifest_names_the_site_and_its_icons(client, seeded):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Aze.Media" and manifest["start_url"] == "/"
    assert [i["sizes"] for i in manifest["icons"]] == ["192x192", "512x512"]
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").content.decode()


def test_editor_uploads_logo_icon_and_share_picture_and_pages_use_them(
    client, editor_client, seeded, media
):
    identity = SiteIdentity.objects.get()
    response = editor_client.post(
        ADMIN,
        form(
            identity,
            logo=SimpleUploadedFile("logo.png", png(900, 180, mode="RGBA"), "image/png"),
            icon=SimpleUploadedFile("icon.png", png(600, 600, "teal"), "image/png"),
            share_image=SimpleUploadedFile("share.jpg", SAMPLE.read_bytes(), "image/jpeg"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    renditions = SiteIdentity.objects.get().brand_renditions
    assert sorted(renditions["icon"], key=int) == ["32", "180", "192", "512"]
    for size, path in renditions["icon"].items():
        with Image.open(media / path) as icon:
            assert icon.format == "PNG" and icon.size == (int(size), int(size))
    with Image.open(media / renditions["share"]) as share:
        assert share.format == "JPEG" and share.size == (1200, 630)
    assert sorted(renditions["logo"], key=int) == ["240", "480", "720"]
    assert renditions["logo_size"] == [900, 180]

    html = client.get("/").content.decode()
    masthead = html.split('class="wrap masthead"')[1].split("</a>")[0]
    assert '<img src="/media/brand/' in masthead and 'alt="Aze.Media"' in masthead
    assert 'width="900" height="180"' in masthead and "720w" in masthead
    assert f'<link rel="icon" href="/media/{renditions["icon"]["32"]}"' in html
    assert f'content="http://testserver/media/{renditions["share"]}"' in html
    assert client.get("/brand/icon-192.png")["Location"] == f"/media/{renditions['icon']['192']}"
    from articles.models import Article

    article = Article.objects.get(category__slug="opinion")
    data = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'"logo": {{"@type": "ImageObject", "url": "http://testserver/media/{renditions["logo"]["720"]}"}}'
        in data
    )  # noqa: E501


def test_a_bad_upload_is_refused_with_a_reason_and_loses_nothing(editor_client, seeded, media):
    identity = SiteIdentity.objects.get()
    response = editor_client.post(
        ADMIN,
        form(
            identity,
            tagline="A new tagline",
            icon=SimpleUploadedFile("icon.png", b"<svg onload=alert(1)></svg>", "image/png"),
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "SVG is not accepted because it can carry scripts" in html
    assert 'value="A new tagline"' in html
    assert SiteIdentity.objects.get().tagline == "Daily Digest"
    assert not list(media.rglob("*"))


def test_social_and_partner_links_show_in_the_footer(client, editor_client, seeded):
    identity = SiteIdentity.objects.get()
    links = {
        "links-TOTAL_FORMS": "3",
        "links-0-kind": "social", "links-0-label": "Facebook",
        "links-0-url": "https://www.facebook.com/azemedia", "links-0-order": "1",
        "links-1-kind": "partner", "links-1-label": "Globalinfo.az",
        "links-1-url": "https://globalinfo.az/", "links-1-order": "1",
        "links-2-kind": "social", "links-2-label": "X",
        "links-2-url": "https://x.com/azemedia", "links-2-order": "2",
    }  # fmt: skip
    assert editor_client.post(ADMIN, form(identity, **links)).status_code == 302
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    follow = footer.split('aria-label="Follow us"')[1].split("</nav>")[0]
    partners = footer.split('aria-label="Partners"')[1].split("</nav>")[0]
    assert follow.index(">Facebook<") < follow.index(">X<")
    assert 'href="https://x.com/azemedia"' in follow and "Globalinfo" not in follow
    assert 'href="https://globalinfo.az/" rel="noopener">Globalinfo.az</a>' in partners
