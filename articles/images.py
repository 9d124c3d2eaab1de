"""Image checks shared by the admin and the importer."""

from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 50_000_000  # a decompression bomb is not a photograph


class InvalidImageError(ValueError):
    """Not a real JPEG, PNG or WebP image; the message says why."""


def image_validate(fileobj):
    """Check that *fileobj* (a path or a binary file) is a real JPEG, PNG or WebP image and
    return ``(format, width, height)``; raise `InvalidImageError` otherwise."""
    try:
        with Image.open(fileobj) as image:
            kind, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:
                raise InvalidImageError(f"the image is too large ({width}×{height} pixels)")
            if kind not in ALLOWED_FORMATS:
                raise InvalidImageError(f"{kind} images are not accepted (JPEG, PNG or WebP)")
            image.verify()  # reads the whole file: truncated or corrupt data fails here
    except Image.DecompressionBombError as error:
        raise InvalidImageError("the image is too large") from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise InvalidImageError("not a JPEG, PNG or WebP image") from error
    finally:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
    return kind, width, height
