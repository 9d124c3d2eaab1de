"""Media storages that give every upload a safe name and refuse oversized files.

Names become `<slug>-<random>.<ext>`: lower-case ASCII, no path parts, and an extension from a
short allow-list of raster images (anything else is stored as `.bin`, so it can never be served
as HTML or SVG by extension). Under `files/`, the Files library (`articles.Document`, checked by
its content before it is saved), the documents' own extensions are kept too (.pdf, .docx, .mp3,
…) and the limit is DIGEST_DOCUMENT_MAX_BYTES. nginx additionally forces safe content types
(deploy/nginx/).
"""

import os
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.text import slugify

SAFE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
# The Files library's folder and the extensions of the kinds articles/documents.py accepts: none
# is one a browser runs (nginx serves each with its own type and nosniff).
DOCUMENTS_FOLDER = "files"
DOCUMENT_EXTENSIONS = {
    ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".doc", ".xls", ".ppt", ".rtf",
    ".txt", ".csv", ".mp3", ".m4a", ".ogg",
}  # fmt: skip


def _in_documents(name):
    return name.split("/", 1)[0] == DOCUMENTS_FOLDER


def safe_name(name):
    """`../Evil Photo.SVG` -> `evil-photo-3f9a1c.bin`; `Baku 2024.JPG` -> `baku-2024-….jpg`;
    `files/2024/04/Energy Report.PDF` -> `files/2024/04/energy-report-….pdf`."""
    directory, base = os.path.split(name.replace("\\", "/"))
    stem, ext = os.path.splitext(base)
    directory = "/".join(part for part in (slugify(p) for p in directory.split("/")) if part)
    ext = ext.lower()
    allowed = SAFE_EXTENSIONS | (DOCUMENT_EXTENSIONS if _in_documents(directory) else set())
    if ext not in allowed:
        ext = ".bin"
    stem = slugify(stem)[:60].strip("-") or "file"
    filename = f"{stem}-{secrets.token_hex(3)}{ext}"
    return f"{directory}/{filename}" if directory else filename


# The mixin goes in front of a concrete Storage class; type checkers need to be told so.
if TYPE_CHECKING:

    class _StorageBase(Storage):
        def _save(self, name: str, content: File) -> str: ...  # every concrete storage has it

else:
    _StorageBase = object


class SafeNamesMixin(_StorageBase):
    def save(self, name, content, max_length=None):
        # Every path in (FileField uploads, the importer, the admin) goes through save().
        return super().save(
            safe_name(name or getattr(content, "name", "file")), content, max_length
        )

    def _save(self, name, content):
        limit = settings.DIGEST_IMAGE_MAX_BYTES
        if _in_documents(name):
            limit = settings.DIGEST_DOCUMENT_MAX_BYTES
        if content.size is not None and content.size > limit:
            raise SuspiciousFileOperation(
                f"Upload of {content.size} bytes is over the {limit}-byte limit."
            )
        return super()._save(name, content)


class SafeFileSystemStorage(SafeNamesMixin, FileSystemStorage):
    pass


def __getattr__(name):
    # Imported lazily: boto3 is only needed when AWS_STORAGE_BUCKET_NAME is set.
    if name == "SafeS3Storage":
        from storages.backends.s3 import S3Storage

        return type("SafeS3Storage", (SafeNamesMixin, S3Storage), {"__module__": __name__})
    raise AttributeError(name)
