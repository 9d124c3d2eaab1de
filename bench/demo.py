"""A synthetic archive for load tests and demos: `seed_demo(articles=N)`.

Every article is generated here, from a small built-in vocabulary and invented names, so no
text of the seed documents is repeated. Bodies run 300–2,000 words, each article has 1–8
tags and one or two authors, a third carry a translation record, and publication times are
spread over ten years and every category. Everything made is marked (`Article.is_demo`, and a
``demo-`` slug prefix on the authors, tags and sources it creates), so `clear_demo()` removes
exactly that.

This is a bulk loader: it writes rows directly rather than one article at a time through
`articles.services`, because a million service calls would take hours. It writes only text it
generated itself (plain words in ``<p>`` elements, nothing to sanitise) and fills the derived
fields (`word_count`, `reading_minutes`) the way `Article.save()` would. On PostgreSQL it
streams rows with ``COPY`` from worker processes, each over its own connection. The search
vectors are computed here exactly as the trigger (migrations 0002, 0007, 0011) would (a test
compares them) and the trigger is skipped; without the rights for that, the trigger fills them
as rows arrive. The GIN search index stays: new rows wait in its pending list and are merged in
large batches by the writers themselves.
"""

import io
import json
import math
import multiprocessing
import multiprocessing.util
import os
import random
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from articles import search
from articles.models import (
    Article,
    Author,
    Byline,
    Category,
    Source,
    Tag,
    TaggedArticle,
    Translation,
)
from articles.querysets import raw_delete
from pagecache.state import content_changed

DEMO_PREFIX = "demo-"
YEARS = 10
# The GIN search index takes new rows in its pending list, this big (kB), and merges them in
# with this much memory (kB): few large merges, shared by the writers, instead of a rebuild
# at the end that one core would do alone (PostgreSQL 15 builds GIN indexes serially).
GIN_PENDING_LIST_KB = 256 * 1024
GIN_MERGE_MEMORY_KB = 512 * 1024
# From this many, worker processes generate the rows (below, forking costs more than it saves).
FORK_FROM = 20_000

# Common words of English news prose. Invented names (places, people, outlets) are added to
# these by `_Vocabulary`, so the word frequencies have a long tail like real text.
WORDS = """
the of and to in a is that for on with as was by at from it he his be are has have had
said says will would could should may might not but or an this their its they which who
after about over new more than also been were one two three first last year years week
government minister president ministry parliament state country region city capital border
economy energy gas oil pipeline export import trade market price prices growth inflation
bank budget tax investment investors company companies project projects contract deal talks
agreement treaty peace security defence army military forces troops ceasefire conflict war
election elections vote voters party opposition campaign reform law court judge ruling
climate emissions water drought harvest farmers forest river sea coast port railway road
corridor transport logistics freight cargo shipping route airport flights tourism culture
festival museum film music writer poet history heritage archive school university students
science research scientists study data report survey official officials spokesman statement
interview press media newspaper journalists editor agency news local foreign international
summit conference meeting delegation visit envoy ambassador embassy talks sanctions aid
women rights gender equality community diaspora families children health hospital doctors
youth workers union strike wages jobs unemployment industry factory production output
power electricity grid solar wind renewable nuclear hydro plant capacity supply demand
weeks months days today yesterday tomorrow morning evening night during before while since
major key main largest biggest national regional global european asian caspian caucasus
northern southern eastern western central strategic economic political social cultural
historic important difficult possible necessary significant growing rising falling strong
""".split()

FUNCTION_WORDS = 40  # the first words of WORDS: mostly stop words of the 'english' config

SYLLABLES = (
    "ba ka la ma na ra sa ta za ga da va ya ha be ke le me ne re se te ze ge de ve ye "
    "bi ki li mi ni ri si ti zi gi di vi yi bo ko lo mo no ro so to zo go do vo yo "
    "bu ku lu mu nu ru su tu zu gu du vu yu an ar el in or ul ev az ov ish an"
).split()
NAME_ENDINGS = ["", "", "", "an", "ov", "li", "stan", "abad", "grad", "ia", "ev", "ani"]
LANGUAGES = ["az", "tr", "ru", "fa", "ar", "ka", "hy", "uk", "fr", "de", "es", "kk", "uz"]


