"""Plain text in the seed 000 style: an optional ``date YYYY-MM-DD`` header (possibly on the
same line as the first paragraph), optional ``title:`` header, paragraphs separated by blank
lines. With no title, the headline is the first sentence, cut honestly."""

import re
from datetime import date, datetime

from ..text import headline_from_text
from .base import ParsedArticle, ParseError, clock_time, paragraphs_html

HEADER_RE = re.compile(r"^\s*(date|title)\s*[: ]\s*", re.IGNORECASE)
# The date, and a time when the source gives one ("date 2024-02-16 09:30", "…T09:30"): kept.
DATE_RE = re.compile(
    r"^\s*date\s*:?\s+(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?\b\s*",
    re.IGNORECASE,
)
TITLE_RE = re.compile(r"^\s*title\s*:\s*(.+)$", re.IGNORECASE)


def parse_text(text, *, origin=""):
    published = None
    title = ""
    lines = text.strip("\ufeff").split("\n")
    # Headers come first; the date header may share its line with the first paragraph.
    while lines:
        line = lines[0]
        if match := DATE_RE.match(line):
            try:
                published = date.fromisoformat(match.group(1))
            except ValueError as error:
                raise ParseError(f"the date header {match.group(1)!r} is not a date") from error
            if match.group(2):
                published = datetime.combine(published, clock_time(match.group(2)))
            rest = line[match.end() :]
            if rest.strip():
                lines[0] = rest
                break
            lines.pop(0)
        elif match := TITLE_RE.match(line):
            title = match.group(1).strip()
            lines.pop(0)
        elif not line.strip():
            lines.pop(0)
        else:
            break
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", "\n".join(lines))]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise ParseError("the file has no text")
    return ParsedArticle(
        title=title or headline_from_text(paragraphs[0]),
        title_derived=not title,
        body_html=paragraphs_html(paragraphs),
        paragraphs=paragraphs,
        published=published,
        origin=origin,
    )
