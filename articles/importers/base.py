"""What every parser returns, and the text decoding they share."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time


class ParseError(ValueError):
    """A file that cannot become an article; the message says why, for the editor."""


@dataclass
class ParsedArticle:
    """One piece as a file describes it; empty values mean "the file does not say"."""

    title: str = ""
    # The title was made from the text (no title of its own): an editor should look at it.
    title_derived: bool = False
    body_html: str = ""
    slug: str = ""
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    category: str = ""
    tags: list[str] = field(default_factory=list)
    published: date | datetime | None = None
    status: str = ""
    image: str = ""
    image_caption: str = ""
    image_credit: str = ""
    language: str = ""
    source: str = ""
    source_url: str = ""  # the original piece's address
    source_home: str = ""  # the outlet's home page
    original_title: str = ""
    original_author: str = ""
    source_language: str = ""
    original_published: date | None = None
    original_published_time: time | None = None  # the original's time, when a source says
    translator: str = ""
    reading_minutes: int | None = None  # as the page claimed; ours is computed from the words
    paragraphs: list[str] = field(default_factory=list)  # plain-text paragraphs, when known
    origin: str = ""  # file name (and line) for messages
    # Set by importers that know more than a file of one piece (issue 17, WordPress):
    seo_title: str = ""
    seo_description: str = ""
    canonical_url: str = ""
    image_alt: str = ""
    is_featured: bool | None = None
    modified: datetime | None = None  # when the other system last changed it
    import_key: str = ""  # the other system's identity of the piece, when it has one
    revision_comment: str = ""  # the admin history's note; "Imported from <origin>" if empty


def import_key_for(parsed: ParsedArticle, slug: str) -> str:
    """The importer's identity of a piece: its source URL when it has one, otherwise its slug
    and original date (or, with no date, its text); an importer's own key when it gave one."""
    if parsed.import_key:
        return parsed.import_key
    if parsed.source_url:
        basis = "url:" + parsed.source_url.strip().rstrip("/").lower()
    else:
        when = parsed.original_published or parsed.published
        basis = f"slug:{slug}|{when.isoformat() if when else ''}"
        if not when:
            basis += "|" + hashlib.sha256(parsed.body_html.encode()).hexdigest()
    return hashlib.sha256(basis.encode()).hexdigest()[:40]


CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?[Mm]\.?)?$")


def clock_time(text: str) -> time:
    """A time of day as a source writes it: "09:30", "9:30:15", "9:30 PM"."""
    match = CLOCK_RE.match(text.strip())
    if not match:
        raise ParseError(f"{text!r} is not a time of day")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
    try:
        return time(hour, minute, second)
    except ValueError as error:
        raise ParseError(f"{text!r} is not a time of day") from error


def decode_text(data: bytes, *, name="") -> tuple[str, list[str]]:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Returns the text with CRLF/CR turned into LF, and warnings for the editor.
    """
    warnings = []
    if not data.strip():
        raise ParseError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:4096]:
        raise ParseError("the file is binary, not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise ParseError("the text is in no encoding we read (UTF-8, UTF-16)") from error
            warnings.append(f"{name or 'file'}: not UTF-8; read as Windows-1252")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def paragraphs_html(paragraphs):
    from django.utils.html import escape

    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
