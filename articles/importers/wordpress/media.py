"""Fetching an upload the local uploads folder lacks from the old site (``--fetch-media``): an
image, or a file readers download (a PDF, an Office document, audio).

Off unless asked. Only http(s), never to a loopback, private, link-local or otherwise
non-public address (an export's URLs are outside input: no request to the machine's own
services), with a timeout and the admin's size limit for that kind of upload; what arrives is
checked like an admin upload (`articles.images.image_validate`,
`articles.documents.document_validate`) by the caller.
"""

import ipaddress
import socket
import tempfile
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT = 15  # seconds, for connecting and for each read


class FetchError(ValueError):
    """Why an upload could not be fetched; one clause for the operator."""


def _public(host: str) -> None:
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except OSError as error:
            raise FetchError(f"{host} cannot be resolved ({error.strerror or error})") from None
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    for address in addresses:
        if not address.is_global:
            raise FetchError(f"{host} is not a public address ({address}): not fetched")


def fetch_image(
    url: str, *, folder: Path, limit: int | None = None, timeout: float = TIMEOUT
) -> Path:
    """Download *url* into *folder* (at most *limit* bytes: `DIGEST_IMAGE_MAX_BYTES` unless
    told, `DIGEST_DOCUMENT_MAX_BYTES` for a file); its path."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url} is not an http(s) address")
    _public(parts.hostname)
    limit = limit or settings.DIGEST_IMAGE_MAX_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": "Digest import_wordpress"})  # noqa: S310 - http(s) only, checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(f"it is {int(length):,} bytes; the limit is {limit:,}")
            data = response.read(limit + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"could not fetch it ({reason})") from None
    if len(data) > limit:
        raise FetchError(f"it is over the limit of {limit:,} bytes")
    name = PurePosixPath(parts.path).name or "upload"
    target = Path(tempfile.mkdtemp(dir=folder)) / name
    target.write_bytes(data)
    return target
