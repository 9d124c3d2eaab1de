"""Files readers download or open from an article (a PDF report, a spreadsheet, an interview's
audio), shared by the admin and the WordPress importer: validated by their content, never by
their name or by what the upload claims.

`document_validate` reads the first bytes (and, for a zip or an OLE2 container, its table of
contents) and names the kind: PDF; Word, Excel and PowerPoint, as OOXML (.docx, .xlsx, .pptx),
OpenDocument (.odt, .ods, .odp) or the older OLE2 files (.doc, .xls, .ppt); RTF; UTF-8 plain
text or CSV; MP3, M4A and OGG audio. Anything else, an HTML page renamed .pdf or an SVG
included, is refused with a sentence naming what the file is and what is accepted. Office
files with macros are refused too: they carry programs. The content type stored and served is
the kind's, and so is the extension the storage keeps (`digest.storage.safe_name`).
"""

import codecs
import os
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

ACCEPTED = (
    "PDF, Word, Excel and PowerPoint files (.docx, .xlsx, .pptx, the older .doc, .xls, .ppt, "
    "and OpenDocument's .odt, .ods, .odp), RTF, plain text or CSV in UTF-8, and MP3, M4A or "
    "OGG audio"
)


@dataclass(frozen=True)
class DocumentKind:
    """What a file is: its label for editors, the content type it is served with, and the
    extension it is stored under."""

    label: str
    content_type: str
    extension: str


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
KINDS = {
    kind.extension: kind
    for kind in (
        DocumentKind("PDF", "application/pdf", "pdf"),
        DocumentKind("Word document", f"{_OOXML}.wordprocessingml.document", "docx"),
        DocumentKind("Excel spreadsheet", f"{_OOXML}.spreadsheetml.sheet", "xlsx"),
        DocumentKind("PowerPoint presentation", f"{_OOXML}.presentationml.presentation", "pptx"),
        DocumentKind("OpenDocument text", f"{_ODF}.text", "odt"),
        DocumentKind("OpenDocument spreadsheet", f"{_ODF}.spreadsheet", "ods"),
        DocumentKind("OpenDocument presentation", f"{_ODF}.presentation", "odp"),
        DocumentKind("Word 97–2003 document", "application/msword", "doc"),
        DocumentKind("Excel 97–2003 spreadsheet", "application/vnd.ms-excel", "xls"),
        DocumentKind("PowerPoint 97–2003 presentation", "application/vnd.ms-powerpoint", "ppt"),
        DocumentKind("RTF document", "application/rtf", "rtf"),
        DocumentKind("Plain text", "text/plain", "txt"),
        DocumentKind("CSV table", "text/csv", "csv"),
        DocumentKind("MP3 audio", "audio/mpeg", "mp3"),
        DocumentKind("M4A audio", "audio/mp4", "m4a"),
        DocumentKind("OGG audio", "audio/ogg", "ogg"),
    )
}
BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS.values()}

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main part of an OOXML package ([Content_Types].xml) → its kind, and the folder it is in.
OOXML_MAIN = {
    "wordprocessingml.document.main+xml": ("docx", "word/"),
    "spreadsheetml.sheet.main+xml": ("xlsx", "xl/"),
    "presentationml.presentation.main+xml": ("pptx", "ppt/"),
}
OOXML_MACROS = ("macroenabled", "vbaproject")
ODF_MIMETYPES = {f"{_ODF}.text": "odt", f"{_ODF}.spreadsheet": "ods", f"{_ODF}.presentation": "odp"}
# The stream an OLE2 (97–2003) Office file keeps its content in → its kind.
OLE2_STREAMS = {
    "worddocument": "doc",
    "workbook": "xls",
    "book": "xls",
    "powerpoint document": "ppt",
}
OLE2_MACROS = {"macros", "_vba_project_cur", "vba"}
MP4_AUDIO_BRANDS = {b"M4A ", b"M4B "}
HEAD = 4096  # bytes read to tell the kind
SMALL_MEMBER = 1024 * 1024  # the largest zip member read whole ([Content_Types].xml, mimetype)


class InvalidDocumentError(ValidationError, ValueError):
    """Not one of the accepted kinds, or over the size limit; the message says why."""

    def __str__(self):
        return self.messages[0]


def kind_label(content_type):
    """ "application/pdf" → "PDF"; an unknown type as it is."""
    kind = BY_CONTENT_TYPE.get(content_type)
    return kind.label if kind else content_type


def _refuse(what, code="document_kind"):
    return InvalidDocumentError(
        f"the file is {what}, not one of the accepted kinds: {ACCEPTED}", code=code
    )


