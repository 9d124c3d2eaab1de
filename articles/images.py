"""Featured images, shared by the admin and the importer: validated by their content, resized
once into WebP renditions.

A file is opened with Pillow whatever its name says: only real JPEG, PNG and WebP images within
the size and pixel limits get through, so a renamed HTML page or an SVG is refused. The
renditions (`settings.DIGEST_IMAGE_WIDTHS`) are made when the image is saved and their paths
kept in `Article.image_renditions`, so pages never resize anything.
"""

import io
import os
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class InvalidImageError(ValidationError, ValueError):
    """Not a real JPEG, PNG or WebP image within the limits; the message says why."""

    def __str__(self):
        return self.messages[0]


def _size_of(fileobj):
    if isinstance(fileobj, (str, os.PathLike)):
        return os.path.getsize(fileobj)
    return getattr(fileobj, "size", None)


def _head(fileobj):
    if isinstance(fileobj, (str, os.PathLike)):
        with open(fileobj, "rb") as handle:
            return handle.read(512)
    fileobj.seek(0)
    head = fileobj.read(512)
    fileobj.seek(0)
    return head


def image_validate(fileobj):
    """Check that *fileobj* (a path or a binary file) is a real JPEG, PNG or WebP image within
    the limits and return ``(format, width, height)``; raise `InvalidImageError` otherwise."""
    size = _size_of(fileobj)
    if size is not None and size > settings.DIGEST_IMAGE_MAX_BYTES:
        raise InvalidImageError(
            f"the file is {filesizeformat(size)}; the largest accepted is "
            f"{filesizeformat(settings.DIGEST_IMAGE_MAX_BYTES)}",
            code="image_too_large",
        )
    if _head(fileobj).lstrip()[:1] == b"<":
        raise InvalidImageError(
            "not a JPEG, PNG or WebP image but a text document (HTML or SVG); "
            "SVG is not accepted because it can carry scripts",
            code="image_not_bitmap",
        )
    try:
        with Image.open(fileobj) as image:
            kind, (width, height) = image.format, image.size
            if width * height > settings.DIGEST_IMAGE_MAX_PIXELS:
                raise InvalidImageError(
                    f"the image is too large ({width}×{height} pixels; at most "
                    f"{settings.DIGEST_IMAGE_MAX_PIXELS // 1_000_000} million pixels)",
                    code="image_too_big",
                )
            if kind not in ALLOWED_FORMATS:
                raise InvalidImageError(
                    f"{kind} images are not accepted (JPEG, PNG or WebP)", code="image_format"
                )
            image.verify()  # reads the whole file: truncated or corrupt data fails here
    except Image.DecompressionBombError as error:
        raise InvalidImageError("the image is too large", code="image_too_big") from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise InvalidImageError("not a JPEG, PNG or WebP image", code="image_unreadable") from error
    finally:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
    return kind, width, height


def renditions_make(name, *, storage=None, widths=None):
    """Write the WebP renditions of the stored image *name* (*widths*, by default
    `settings.DIGEST_IMAGE_WIDTHS`); return its size and their paths.

    Widths wider than the original are skipped; a smaller original gets one at its own width.
    """
    storage = storage or default_storage
    all_widths = widths or settings.DIGEST_IMAGE_WIDTHS
    with storage.open(name, "rb") as stored, Image.open(stored) as image:
        image.load()
    width, height = image.size
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    stem = posixpath.splitext(name)[0]
    widths = {w for w in all_widths if w < width}
    if width < max(all_widths) or not widths:
        widths.add(width)
    renditions = {}
    for target in sorted(widths):
        resized = image
        if target != width:
            size = (target, max(1, round(height * target / width)))
            resized = image.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, "WEBP", quality=82, method=4)
        path = storage.save(f"{stem}-{target}w.webp", ContentFile(buffer.getvalue()))
        renditions[str(target)] = path
    return width, height, renditions


# --- The site's brand (issue 18): logo, icons and the default share image ------------------------


def _open_rgb(name, storage):
    with storage.open(name, "rb") as stored, Image.open(stored) as image:
        image.load()
    keep_alpha = image.mode in ("RGBA", "LA", "P") and (
        image.mode != "P" or "transparency" in image.info
    )
    return image.convert("RGBA" if keep_alpha else "RGB")


def _save(storage, path, image, kind, **options):
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return storage.save(path, ContentFile(buffer.getvalue()))


def square_renditions_make(name, sizes, *, storage=None):
    """PNG squares of the stored image *name*, one per size in *sizes* (centre-cropped): the
    favicon and the app icons. Returns ``{"32": path, …}``."""
    storage = storage or default_storage
    image = _open_rgb(name, storage)
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.crop((left, top, left + side, top + side))
    stem = posixpath.splitext(name)[0]
    return {
        str(size): _save(
            storage,
            f"{stem}-{size}px.png",
            square.resize((size, size), Image.Resampling.LANCZOS),
            "PNG",
            optimize=True,
        )
        for size in sizes
    }


def cover_rendition_make(name, width, height, *, storage=None):
    """A *width*×*height* JPEG of the stored image *name*, cropped to cover it (what social
    networks show for a shared page). Returns its path."""
    from PIL import ImageOps

    storage = storage or default_storage
    image = _open_rgb(name, storage)
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    cover = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
    stem = posixpath.splitext(name)[0]
    return _save(storage, f"{stem}-{width}x{height}.jpg", cover, "JPEG", quality=86)