class _Vocabulary:
    """Words with Zipf-like weights, sentences and a pool of paragraphs built from them."""

    def __init__(self, rng, *, invented=6000, paragraphs=20_000):
        self.rng = rng
        # No invented name may be another spelling of a real place (Baki, Susa): the search
        # would index it a second time (articles.search.PLACES), which the vectors computed
        # here leave out.
        self.names = sorted({self.name() for _ in range(invented)} - _SPELLED_NAMES)
        # Function words first (the most frequent, as in real prose), the rest shuffled.
        rest = WORDS[FUNCTION_WORDS:] + [name.lower() for name in self.names]
        rng.shuffle(rest)
        words = WORDS[:FUNCTION_WORDS] + rest
        self.words = words
        # Zipf: the k-th word is k times rarer than the first.
        self.cum_weights = list(_accumulate(1 / (k + 1) for k in range(len(words))))
        self.paragraphs = [self._paragraph() for _ in range(paragraphs)]

    def name(self):
        syllables = self.rng.randint(2, 4)
        word = "".join(self.rng.choice(SYLLABLES) for _ in range(syllables))
        return (word + self.rng.choice(NAME_ENDINGS)).capitalize()

    def sentence_words(self, low=8, high=22):
        words = self.rng.choices(
            self.words, cum_weights=self.cum_weights, k=self.rng.randint(low, high)
        )
        if self.rng.random() < 0.6:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(self.names))
        return words

    @staticmethod
    def sentence_text(words):
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def _paragraph(self):
        words, sentences = [], []
        for _ in range(self.rng.randint(2, 6)):
            sentence = self.sentence_words()
            sentences.append(self.sentence_text(sentence))
            words += sentence
        return " ".join(sentences), words

    def title_words(self):
        words = self.rng.choices(self.words, cum_weights=self.cum_weights, k=self.rng.randint(4, 9))
        words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(self.names))
        return words

    @staticmethod
    def title_text(words):
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def body(self):
        """Paragraphs from the pool until 300–2,000 words: (HTML, word count, paragraphs)."""
        # Short pieces are the most common, as in a real archive (about 900 words on average);
        # a paragraph adds at most ~140 words: stay within 2,000.
        target = int(self.rng.triangular(300, 1850, 500))
        chosen, words = [], 0
        while words < target:
            index = self.rng.randrange(len(self.paragraphs))
            chosen.append(index)
            words += len(self.paragraphs[index][1])
        html = "<p>" + "</p><p>".join(self.paragraphs[i][0] for i in chosen) + "</p>"
        return html, words, chosen

    # Search vectors, computed here exactly as the trigger (migrations 0002, 0007 and 0011)
    # computes them, setweight(title, A) || setweight(standfirst, B) || setweight(body, C),
    # with PostgreSQL's own stemming: *lexemes* maps every vocabulary word to its lexeme of the
    # search configuration, or to None for a stop word (which still takes a position).
    # Paragraph tags take none. Every word is ASCII and no other spelling of a place, so the
    # trigger's second stream (articles.search.alternate_text) is empty for every field.
    #
    # The body's part is written paragraph by paragraph, a lexeme once per paragraph it is in:
    # PostgreSQL's tsvector input sorts the lexemes and merges a repeated one's positions, so
    # the stored value is the one the trigger makes. Each paragraph is a format template whose
    # fields are its word positions ("'gas':{3},{17}"), so placing it at any offset in the body
    # is one str.format call instead of a Python loop over its words. The entries are then
    # sorted here (C-speed on runs already sorted per paragraph): PostgreSQL's sort sees them
    # in order and stops after one pass, which saves the load a sixth of its database time.

    def prepare_vectors(self, lexemes):
        self.lexemes = lexemes
        self.paragraph_templates = []
        for _text, words in self.paragraphs:
            entries = {}
            for position, word in enumerate(words, 1):
                lexeme = lexemes[word.lower()]
                if lexeme:
                    entries.setdefault(lexeme, []).append(position)
            template = " ".join(
                f"'{lexeme.replace('{', '{{').replace('}', '}}')}':"
                + ",".join(f"{{{p}}}" for p in positions)
                for lexeme, positions in sorted(entries.items())
            )
            self.paragraph_templates.append((template, len(words)))

    def vectors(self, title, standfirst, paragraphs):
        """(search_head, search_vector) as tsvector text."""
        head = {}  # lexeme: ["1A", "7B", …] from the title and standfirst
        shift = 0
        for words, weight in ((title, "A"), (standfirst, "B")):
            last = 0
            for position, word in enumerate(words, 1):
                lexeme = self.lexemes[word.lower()]
                if lexeme:
                    head.setdefault(lexeme, []).append(f"{shift + position}{weight}")
                    last = position
            # `a || b` shifts b's positions by a's highest position.
            shift += last
        head_text = " ".join(f"'{lexeme}':{','.join(p[:256])}" for lexeme, p in head.items())
        parts = [head_text] if head_text else []
        labels = _BODY_POSITIONS
        for index in paragraphs:
            template, length = self.paragraph_templates[index]
            if template:
                # Field {k} is the paragraph's k-th word: labels[shift + k].
                parts.append(template.format(*labels[shift : shift + length + 1]))
            shift += length
        # Lexemes are single words, so a space separates entries ("'gas':12C"); "'" sorts
        # below letters and digits, so "'ga':" comes before "'gas':", as in PostgreSQL.
        entries = " ".join(parts).split(" ")
        entries.sort()
        return head_text, " ".join(entries)


