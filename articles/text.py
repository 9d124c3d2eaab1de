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


def headline_from_text(text, max_length=150):
    """An honest headline: the first sentence, cut at a clause boundary when too long.

    Nothing is invented: the words are the article's own, in their order.
    """
    sentence = first_sentence(text).rstrip(" .")
    if len(sentence) <= max_length:
        return sentence
    window = sentence[: max_length + 1]
    for mark in (";", ",", " – ", " — ", ":"):
        position = window.rfind(mark)
        if position > max_length // 3:
            return window[:position].rstrip(" ,;:–—")
    return window.rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def plain_name(value):
    """*value* as plain text for a name (a tag, an author): markup removed, entities decoded,
    whitespace collapsed (issue 16: a name goes verbatim into feeds, JSON-LD, titles)."""
    import html

    text = html.unescape(strip_tags(str(value)))
    text = text.replace("<", "").replace(">", "")  # what strip_tags left of a broken tag
    return " ".join(text.split())
