"""What a reader types into the search box, and every spelling it must find.

Readers type names without diacritics and in the region's own transliterations: `Erdogan`
for Erdoğan, `Shusha` or `Susa` for Şuşa, `Ganja` for Gəncə, `Baku` for Bakı. Both databases
index every word twice over (`ArticleQuerySet.search` runs the query):

- *as written, diacritics folded*: PostgreSQL's `digest` text search configuration (english
  with the `unaccent` dictionary, migration 0011), SQLite's FTS5 with ``unicode61
  remove_diacritics 2`` (plus the few letters it keeps but unaccent folds: `INDEX_LETTERS`);
- *as the English-language press spells it* (`alternate_text`): Azerbaijani and Turkish
  letters transliterated (`PRESS_LETTERS`, Şuşa → shusha, Naxçıvan → nakhchivan) and the
  places with an English name of their own brought to it (`PLACES`, Bakı → baku). Only a text
  with such a word gets this second stream, so an English article is indexed once.

A query word matches either stream: it is searched as typed (the database folds it) or as any
of its other `spellings()`. The syntax is the same on both databases (`parse`): words (all
must match), ``"a phrase"``, ``-exclusion``, ``-"an excluded phrase"`` and ``OR`` between two
terms; English stop words alone match nothing.
"""

import html
import itertools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# PostgreSQL's text search configuration for the articles (migration 0011).
CONFIG = "digest"

# Letters of Azerbaijani and Turkish that English lacks, as the English-language press writes
# them: Şuşa → Shusha, Ağdam → Aghdam, Əliyev → Aliyev, Laçın → Lachin.
PRESS_LETTERS = {"ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh", "ö": "o", "ü": "u"}
# In a word spelled with ə, x or q (an Azerbaijani one, not a Turkish one), three more letters
# are Azerbaijani: Naxçıvan → Nakhchivan, Gəncə → Ganja, Qəbələ → Gabala, Xocalı → Khojali.
AZERBAIJANI_LETTERS = {"x": "kh", "q": "g", "c": "j"}
AZERBAIJANI_MARKS = "əxq"

# Places (and a name) whose English spelling is not a transliteration, or that readers also
# type without their letters: {English spelling: other spellings}.
PLACES = {
    "baku": ("baki",),
    "shusha": ("susa", "shushi"),
    "aghdam": ("agdam",),
    "ganja": ("gence", "gandja", "gyandzha"),
    "nakhchivan": ("naxcivan", "nakhichevan", "nakhchevan"),
    "karabakh": ("qarabag", "qarabagh", "garabagh", "karabagh"),
    "khankendi": ("xankendi", "khankandi"),
    "khojaly": ("khojali", "xocali"),
    "sumgait": ("sumqayit", "sumgayit"),
    "zangezur": ("zangazur", "zengezur"),
    "erdogan": ("erdoghan",),
}
CANONICAL = {other: name for name, others in PLACES.items() for other in others}

# Letters PostgreSQL's unaccent folds but SQLite's unicode61 keeps (it only drops marks): the
# SQLite index folds them itself, so both databases index the same words.
INDEX_LETTERS = {
    "ı": "i", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "þ": "th", "Þ": "TH",
    "ð": "d", "Ð": "D", "ŧ": "t", "Ŧ": "T",
}  # fmt: skip
_INDEX_TABLE = str.maketrans(INDEX_LETTERS)
_PRESS_TABLE = str.maketrans(PRESS_LETTERS)
_AZERBAIJANI_TABLE = str.maketrans(AZERBAIJANI_LETTERS)

# PostgreSQL's english stop words (tsearch_data/english.stop): alone they match nothing.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into
    through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now""".split()
)

WORD_RE = re.compile(r"[^\W_]+")
# A text needs the second stream only with a letter beyond ASCII or a place's other spelling.
_SPELLED_RE = re.compile(r"[^\x00-\x7f]|\b(?:" + "|".join(sorted(CANONICAL)) + r")\b", re.I)

# Search snippets mark their matches with these (escaped text in between: `snippet_html`)…
MARK_START, MARK_END = "\x02", "\x03"
# …and PostgreSQL's stand for a text's own < and >, which its snippets would take for markup.
LESS_THAN, GREATER_THAN = "\x04", "\x05"
# A phrase with alternative spellings becomes at most this many phrases (SQLite).
MAX_PHRASES = 32


def words(text: str) -> list[str]:
    """The words of *text*, as both databases' tokenizers see them (letters and digits)."""
    return WORD_RE.findall(unicodedata.normalize("NFC", text))


def lower(word: str) -> str:
    # "İ".lower() is "i" plus a combining dot: Turkish capital İ is plain i.
    return word.replace("İ", "I").lower()


def fold(word: str) -> str:
    """*word* as the first stream indexes it: lower case, diacritics dropped (PostgreSQL's
    unaccent; ə, which it keeps, stays)."""
    text = unicodedata.normalize("NFKD", lower(word).translate(_INDEX_TABLE))
    return "".join(c for c in text if not unicodedata.combining(c))


def press_spelling(word: str) -> str | None:
    """*word* as the English-language press spells it (Naxçıvan → nakhchivan), or None when it
    has none of the letters that need it."""
    word = lower(word)
    if not any(letter in word for letter in PRESS_LETTERS):
        return None
    if any(letter in word for letter in AZERBAIJANI_MARKS):
        word = word.translate(_AZERBAIJANI_TABLE)
    return fold(word.translate(_PRESS_TABLE))


def alternate(word: str) -> str:
    """*word* in the second stream: its press spelling or folded form, a place by its English
    name (Bakı → baku, Susa → shusha)."""
    spelled = press_spelling(word) or fold(word)
    return CANONICAL.get(spelled, spelled)