_SPELLED_NAMES = {name.capitalize() for name in (*search.PLACES, *search.CANONICAL)}

# "1C", "2C", …: PostgreSQL keeps positions below 16,384.
_BODY_POSITIONS = [f"{n}C" for n in range(16384)]


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


# --- Supporting rows ---------------------------------------------------------------------------


def _ensure_categories(out):
    if not Category.objects.exists():
        from django.core.management import call_command

        out("No categories yet: loading the seed menu first (load_seed).")
        call_command("load_seed", verbosity=0)
    return list(Category.objects.values_list("pk", flat=True))


def _ensure_named(model, names, extra=None):
    """Rows of *model* named *names* with ``demo-`` slugs, created in bulk when missing."""
    from articles.text import slugify

    rows = {}
    for name in names:
        slug = DEMO_PREFIX + slugify(name, max_length=80)
        rows.setdefault(slug, name)
    objects = [
        model(name=name, slug=slug, **(extra(name) if extra else {}))  # nosec B610: no QuerySet.extra()
        for slug, name in rows.items()
    ]
    model.objects.bulk_create(objects, batch_size=1000, ignore_conflicts=True)
    return list(model.objects.filter(slug__in=rows).values_list("pk", flat=True))


def _supporting_rows(vocab, out):
    rng = vocab.rng
    categories = _ensure_categories(out)
    authors = _ensure_named(Author, [f"{vocab.name()} {vocab.name()}" for _ in range(400)])
    sources = _ensure_named(
        Source,
        [
            f"{vocab.name()} {rng.choice(['News', 'Times', 'Press', 'Daily', 'Info'])}"
            for _ in range(60)
        ],
        extra=lambda name: {"url": f"https://{name.split()[0].lower()}.example/"},
    )
    # Tag names: vocabulary words and invented names, the frequent ones first (Zipf again).
    tag_names = list(dict.fromkeys(w for w in vocab.words if len(w) > 3))[:1500]
    tag_names += [f"{vocab.name()} {vocab.name()}" for _ in range(500)]
    tags = _ensure_named(Tag, tag_names)
    return categories, authors, sources, tags


# --- Pictures ----------------------------------------------------------------------------------

PICTURE_DIR = "demo-pictures"