class _Reader:
    """A path or a binary file as a seekable file, put back where it was found."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.handle = None

    def __enter__(self):
        if isinstance(self.fileobj, (str, os.PathLike)):
            self.handle = open(self.fileobj, "rb")  # closed in __exit__
            return self.handle
        self.fileobj.seek(0)
        return self.fileobj

    def __exit__(self, *exc):
        if self.handle is not None:
            self.handle.close()
        else:
            self.fileobj.seek(0)


def _size_of(fileobj, handle):
    if isinstance(fileobj, (str, os.PathLike)):
        return os.path.getsize(fileobj)
    size = getattr(fileobj, "size", None)
    if size is None:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(0)
    return size


def document_validate(fileobj, *, name=""):
    """Check that *fileobj* (a path or a binary file) is an accepted document within
    `DIGEST_DOCUMENT_MAX_BYTES` and return its `DocumentKind`; raise `InvalidDocumentError`
    otherwise. *name* (the upload's name, else the file's) only tells CSV from plain text."""
    name = name or str(getattr(fileobj, "name", "") or fileobj)
    with _Reader(fileobj) as handle:
        size = _size_of(fileobj, handle)
        limit = settings.DIGEST_DOCUMENT_MAX_BYTES
        if size > limit:
            raise InvalidDocumentError(
                f"the file is {filesizeformat(size)}; the largest accepted is "
                f"{filesizeformat(limit)}",
                code="document_too_large",
            )
        if not size:
            raise InvalidDocumentError("the file is empty", code="document_empty")
        head = handle.read(HEAD)
        return KINDS[_kind(handle, head, name)]


def _kind(handle, head, name):
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(handle)
    if head.startswith(OLE2):
        return _ole2_kind(handle)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\xfe\xff", b"\xff\xfe")):  # before MP3: a BOM looks like a frame sync
        raise _refuse("text in UTF-16 (save it as UTF-8 and upload it again)")
    if head.startswith(b"ID3") or _mpeg_frame(head):
        return "mp3"
    if head[4:8] == b"ftyp":
        return _mp4_kind(handle, head)
    if head.startswith(b"OggS"):
        if b"\x80theora" in head:
            raise _refuse("an OGG video")
        return "ogg"
    what = _known_refusal(head)
    if what:
        raise _refuse(what)
    if _is_utf8_text(handle):
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
        if text.startswith("<"):
            raise _refuse("an HTML page or other markup such as SVG (it starts with “<”)")
        return "csv" if PurePath(name).suffix.lower() == ".csv" else "txt"
    if b"\x00" not in head:
        raise _refuse("text that is not UTF-8 (save it as UTF-8 and upload it again)")
    raise _refuse("of a kind not recognised")


def _known_refusal(head):
    """What a refused file is, for the kinds people try most."""
    signatures = [
        (b"MZ", "a Windows program"),
        (b"\x7fELF", "a program (an ELF executable)"),
        (b"\xca\xfe\xba\xbe", "a program (a Mach-O or Java class file)"),
        (b"\xcf\xfa\xed\xfe", "a program (a Mach-O executable)"),
        (b"#!", "a script"),
        (b"\xff\xd8\xff", "an image (JPEG): upload it to the image library"),
        (b"\x89PNG", "an image (PNG): upload it to the image library"),
        (b"GIF8", "an image (GIF)"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"\x1f\x8b", "a gzip archive"),
    ]
    for signature, what in signatures:
        if head.startswith(signature):
            return what
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "an image (WebP): upload it to the image library"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "WAV audio (save it as MP3, M4A or OGG)"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "a video (AVI)"
    return ""


def _is_utf8_text(handle):
    """The whole file decodes as UTF-8 and holds no NUL byte."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(1024 * 1024):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _mpeg_frame(head):
    """An MPEG audio frame header at the start (an MP3 without ID3 tags): the sync bits,
    and a version, layer, bitrate and sample rate that exist."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def _zip_kind(handle):
    """OOXML ([Content_Types].xml names its main part) or OpenDocument (a ``mimetype``
    member); only the small members that say so are read, never the whole archive."""
    try:
        with zipfile.ZipFile(handle) as archive:
            members = {info.filename: info for info in archive.infolist()}
            mimetype = members.get("mimetype")
            if mimetype is not None and mimetype.file_size <= 200:
                declared = archive.read(mimetype).decode("ascii", errors="replace").strip()
                if declared in ODF_MIMETYPES:
                    return ODF_MIMETYPES[declared]
                raise _refuse(f"an OpenDocument file of another kind ({declared})")
            types = members.get("[Content_Types].xml")
            if types is not None and types.file_size <= SMALL_MEMBER:
                text = archive.read(types).decode("utf-8", errors="replace").lower()
                names = [n.lower() for n in members]
                if any(m in text for m in OOXML_MACROS) or any(
                    n.endswith("vbaproject.bin") for n in names
                ):
                    raise _refuse(
                        "an Office file with macros, which can carry programs (save it as "
                        ".docx, .xlsx or .pptx without macros)",
                        code="document_macros",
                    )
                for main, (kind, folder) in OOXML_MAIN.items():
                    if main in text and any(n.startswith(folder) for n in names):
                        return kind
                raise _refuse("an Office file of another kind (a template or an add-in?)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise _refuse("a damaged zip archive") from error
    raise _refuse("a zip archive that is not an Office document")


def _ole2_kind(handle):
    names = {name.lower() for name in _ole2_entries(handle)}
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise _refuse(
            "an Office file protected by a password (remove the password and upload it again)"
        )
    if names & OLE2_MACROS:
        raise _refuse(
            "an Office file with macros, which can carry programs (save it without macros)",
            code="document_macros",
        )
    for stream, kind in OLE2_STREAMS.items():
        if stream in names:
            return kind
    if not names:
        raise _refuse("a damaged Office 97–2003 file")
    raise _refuse("an OLE2 container that is not a Word, Excel or PowerPoint file (an installer?)")


def _ole2_entries(handle, max_entries=10_000):
    """The names in an OLE2 compound file's directory (MS-CFB): its header, the sectors of
    its allocation table, then the directory's chain. [] when the structure is broken."""
    handle.seek(0)
    header = handle.read(512)
    if len(header) < 512:
        return []
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return []
    sector = 1 << shift
    (first_directory,) = struct.unpack_from("<I", header, 0x30)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]
    next_difat, seen = first_difat, 0
    while next_difat < 0xFFFFFFFA and seen < difat_count and seen < 1000:
        block = _ole2_sector(handle, next_difat, sector)
        if len(block) < sector:
            return []
        values = struct.unpack(f"<{sector // 4}I", block)
        fat_sectors += [s for s in values[:-1] if s < 0xFFFFFFFA]
        next_difat, seen = values[-1], seen + 1
    fat = []
    for number in fat_sectors:
        block = _ole2_sector(handle, number, sector)
        if len(block) < sector:
            return []
        fat += struct.unpack(f"<{sector // 4}I", block)
    names, current, visited = [], first_directory, set()
    while current < 0xFFFFFFFA and current not in visited and len(names) < max_entries:
        visited.add(current)
        block = _ole2_sector(handle, current, sector)
        for offset in range(0, len(block) - 127, 128):
            length = struct.unpack_from("<H", block, offset + 64)[0]
            if 2 <= length <= 64 and block[offset + 66] in (1, 2):  # a storage or a stream
                names.append(block[offset : offset + length - 2].decode("utf-16-le", "replace"))
        current = fat[current] if current < len(fat) else 0xFFFFFFFE
    return names


