"""Text helpers shared by models, services and importers: slugs, words, headlines."""

import html
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
# A tag, its quoted attribute values included (a ">" inside one does not end it), or a comment.
TAG_RE = re.compile(r"<!--.*?-->|<[A-Za-z/!?](?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)


def count_words(html_or_text):
    """Words a reader reads: tags are not words, and a tag between two words parts them
    ("<p>one</p><p>two</p>" is two). A regular expression rather than an HTML parser: bodies
    are sanitised HTML, and the parser was a twentieth of a WordPress import's time."""
    return len(WORD_RE.findall(html.unescape(TAG_RE.sub(" ", html_or_text or ""))))


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


# --- Search folding for names and the admin's search (issue 19) -----------------------------
#
# One spelling for every way a name is written: diacritics dropped (Erdoğan → erdogan), the
# region's letters as the English-language press writes them (Əliyev → aliyev, Laçın →
# lacin), and the press's digraphs folded to one letter, so the diacritic-free and the
# transliterated spellings meet (Şuşa, Susa and Shusha → susa; Erdoghan → erdogan).
# `fold_for_search` is the definition; PostgreSQL runs the same table as the SQL function
# `articles_fold` (migration 0011_desk_newsroom, built from `FOLD_TABLE` and `FOLD_DIGRAPHS`),
# SQLite runs this function under that name (`articles.querysets`). Only ASCII letters and the
# letters of the table are lower-cased, so both databases fold alike whatever their locale.

_FOLD_SPECIAL = {
    "ə": "a", "Ə": "a", "ı": "i", "İ": "i", "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l",
    "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t",
    "ŀ": "l", "Ŀ": "l", "ĳ": "ij", "Ĳ": "ij", "ŉ": "n", "ſ": "s",
}  # fmt: skip
# The press's digraphs, applied after the letters: sh → s, ch → c, gh → g.
FOLD_DIGRAPHS = (("sh", "s"), ("ch", "c"), ("gh", "g"))


def _fold_table():
    table = {chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        if char in _FOLD_SPECIAL:
            table[char] = _FOLD_SPECIAL[char]
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base.isascii() and base.isalpha():
            table[char] = base.lower()
    table.update(_FOLD_SPECIAL)
    return table


# {letter: its folded spelling}: ASCII capitals and the Latin letters U+00C0–U+024F.
FOLD_TABLE = _fold_table()
_FOLD_TRANSLATION = str.maketrans(FOLD_TABLE)


def fold_for_search(value):
    """*value* as the admin's search and name matching compare it: "Erdoğan" and "Erdogan"
    → "erdogan"; "Şuşa", "Susa" and "Shusha" → "susa"; "Əliyev" → "aliyev"."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).translate(_FOLD_TRANSLATION)
    for digraph, letter in FOLD_DIGRAPHS:
        text = text.replace(digraph, letter)
    return text


def fold_sql_expression(argument):
    """The SQL of `fold_for_search` applied to the SQL *argument* (PostgreSQL's translate()
    and replace(): the same table, so both databases fold alike)."""
    single = {k: v for k, v in FOLD_TABLE.items() if len(v) == 1}
    multi = {k: v for k, v in FOLD_TABLE.items() if len(v) > 1}

    def literal(text):
        return "'" + text.replace("'", "''") + "'"

    expression = (
        f"translate({argument}, {literal(''.join(single))}, {literal(''.join(single.values()))})"
    )
    for char, spelling in multi.items():
        expression = f"replace({expression}, {literal(char)}, {literal(spelling)})"
    for digraph, letter in FOLD_DIGRAPHS:
        expression = f"replace({expression}, {literal(digraph)}, {literal(letter)})"
    return expression


def plain_name(value):
    """*value* as plain text for a name (a tag, an author): markup removed, entities decoded,
    whitespace collapsed (issue 16: a name goes verbatim into feeds, JSON-LD, titles)."""
    text = html.unescape(strip_tags(str(value)))
    text = text.replace("<", "").replace(">", "")  # what strip_tags left of a broken tag
    return " ".join(text.split())


def shorten(text, limit):
    """*text* in at most *limit* characters, cut between words with "…" when too long."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[: limit - 1]
    return cut.rstrip(" ,;:–—") + "…"
