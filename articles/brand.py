"""The site's brand on every page: the masthead's logo, the favicon and app icons, and the
picture shown when a page without one of its own is shared.

Editors upload them in the site identity (the admin); `services.site_identity_save` checks
them (`articles.images.image_validate`) and makes their renditions once (`renditions_make`).
Until they do, the site makes its own from the site's name: an icon with the name's first
letter, a share picture with the name and tagline (`default_icon`, `default_share_image`,
served by `views.brand_icon` and `views.brand_share_image`), never a file of the code's.
"""

import hashlib
import io

from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from . import images

ICON_SIZES = (32, 180, 192, 512)
LOGO_WIDTHS = [240, 480, 720]
SHARE_SIZE = (1200, 630)
# The site's colours (static/css/site.css): paper, ink and the accent.
PAPER, INK, ACCENT = "#f5f3ef", "#16181c", "#a8141c"


class Brand:
    """The addresses of *identity*'s logo, icons and share picture, uploaded or made."""

    def __init__(self, identity):
        self.identity = identity
        self.renditions = identity.brand_renditions or {}

    def _version(self):
        # The made pictures change with the name and tagline: a new address each time.
        text = f"{self.identity.name}\n{self.identity.tagline}"
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:8]

    def icon_url(self, size):
        path = self.renditions.get("icon", {}).get(str(size))
        if path:
            return default_storage.url(path)
        return f"{reverse('articles:brand_icon', args=[size])}?v={self._version()}"

    @property
    def icon_32(self):
        return self.icon_url(32)

    @property
    def icon_180(self):
        return self.icon_url(180)

    @property
    def icon_192(self):
        return self.icon_url(192)

    @property
    def icon_512(self):
        return self.icon_url(512)

    @property
    def share_image_url(self):
        path = self.renditions.get("share")
        if path:
            return default_storage.url(path)
        return f"{reverse('articles:brand_share_image')}?v={self._version()}"

    @property
    def logo(self):
        """{"src", "srcset", "width", "height", "largest"} of the uploaded logo, or None."""
        widths = self.renditions.get("logo")
        if not widths:
            return None
        ordered = sorted(widths.items(), key=lambda item: int(item[0]))
        width, height = self.renditions.get("logo_size", [int(ordered[-1][0]), 0])
        return {
            "src": default_storage.url(ordered[0][1]),
            "srcset": ", ".join(f"{default_storage.url(p)} {w}w" for w, p in ordered),
            "width": width,
            "height": height,
            "largest": default_storage.url(ordered[-1][1]),
        }

    def manifest(self):
        """The web app manifest: the name and the app icons for phones' home screens."""
        name = self.identity.name
        return {
            "name": name,
            "short_name": name if len(name) <= 12 else name.split()[0][:12],
            "start_url": "/",
            "display": "browser",
            "background_color": "#ffffff",
            "theme_color": "#ffffff",
            "icons": [
                {"src": self.icon_url(size), "sizes": f"{size}x{size}", "type": "image/png"}
                for size in (192, 512)
            ],
        }


def renditions_make(identity, changed, previous=None):
    """The renditions of *identity*'s uploaded pictures: made anew for the fields named in
    *changed*, kept from *previous* (the stored `brand_renditions`) for the others."""
    renditions = dict(previous or {})
    if "logo" in changed:
        renditions.pop("logo", None)
        renditions.pop("logo_size", None)
        if identity.logo:
            width, height, made = images.renditions_make(identity.logo.name, widths=LOGO_WIDTHS)
            renditions.update(logo=made, logo_size=[width, height])
    if "icon" in changed:
        renditions.pop("icon", None)
        if identity.icon:
            renditions["icon"] = images.square_renditions_make(identity.icon.name, ICON_SIZES)
    if "share_image" in changed:
        renditions.pop("share", None)
        if identity.share_image:
            renditions["share"] = images.cover_rendition_make(
                identity.share_image.name, *SHARE_SIZE
            )
    return renditions


# --- Made from the name, until an editor uploads their own --------------------------------------


def _font(size):
    return ImageFont.load_default(size=size)


def _fitted_font(draw, text, width, size):
    """The largest default font up to *size* in which *text* fits *width* pixels."""
    while size > 12:
        font = _font(size)
        left, _, right, _ = draw.textbbox((0, 0), text, font=font)
        if right - left <= width:
            return font
        size -= 4
    return _font(12)


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def default_icon(identity, size):
    """A *size*-pixel square PNG: the first letter of the site's name on its accent colour."""
    letter = next((c for c in identity.name if c.isalnum()), "?").upper()
    image = Image.new("RGB", (size, size), ACCENT)
    draw = ImageDraw.Draw(image)
    font = _font(round(size * 0.68))
    draw.text((size / 2, size / 2), letter, font=font, fill="white", anchor="mm")
    return _png(image)


def default_share_image(identity):
    """A 1200×630 PNG with the site's name and tagline, in the site's colours."""
    width, height = SHARE_SIZE
    image = Image.new("RGB", SHARE_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 24), fill=ACCENT)
    name_font = _fitted_font(draw, identity.name, width - 160, 140)
    draw.text((width / 2, height / 2 - 30), identity.name, font=name_font, fill=INK, anchor="mm")
    if identity.tagline:
        tagline_font = _fitted_font(draw, identity.tagline, width - 200, 56)
        draw.text(
            (width / 2, height / 2 + 90), identity.tagline, font=tagline_font, fill=ACCENT,
            anchor="mm",
        )  # fmt: skip
    return _png(image)
