"""Text helpers shared by models, services and importers: slugs, words, headlines."""

import re
import unicodedata

from django.utils.html import strip_tags
from django.utils.text import slugify as django_slugify

# How English-language press spells Azerbaijani and Turkish letters (and a few neighbours
# that NFKD decomposition would otherwise drop or mangle).
TRANSLITERATION = str.maketrans(
    {
        "ə": "e",
        "Ə": "E",
        "ı": "i",
        "İ": "I",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "ğ": "g",
        "Ğ": "G",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "’": "",
        "'": "",
    }
)


def transliterate(value):
    """Latin-only spelling of *value*, keeping every letter readable (Şuşa → Shusha)."""
    value = str(value).translate(TRANSLITERATION)
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")


def slugify(value, max_length=None):
    """A URL slug that transliterates instead of dropping letters: "Erdoğan" → "erdogan"."""
    # "Globalinfo.az" → "globalinfo-az": a dot between letters separates words.
    value = re.sub(r"(?<=\w)\.(?=\w)", "-", str(value))
    slug = django_slugify(transliterate(value))
    if max_length and len(slug) > max_length:
        cut = slug[:max_length]
        # Cut on a word boundary when there is one.
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")


def count_words(html_or_text):
    """Words a reader reads: tags are not words."""
    return len(WORD_RE.findall(strip_tags(html_or_text or "")))


SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-ÖØ-ÞƏİŞÇĞÖÜ0-9])")


def first_sentence(text):
    text = " ".join((text or "").split())
    parts = SENTENCE_END_RE.split(text, maxsplit=1)
    return parts[0] if parts else ""


# Where a sentence may end as a headline: before a clause its first words do not need.
CLAUSE_MARKS = (";", ",", " – ", " — ", ":")
CLAUSE_WORDS = (
    "after", "before", "while", "when", "as", "since", "because", "although", "though",
    "amid", "despite", "following", "according", "which", "who", "where", "but", "and",
)  # fmt: skip
CLAUSE_WORD_RE = re.compile(r"\s+(?:" + "|".join(CLAUSE_WORDS) + r")\b", re.IGNORECASE)

# A headline a reader takes in at a glance (about two lines of a card).
HEADLINE_LENGTH = 90


def headline_from_text(text, max_length=HEADLINE_LENGTH):
    """An honest headline of at most *max_length* characters: the first sentence, cut
    before a clause (at a comma, a dash, or a word such as "after" or "which") when it is
    longer, else between words with "…".

    Nothing is invented: the words are the article's own, in their order, and the body
    keeps the whole sentence. The importer flags such a headline for an editor
    (`Article.headline_needs_editor`).
    """
    sentence = first_sentence(text).rstrip(" .")
    if len(sentence) <= max_length:
        return sentence
    window = sentence[: max_length + 1]
    for mark in CLAUSE_MARKS:
        position = window.rfind(mark)
        if position > max_length // 3:
            return window[:position].rstrip(" ,;:–—")
    clauses = [m.start() for m in CLAUSE_WORD_RE.finditer(window) if m.start() > max_length // 2]
    if clauses:
        return window[: clauses[-1]].rstrip(" ,;:–—")
    return window.rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def shorten(text, limit):
    """*text* in at most *limit* characters, cut between words with "…" when too long."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[: limit - 1]
    return cut.rstrip(" ,;:–—") + "…"
