"""The text of a saved article page (the seed 003 style).

A page saved as text carries the site's chrome around the article: the cookie notice, menus,
the font resizer, search, "You Might Also Like" and "New articles" lists, useful links, the
footer and the sign-in box. `parse_page` recognises and drops the chrome, returns the article
(section, title, standfirst, byline, date, reading time, image caption, body, writer and
"Translated from X") and, separately, what the chrome says about the site (menu tree, about
text, legal pages, contact e-mail, name and tagline), which the fixture builder uses.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from .base import ParsedArticle, ParseError, clock_time, paragraphs_html

BULLET_RE = re.compile(r"^(?P<indent>\s*)[•\-*]\s+(?P<label>.+?)\s*$")
BREADCRUMB_RE = re.compile(r"^(?P<site>[^>]+?)\s+>\s+(?P<section>[^>]+?)\s+>\s+(?P<title>.+)$")
BYLINE_RE = re.compile(
    r"^By\s+(?P<authors>.+?)\s+Published\s+(?P<date>[A-Z][a-z]+\s+\d{1,2},\s+\d{4})"
    # A time after the date ("…, 2023 09:30", "… at 9:30 AM") is kept (issue 19).
    r"(?:,?\s+(?:at\s+)?(?P<time>\d{1,2}:\d{2}(?:\s*[AP]\.?M\.?)?))?"
    r"(?:\s+(?P<minutes>\d+)\s+Min\s+Read)?\s*$",
    re.IGNORECASE,
)
TRANSLATED_RE = re.compile(
    r"^(?:Translated|Reprinted|First published)\s+(?:from|by)\s+(?P<source>.+?)\.?$", re.I
)
COPYRIGHT_RE = re.compile(r"^©\s*(?P<year>\d{4})\s+(?P<name>.+?)\s+[–—-]\s+(?P<tagline>.+)$")
EMAIL_RE = re.compile(r"^E-?mail:\s*(?P<email>\S+@\S+)$", re.IGNORECASE)
END_OF_ARTICLE = {"you might also like", "new articles", "useful links", "related articles"}
# A translation's source language, from the outlet's country domain (Globalinfo.az → az).
LANGUAGE_BY_TLD = {
    "az": "az", "tr": "tr", "ru": "ru", "ge": "ka", "am": "hy", "ir": "fa", "kz": "kk",
    "uz": "uz", "ua": "uk", "fr": "fr", "de": "de", "es": "es", "cn": "zh", "hu": "hu",
}  # fmt: skip
DOMAIN_RE = re.compile(r"^[\w-]+(\.[\w-]+)*\.(?P<tld>[a-z]{2,})$", re.IGNORECASE)


@dataclass
class MenuEntry:
    name: str
    children: list[str] = field(default_factory=list)


@dataclass
class SiteInfo:
    name: str = ""
    tagline: str = ""
    copyright_year: int | None = None
    about: str = ""
    contact_email: str = ""
    menu: list[MenuEntry] = field(default_factory=list)
    secondary_menu: list[str] = field(default_factory=list)
    legal_pages: list[str] = field(default_factory=list)


@dataclass
class ParsedPage:
    article: ParsedArticle
    site: SiteInfo


def _blocks(lines):
    """Runs of consecutive bulleted lines, as (start index, [(indent, label)])."""
    blocks, current, start = [], [], None
    for index, line in enumerate(lines):
        match = BULLET_RE.match(line)
        if match:
            if not current:
                start = index
            current.append((len(match["indent"].expandtabs(4)), match["label"]))
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _menu_tree(items):
    base = min(indent for indent, _ in items)
    tree = []
    for indent, label in items:
        if indent > base and tree:
            tree[-1].children.append(label)
        else:
            tree.append(MenuEntry(label))
    return tree


def has_page_byline(text):
    """Whether *text* reads like a saved article page: it has a "By … Published …" line."""
    return any(BYLINE_RE.match(line.strip()) for line in text.splitlines())


def source_defaults(name):
    """Home page and language of an outlet whose name is its domain (Globalinfo.az)."""
    match = DOMAIN_RE.match(name.strip())
    if not match:
        return "", ""
    return f"https://{name.strip().lower()}/", LANGUAGE_BY_TLD.get(match["tld"].lower(), "")


def parse_page(text, *, origin=""):
    lines = [line.rstrip() for line in text.replace("\ufeff", "").split("\n")]
    site = SiteInfo()

    blocks = _blocks(lines)
    if blocks:
        site.menu = [entry for entry in _menu_tree(blocks[0][1]) if entry.name.lower() != "home"]
    if len(blocks) > 1:
        site.secondary_menu = [label for _, label in blocks[1][1]]

    for line in lines:
        if match := COPYRIGHT_RE.match(line.strip()):
            site.name, site.tagline = match["name"].strip(), match["tagline"].strip()
            site.copyright_year = int(match["year"])
        elif match := EMAIL_RE.match(line.strip()):
            site.contact_email = match["email"]

    # --- the article ---------------------------------------------------------------------
    crumb_at = next((i for i, ln in enumerate(lines) if BREADCRUMB_RE.match(ln.strip())), None)
    byline_at = next((i for i, ln in enumerate(lines) if BYLINE_RE.match(ln.strip())), None)
    if byline_at is None:
        raise ParseError("no byline line (“By … Published Month D, YYYY”) found")
    section = title = ""
    if crumb_at is not None and crumb_at < byline_at:
        crumb = BREADCRUMB_RE.match(lines[crumb_at].strip())
        section, title = crumb["section"].strip(), crumb["title"].strip()
        head = [ln.strip() for ln in lines[crumb_at + 1 : byline_at]]
    else:
        head = [ln.strip() for ln in lines[:byline_at]]
    head_paragraphs = [p for p in _paragraphs(head)]
    if section and head_paragraphs and head_paragraphs[0] == section:
        head_paragraphs.pop(0)
    if title and head_paragraphs and head_paragraphs[0] == title:
        head_paragraphs.pop(0)
    elif not title and head_paragraphs:
        title = head_paragraphs.pop(0)
    byline = BYLINE_RE.match(lines[byline_at].strip())
    authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", byline["authors"]) if a.strip()]
    # The last head paragraph may be the author's avatar label ("AzeMedia"); it is not text.
    if head_paragraphs and head_paragraphs[-1] in authors:
        head_paragraphs.pop()
    standfirst = " ".join(head_paragraphs)
    published = datetime.strptime(" ".join(byline["date"].split()), "%B %d, %Y").date()
    if byline["time"]:
        published = datetime.combine(published, clock_time(byline["time"]))

    # The image caption sits in the byline's own block (no blank line between them).
    cursor, caption = byline_at + 1, ""
    if cursor < len(lines) and lines[cursor].strip():
        caption = lines[cursor].strip()
        cursor += 1

    body_lines, source, writer = [], "", ""
    for line in lines[cursor:]:
        stripped = line.strip()
        if stripped.lower() in END_OF_ARTICLE:
            break
        if match := TRANSLATED_RE.match(stripped):
            source = match["source"].strip()
            continue
        body_lines.append(stripped)
    paragraphs = _paragraphs(body_lines)
    # The writer's name stands alone after the text: a short line with no sentence in it.
    if paragraphs and _looks_like_name(paragraphs[-1]):
        writer = paragraphs.pop()
    if not paragraphs:
        raise ParseError("the page has no article text")
    if not title:
        raise ParseError("the page has no title")

    source_home, source_language = source_defaults(source) if source else ("", "")
    article = ParsedArticle(
        title=title,
        standfirst=standfirst,
        body_html=paragraphs_html(paragraphs),
        paragraphs=paragraphs,
        authors=authors,
        category=section,
        published=published,
        image_caption=caption,
        reading_minutes=int(byline["minutes"]) if byline["minutes"] else None,
        source=source,
        source_home=source_home,
        source_language=source_language,
        original_author=writer,
        origin=origin,
    )

    # --- the footer ----------------------------------------------------------------------
    footer_from = next(
        (i for i, ln in enumerate(lines) if ln.strip().lower() == "useful links"), None
    )
    if footer_from is not None:
        footer = lines[footer_from + 1 :]
        # The about blurb is the footer's one real sentence; image labels are not.
        site.about = next(
            (p for p in _paragraphs(footer) if len(p.split()) >= 8 and p[-1] in ".!?…"), ""
        )
        footer_blocks = _blocks(footer)
        if footer_blocks:
            site.legal_pages = [label for _, label in footer_blocks[0][1]]
    return ParsedPage(article=article, site=site)


def _paragraphs(lines):
    paragraphs, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _looks_like_name(text):
    words = text.split()
    return 1 < len(words) <= 4 and text[-1].isalpha() and all(w[0].isupper() for w in words)