def picture_pool(count, seed, out=lambda line: None):
    """*count* abstract pictures (gradients and discs, drawn here: nothing downloaded), saved
    with their renditions (`articles.images.renditions_make`) under ``demo-pictures/`` of the
    media storage: the image fields of the articles that show them."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image, ImageDraw

    from articles.images import renditions_make

    out(f"Drawing {count} demo pictures…")
    rng = random.Random(f"{seed}-pictures")
    pool = []
    for n in range(count):
        width, height = 1600, 900
        top, bottom = (tuple(rng.randrange(30, 220) for _ in range(3)) for _ in range(2))
        image = Image.new("RGB", (width, height))
        draw = ImageDraw.Draw(image)
        for y in range(height):
            mix = y / height
            draw.line(
                [(0, y), (width, y)],
                fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
            )
        for _ in range(rng.randint(3, 7)):
            x, y, r = rng.randrange(width), rng.randrange(height), rng.randint(60, 320)
            colour = tuple(rng.randrange(40, 250) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=84)
        name = default_storage.save(
            f"{PICTURE_DIR}/picture-{n:02d}.jpg", ContentFile(buffer.getvalue())
        )
        real_width, real_height, renditions = renditions_make(name)
        pool.append(
            {
                "featured_image": name,
                "image_renditions": renditions,
                "image_width": real_width,
                "image_height": real_height,
                "image_alt": "An abstract demo picture: coloured discs on a gradient",
            }
        )
    return pool


# --- Rows --------------------------------------------------------------------------------------

ARTICLE_COLUMNS = [
    "id", "created_at", "updated_at", "title", "slug", "standfirst", "body", "status",
    "published_at", "featured_image", "image_alt", "image_caption", "image_credit",
    "image_renditions", "is_featured", "word_count", "reading_minutes", "seo_title",
    "seo_description", "canonical_url", "language", "version", "is_demo", "category_id",
    "preview_key", "headline_needs_editor", "image_width", "image_height",
]  # fmt: skip


class _Batch:
    def __init__(self):
        self.articles = []  # dicts of ARTICLE_COLUMNS
        self.authors = []  # (article_id, author_id, position)
        self.tags = []  # (article_id, tag_id)
        self.translations = []  # dicts


def _make_batch(vocab, ids, refs, now, vectors, pictures=()):
    categories, authors, sources, tags = refs
    rng = vocab.rng
    tag_weights = list(_accumulate(1 / (k + 1) for k in range(len(tags))))
    wpm = settings.DIGEST_WORDS_PER_MINUTE
    span = YEARS * 365 * 86400
    batch = _Batch()
    for pk in ids:
        title_words = vocab.title_words()
        title = vocab.title_text(title_words)
        standfirst_words = vocab.sentence_words(12, 30)
        body, words, paragraphs = vocab.body()
        head_vector, search_vector = (
            vocab.vectors(title_words, standfirst_words, paragraphs) if vectors else (None, None)
        )
        published = now - timedelta(seconds=rng.randint(60, span))
        roll = rng.random()
        status = "draft" if roll < 0.01 else "published"
        batch.articles.append(
            {
                "id": pk,
                "created_at": published,
                "updated_at": published,
                "title": title[:300],
                "slug": f"{title.lower().replace(' ', '-')[:150].rstrip('-')}-{pk}",
                "standfirst": vocab.sentence_text(standfirst_words),
                "body": body,
                "status": status,
                "published_at": published,
                "is_featured": roll > 0.995,
                "word_count": words,
                "reading_minutes": max(1, math.ceil(words / wpm)),
                "category_id": rng.choice(categories),
                "search_vector": search_vector,
                "search_head": head_vector,
                # Half the articles show one of the pictures, if there are any (no draw from
                # the random stream: the same seed makes the same text with or without them).
                **(pictures[pk % len(pictures)] if pictures and pk % 2 else {}),
            }
        )
        byline = {rng.choice(authors) for _ in range(rng.choice((1, 1, 1, 2)))}
        for position, author in enumerate(byline):
            batch.authors.append((pk, author, position))
        count = rng.randint(1, 8)
        for tag in set(rng.choices(tags, cum_weights=tag_weights, k=count)):
            batch.tags.append((pk, tag))
        if rng.random() < 1 / 3:
            batch.translations.append(
                {
                    "article_id": pk,
                    "created_at": published,
                    "updated_at": published,
                    "source_id": rng.choice(sources),
                    "source_url": f"https://source.example/{pk}",
                    "original_title": vocab.title_text(vocab.title_words())[:300],
                    "source_language": rng.choice(LANGUAGES),
                    "original_published_on": published.date(),
                    "original_author_id": rng.choice(authors),
                    "translator_id": rng.choice(authors),
                }
            )
    return batch


# --- Writers -----------------------------------------------------------------------------------


def _copy_text(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


ARTICLE_DEFAULTS = {
    "featured_image": "", "image_alt": "", "image_caption": "", "image_credit": "",
    "image_renditions": "{}", "seo_title": "", "seo_description": "", "canonical_url": "",
    "language": "en", "version": 1, "is_demo": True, "search_vector": None, "search_head": None,
    "preview_key": "", "headline_needs_editor": False, "image_width": None, "image_height": None,
}  # fmt: skip
TRANSLATION_COLUMNS = [
    "article_id", "created_at", "updated_at", "source_id", "source_url", "original_title",
    "source_language", "original_published_on", "original_author_id", "translator_id",
]  # fmt: skip


def _copy_rows(rows):
    return "".join("\t".join(_copy_text(value) for value in row) + "\n" for row in rows)


def _copy_value(article, column):
    value = {**ARTICLE_DEFAULTS, **article}[column]
    return json.dumps(value) if column == "image_renditions" and isinstance(value, dict) else value


def _copy_texts(batch, columns):
    """The batch as COPY text, one string per table."""
    return (
        len(batch.articles),
        _copy_rows([_copy_value(a, c) for c in columns] for a in batch.articles),
        _copy_rows(batch.authors),
        _copy_rows(batch.tags),
        _copy_rows([t[c] for c in TRANSLATION_COLUMNS] for t in batch.translations),
    )


def _write_postgresql(texts, columns, replica):
    _count, articles, authors, tags, translations = texts
    tables = [
        (Article._meta.db_table, columns, articles),
        (Byline._meta.db_table, ["article_id", "author_id", "position"], authors),
        (TaggedArticle._meta.db_table, ["content_object_id", "tag_id"], tags),
        (Translation._meta.db_table, TRANSLATION_COLUMNS, translations),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
        cursor.execute(f"SET LOCAL gin_pending_list_limit TO {GIN_PENDING_LIST_KB}")
        cursor.execute(f"SET LOCAL work_mem TO {GIN_MERGE_MEMORY_KB}")
        # lz4 compresses the long bodies and vectors several times faster than pglz.
        cursor.execute("SET LOCAL default_toast_compression TO lz4")
        if replica:
            # This session only: skip the search-vector trigger (the vectors come with the
            # rows) and the foreign-key triggers (every id was just read from the database).
            cursor.execute("SET LOCAL session_replication_role TO replica")
        for table, names, text in tables:
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(names)}) FROM STDIN", io.StringIO(text)
            )
        if replica:
            # SET LOCAL lasts until the outermost transaction ends: restore it now.
            cursor.execute("SET LOCAL session_replication_role TO DEFAULT")


def _write_orm(batch):
    with transaction.atomic():
        Article.objects.bulk_create(
            [
                Article(
                    **{
                        **ARTICLE_DEFAULTS,
                        "image_renditions": {},
                        **a,
                        "search_vector": None,
                        "search_head": None,
                    }
                )
                for a in batch.articles
            ]
        )
        Byline.objects.bulk_create(
            [Byline(article_id=a, author_id=b, position=p) for a, b, p in batch.authors]
        )
        TaggedArticle.objects.bulk_create(
            [TaggedArticle(content_object_id=a, tag_id=t) for a, t in batch.tags]
        )
        Translation.objects.bulk_create([Translation(**t) for t in batch.translations])
        # bulk_create stamps `updated_at` (auto_now) with today: the pieces were never edited.
        Article.objects.filter(pk__in=[a["id"] for a in batch.articles]).update(
            updated_at=F("published_at")
        )
        # SQLite's full-text index (PostgreSQL's trigger indexes the COPY path's rows).
        Article.objects.filter(pk__in=[a["id"] for a in batch.articles]).refresh_search_index()


def _reserve_ids(count):
    """*count* consecutive article ids nobody else will be given."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE articles_article IN EXCLUSIVE MODE")
                cursor.execute("SELECT pg_get_serial_sequence('articles_article', 'id')")
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
                first = cursor.fetchone()[0] + 1
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return first
        last = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return last + 1


