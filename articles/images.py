"""Featured images: validated by their content, resized once into WebP renditions.

An upload is opened with Pillow whatever its name says: only real JPEG, PNG and WebP images
within the size and pixel limits get through, so a renamed HTML page or an SVG is refused.
The renditions (`settings.DIGEST_IMAGE_WIDTHS`) are made when the image is saved and their
paths kept in `Article.image_renditions`, so pages never resize anything.
"""

import io
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def image_validate(upload):
    """Raise `ValidationError` unless *upload* is a JPEG, PNG or WebP image within limits."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.DIGEST_IMAGE_MAX_BYTES:
        raise ValidationError(
            f"The image is {filesizeformat(size)}; the largest accepted is "
            f"{filesizeformat(settings.DIGEST_IMAGE_MAX_BYTES)}.",
            code="image_too_large",
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if head.lstrip()[:1] == b"<":
        raise ValidationError(
            "This file is not a picture but a text document (HTML or SVG). Upload a JPEG, "
            "PNG or WebP image; SVG is not accepted because it can carry scripts.",
            code="image_not_bitmap",
        )
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if image_format in ACCEPTED_FORMATS:
                image.verify()
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            "The image has too many pixels to be processed safely.", code="image_too_big"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "This file is not an image Digest can read. Upload a JPEG, PNG or WebP image.",
            code="image_unreadable",
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"{image_format} images are not accepted. Upload a JPEG, PNG or WebP image.",
            code="image_format",
        )
    if width * height > settings.DIGEST_IMAGE_MAX_PIXELS:
        raise ValidationError(
            f"The image is {width}×{height} pixels; the most accepted is "
            f"{settings.DIGEST_IMAGE_MAX_PIXELS // 1_000_000} million pixels.",
            code="image_too_big",
        )
    if width < settings.DIGEST_IMAGE_MIN_WIDTH:
        raise ValidationError(
            f"The image is only {width} pixels wide; it needs at least "
            f"{settings.DIGEST_IMAGE_MIN_WIDTH}.",
            code="image_too_small",
        )
    return width, height


def renditions_make(name, *, storage=None):
    """Write the WebP renditions of the stored image *name*; return its size and their paths.

    Widths wider than the original are skipped (the original's own width is used once).
    """
    storage = storage or default_storage
    with storage.open(name, "rb") as stored, Image.open(stored) as image:
        image.load()
    width, height = image.size
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    stem = posixpath.splitext(name)[0]
    widths = [w for w in settings.DIGEST_IMAGE_WIDTHS if w < width] or [width]
    if width < settings.DIGEST_IMAGE_WIDTHS[-1] and width not in widths:
        widths.append(width)
    renditions = {}
    for target in sorted(set(widths)):
        resized = (
            image
            if target == width
            else image.resize(
                (target, max(1, round(height * target / width))), Image.Resampling.LANCZOS
            )
        )
        buffer = io.BytesIO()
        resized.save(buffer, "WEBP", quality=82, method=4)
        path = storage.save(f"{stem}-{target}w.webp", ContentFile(buffer.getvalue()))
        renditions[str(target)] = path
    return width, height, renditions


def renditions_delete(renditions, *, storage=None):
    storage = storage or default_storage
    for path in (renditions or {}).values():
        storage.delete(path)
