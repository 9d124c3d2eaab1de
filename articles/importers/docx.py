"""A Word document (``.docx``), converted with mammoth: headings, paragraphs, bold, italic,
links, lists and quotes are kept. The title is the first heading, else the document's
Title property; the first heading is then not repeated in the body."""

import io
import re
import zipfile
from xml.etree import ElementTree  # noqa: S405  # nosec B405: parses only a bounded core.xml

import mammoth

from .base import ParsedArticle, ParseError

# Word's built-in quote styles become <blockquote>; "Title" is a heading too.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p.standfirst:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
"""
HEADING_RE = re.compile(r"^\s*<h([12])>(?P<title>.*?)</h\1>", re.S)
TAG_RE = re.compile(r"<[^>]+>")
CORE_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def parse_docx(data: bytes, *, origin=""):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if "word/document.xml" not in archive.namelist():
            raise ParseError("not a Word document (no word/document.xml inside)")
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ParseError(f"not a readable Word document: {error}") from error
    html = result.value.strip()
    title = ""
    if match := HEADING_RE.match(html):
        title = _text(match["title"])
        html = html[match.end() :].strip()
    core_title, core_author = _core_properties(archive)
    title = title or core_title
    standfirst = ""
    if match := re.match(r'^\s*<p class="standfirst">(?P<text>.*?)</p>', html, re.S):
        standfirst = _text(match["text"])
        html = html[match.end() :].strip()
    if not TAG_RE.sub("", html).strip():
        raise ParseError("the document has no text")
    return ParsedArticle(title=title, standfirst=standfirst, body_html=html, origin=origin)


def _core_properties(archive):
    try:
        raw = archive.read("docProps/core.xml")
    except KeyError:
        return "", ""
    if len(raw) > 1_000_000:
        return "", ""
    try:
        root = ElementTree.fromstring(raw)  # noqa: S314  # nosec B314: small, no DTDs in OOXML
    except ElementTree.ParseError:
        return "", ""
    title = root.findtext("dc:title", default="", namespaces=CORE_NS).strip()
    author = root.findtext("dc:creator", default="", namespaces=CORE_NS).strip()
    return title, author


def _text(fragment):
    from html import unescape

    return " ".join(unescape(TAG_RE.sub("", fragment)).split())