def _lexemes(words):
    """PostgreSQL's lexeme of each word in the search configuration (None for stop words)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, array_to_string(tsvector_to_array(to_tsvector(%s, w)), ' ') "
            "FROM unnest(%s::text[]) AS w",
            [search.CONFIG, sorted({word.lower() for word in words})],
        )
        return {word: lexeme or None for word, lexeme in cursor.fetchall()}


def _is_superuser():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


SEARCH_INDEX = "article_search_idx"
SEARCH_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON articles_article USING gin (search_vector)"
)

# Set in each worker process before it generates batches (fork start method: inherited).
_worker = {}


def _generate(start):
    """The COPY texts of the batch of articles starting at offset *start*."""
    w = _worker
    vocab = w["vocab"]
    vocab.rng = random.Random(f"{w['seed']}-{start}")  # nosec B311: synthetic demo text
    ids = range(w["first"] + start, w["first"] + min(start + w["batch_size"], w["articles"]))
    batch = _make_batch(
        vocab, ids, w["refs"], w["now"], vectors=w["vectors"], pictures=w["pictures"]
    )
    return _copy_texts(batch, w["columns"])


def _generate_and_write(start):
    """Worker: generate a batch and COPY it over this worker's own connection (the rows never
    pass through the parent); returns how many articles it wrote."""
    texts = _generate(start)
    _write_postgresql(texts, _worker["columns"], _worker["vectors"])
    return texts[0]


def _start_worker():
    # Close this worker's own database connection when the pool shuts it down.
    multiprocessing.util.Finalize(None, connection.close, exitpriority=10)


def seed_demo(*, articles, batch_size=5000, seed=None, out=None, workers=None, pictures=0):
    """Create *articles* demo articles; returns how many. *out* receives progress lines.

    On PostgreSQL, *workers* processes (default: the number of CPUs) generate the rows and
    stream them with COPY, each over its own connection. With *pictures*, that many pictures
    are drawn (`picture_pool`) and half the articles show one of them.
    """
    out = out or (lambda line: None)
    seed = random.randrange(2**32) if seed is None else seed  # nosec B311: synthetic demo text
    rng = random.Random(seed)  # nosec B311: synthetic demo text
    started = time.monotonic()
    vocab = _Vocabulary(rng, paragraphs=min(20_000, max(200, articles * 4)))
    refs = _supporting_rows(vocab, out)
    pictures = picture_pool(pictures, seed, out) if pictures else ()
    now = datetime.now(UTC)
    first = _reserve_ids(articles)
    starts = range(0, articles, batch_size)
    done = 0

    def progress(count):
        nonlocal done
        done += count
        elapsed = time.monotonic() - started
        out(f"{done:,}/{articles:,} articles ({done / elapsed:,.0f}/s, {elapsed:,.0f} s)")

    if connection.vendor != "postgresql":
        for start in starts:
            vocab.rng = random.Random(f"{seed}-{start}")  # nosec B311: synthetic demo text
            ids = range(first + start, first + min(start + batch_size, articles))
            batch = _make_batch(vocab, ids, refs, now, vectors=False, pictures=pictures)
            _write_orm(batch)
            progress(len(batch.articles))
        content_changed()  # bulk inserts send no signals: readers' pages are told here
        out(f"Done: {done:,} demo articles in {time.monotonic() - started:,.0f} s.")
        return done

    # Vectors computed here need session_replication_role (superuser) to skip the trigger;
    # otherwise the trigger computes them, more slowly.
    replica = _is_superuser()
    columns = ARTICLE_COLUMNS + (["search_vector", "search_head"] if replica else [])
    if replica:
        vocab.prepare_vectors(_lexemes(vocab.words + vocab.names))
    with connection.cursor() as cursor:
        # Earlier versions dropped the index for the load: put it back if one was cut short.
        cursor.execute(SEARCH_INDEX_SQL)
    _worker.update(
        vocab=vocab, seed=seed, first=first, batch_size=batch_size, articles=articles,
        refs=refs, now=now, vectors=replica, columns=columns, pictures=pictures,
    )  # fmt: skip
    try:
        if (workers or os.cpu_count() or 1) < 2 or articles < FORK_FROM:
            for start in starts:
                texts = _generate(start)
                _write_postgresql(texts, columns, replica)
                progress(texts[0])
        else:
            # Forked workers must not share this process's database connection: each opens
            # its own and writes its batches itself.
            connection.close()
            context = multiprocessing.get_context("fork")
            with context.Pool(workers or os.cpu_count(), initializer=_start_worker) as pool:
                for count in pool.imap_unordered(_generate_and_write, starts):
                    progress(count)
                pool.close()
                pool.join()
    finally:
        _worker.clear()
        if done and replica:
            # The rows came past the triggers: the published tally is counted again.
            Article.objects.refresh_published_tally()
        if done:
            # VACUUM sets the visibility map, so deep pages read ids from the indexes alone
            # (index-only scans) from the start, and merges what is left in the search index's
            # pending list; ANALYZE gives the planner the new numbers. The bodies' TOAST table
            # has nothing to gain from it.
            out("Vacuuming and analysing the tables…")
            if connection.in_atomic_block:
                command = "ANALYZE"
            elif connection.pg_version >= 140000:
                command = "VACUUM (ANALYZE, PROCESS_TOAST FALSE)"
            else:
                command = "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for table in (
                    "articles_article",
                    "articles_taggedarticle",
                    "articles_article_authors",
                    "articles_translation",
                ):
                    cursor.execute(f"{command} {table}")
    if done:
        content_changed()  # COPY sends no signals: readers' pages are told here
    out(f"Done: {done:,} demo articles in {time.monotonic() - started:,.0f} s.")
    return done


def clear_demo(*, out=None):
    """Delete the demo articles and the demo authors, tags and sources nobody else uses.

    The articles and their links go in one ``DELETE`` a table, like the bulk load that made
    them: through the ORM, every row (five million at a million articles) would be loaded and
    signalled one by one (20,000 articles took 38 s and 740 MB; a million would not fit in
    memory). The page cache is told once, as it is after a load.
    """
    out = out or (lambda line: None)
    demo = Article.objects.filter(is_demo=True)
    with transaction.atomic():
        raw_delete(Translation.objects.filter(article__in=demo))
        raw_delete(TaggedArticle.objects.filter(content_object__in=demo))
        raw_delete(Article.authors.through.objects.filter(article__in=demo))
        count = raw_delete(demo)
        content_changed()
        Tag.objects.filter(slug__startswith=DEMO_PREFIX, tagged_articles__isnull=True).delete()
        Author.objects.filter(
            slug__startswith=DEMO_PREFIX,
            articles__isnull=True,
            translations__isnull=True,
            original_works__isnull=True,
        ).delete()
        Source.objects.filter(slug__startswith=DEMO_PREFIX, translations__isnull=True).delete()
    from django.core.files.storage import default_storage

    if default_storage.exists(PICTURE_DIR):
        for name in default_storage.listdir(PICTURE_DIR)[1]:
            default_storage.delete(f"{PICTURE_DIR}/{name}")
    out(f"Deleted {count:,} demo articles.")
    return count