def _ole2_sector(handle, number, size):
    handle.seek((number + 1) * size)
    return handle.read(size)


def _mp4_kind(handle, head):
    """An ISO media file (``ftyp``): audio when its brand says M4A, or when its tracks
    (the ``hdlr`` boxes of ``moov``) are sound and none is video."""
    if head[8:12] in MP4_AUDIO_BRANDS:
        return "m4a"
    handlers = _mp4_handlers(handle)
    if b"vide" in handlers:
        raise _refuse("a video (MP4 or QuickTime)")
    if b"soun" in handlers:
        return "m4a"
    raise _refuse("an MP4 file without a sound track")


def _mp4_handlers(handle, limit=32 * 1024 * 1024):
    """The handler types of the ``moov`` box (walked from the top-level boxes; it may come
    last, after the media data)."""
    handle.seek(0)
    position = 0
    while True:
        handle.seek(position)
        header = handle.read(16)
        if len(header) < 8:
            return set()
        size, box = struct.unpack(">I4s", header[:8])
        start = 8
        if size == 1 and len(header) == 16:
            size, start = struct.unpack(">Q", header[8:16])[0], 16
        if box == b"moov":
            if size > limit:
                return set()
            handle.seek(position + start)
            moov = handle.read(size - start if size else limit)
            found, index = set(), moov.find(b"hdlr")
            while index != -1:
                found.add(moov[index + 12 : index + 16])
                index = moov.find(b"hdlr", index + 4)
            return found
        if size < start:  # 0: the box runs to the end of the file
            return set()
        position += size