def alternate_text(text: str) -> str:
    """The second stream of a plain *text*: every word as `alternate` spells it, or "" when
    that changes no word (most English texts)."""
    if not _SPELLED_RE.search(text):
        return ""
    tokens = words(text)
    alternates = [alternate(token) for token in tokens]
    if all(alt == fold(token) for alt, token in zip(alternates, tokens, strict=True)):
        return ""
    return " ".join(alternates)


def spellings(word: str) -> list[str]:
    """The other spellings a query *word* should find (Şuşa → shusha, susa, shushi)."""
    plain = fold(word)
    press = press_spelling(word)
    found = [press] if press else []
    for form in (press, plain):
        name = CANONICAL.get(form) or (form if form in PLACES else None)
        if name:
            found += [name, *PLACES[name]]
    return [form for form in dict.fromkeys(found) if form and form != plain]


def index_text(text: str) -> str:
    """SQLite: *text* with the letters unicode61 would keep folded (`INDEX_LETTERS`), word
    for word: its tokens are the text's own, so snippets highlight the original."""
    return text.translate(_INDEX_TABLE)


def plain_text(body_html: str) -> str:
    """The words of an article body: tags dropped, entities decoded."""
    return " ".join(html.unescape(strip_tags(body_html or "")).split())


# --- The query ----------------------------------------------------------------------------------

Term = tuple[str, ...]  # one word, or the words of a phrase


@dataclass(frozen=True)
class Query:
    """A parsed query: every group must match (one of its terms, `OR`), no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]


QUERY_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(text: str) -> Query | None:
    """The reader's *text* as a `Query`, or None when nothing in it can match (only stop
    words, only exclusions): a search index cannot answer "every article without X"."""
    groups, excluded, pending_or = [], [], False
    for minus, phrase, bare in QUERY_RE.findall(text):
        if bare and bare.lower() == "or":
            pending_or = bool(groups)
            continue
        negative = bool(minus) or bare.startswith("-")
        term = tuple(lower(w) for w in words(phrase if not bare else bare))
        if not term or all(word in STOP_WORDS for word in term):
            continue
        if negative:
            excluded.append(term)
        elif pending_or:
            groups[-1] = (*groups[-1], term)
        else:
            groups.append((term,))
        pending_or = False
    groups = list(dict.fromkeys(tuple(dict.fromkeys(g)) for g in groups))
    if not groups:
        return None
    return Query(tuple(groups), tuple(dict.fromkeys(excluded)))


def tsquery(query: Query) -> str:
    """PostgreSQL: *query* as ``to_tsquery('digest', …)`` text (the database folds and stems
    each word; phrases with ``<->``)."""

    def word(w):
        return "(" + " | ".join(f"'{form}'" for form in (w, *spellings(w))) + ")"

    def term(t):
        return "(" + " <-> ".join(word(w) for w in t) + ")"

    required = " & ".join("(" + " | ".join(term(t) for t in group) + ")" for group in query.groups)
    return required + "".join(f" & !{term(t)}" for t in query.excluded)


def fts5_query(query: Query) -> str:
    """SQLite: *query* as an FTS5 ``MATCH`` expression (the tokenizer folds and stems; a phrase
    with other spellings becomes several phrases)."""

    def term(t):
        options = [(index_text(w), *spellings(w)) for w in t]
        phrases = itertools.islice(itertools.product(*options), MAX_PHRASES)
        return "(" + " OR ".join('"' + " ".join(p) + '"' for p in phrases) + ")"

    required = " AND ".join(
        "(" + " OR ".join(term(t) for t in group) + ")" for group in query.groups
    )
    return required + "".join(f" NOT {term(t)}" for t in query.excluded)


def snippet_html(snippet: str) -> SafeString:
    """A database's snippet (plain text, matches between `MARK_START` and `MARK_END`) as HTML
    with ``<mark>`` elements."""
    text = (snippet or "").replace(LESS_THAN, "<").replace(GREATER_THAN, ">")
    escaped = escape(text)
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308 # escaped above  # nosec B308, B703


# --- SQLite's full-text index (migration 0011) ----------------------------------------------------

SQLITE_INDEX = "articles_search"
SQLITE_CONTENT = "articles_search_content"
# bm25 weights of the index's columns: title, standfirst, body and their second streams. The
# body counts for nothing, as on PostgreSQL (ranked by title and standfirst): matches in the
# body alone come newest first.
SQLITE_WEIGHTS = "10.0, 4.0, 0.0, 10.0, 4.0, 0.0"
# Snippets: from the body (column 2), about 30 words.
SQLITE_SNIPPET = f"snippet({SQLITE_INDEX}, 2, char(2), char(3), '…', 30)"
SQLITE_MATCHES = f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s"  # noqa: S608 # nosec B608


def sqlite_row(pk, title, standfirst, body_html):
    """An article's row of the index's content table: its plain text and second streams."""
    body = plain_text(body_html)
    return (pk, title, standfirst, body, *(alternate_text(t) for t in (title, standfirst, body)))


# Table names are this module's constants; the values are parameters.
SQLITE_UPSERT = (
    f"INSERT INTO {SQLITE_CONTENT}"  # noqa: S608 # nosec B608
    " (id, title, standfirst, body, title_alt, standfirst_alt, body_alt)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
    " title = excluded.title, standfirst = excluded.standfirst, body = excluded.body,"
    " title_alt = excluded.title_alt, standfirst_alt = excluded.standfirst_alt,"
    " body_alt = excluded.body_alt"
)


def sqlite_index(connection, rows):
    """Write (id, title, standfirst, body HTML) *rows* into SQLite's search index (its
    triggers update the FTS5 index from the content table)."""
    with connection.cursor() as cursor:
        cursor.executemany(SQLITE_UPSERT, [sqlite_row(*row) for row in rows])
