"""A reader searches names as they type them: without diacritics (Erdogan), in the press's
transliteration (Shusha, Aghdam, Nakhchivan) or the region's own letters (Şuşa, Ağdam,
Naxçıvan), with phrases, exclusions and OR: the same table of queries and the articles they
find, on SQLite (FTS5) and PostgreSQL (the `digest` configuration) alike."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article

CORPUS = {
    "A": dict(
        title="Erdoğan hosts Əliyev in Ankara",
        body="<p>The talks in Ankara touched on Bakı and the Şuşa declaration.</p>",
    ),
    "B": dict(
        title="Shusha festival opens",
        body="<p>Musicians came to Shusha from Baku and Ganja.</p>",
    ),
    "C": dict(title="Ağdam rebuilt", body="<p>New houses in Ağdam and a road to Naxçıvan.</p>"),
    "D": dict(
        title="Gəncə tea house",
        standfirst="A morning in Gəncə.",
        body="<p>Laçın and Füzuli were mentioned, and the Göygöl lake.</p>",
    ),
    "E": dict(title="Nakhchivan corridor talks", body="<p>The Aghdam and Lachin roads.</p>"),
    "F": dict(title="Weather report", body="<p>Rain over the Caspian, nothing else.</p>"),
    "G": dict(
        title="Türkiye and Azerbaijan sign a deal",
        body="<p>The deal was signed by the ministers of energy.</p>",
    ),
}

TABLE = [
    ("Erdogan", "A"),
    ("Erdoğan", "A"),
    ("ERDOGAN", "A"),
    ("Ankara Baku", "A"),
    ("Shusha", "AB"),
    ("Şuşa", "AB"),
    ("Susa", "AB"),
    ("Aghdam", "CE"),
    ("Ağdam", "CE"),
    ("Agdam", "CE"),
    ("Ganja", "BD"),
    ("Gəncə", "BD"),
    ("Gence", "BD"),
    ("Baku", "AB"),
    ("Bakı", "AB"),
    ("Baki", "AB"),
    ("Nakhchivan", "CE"),
    ("Naxçıvan", "CE"),
    ("Naxcivan", "CE"),
    # The letters ə ı ş ğ ç ö ü, typed or not, whichever way the article has them.
    ("Aliyev", "A"),
    ("Əliyev", "A"),
    ("Lachin", "DE"),
    ("Laçın", "DE"),
    ("Lacin", "D"),
    ("Fuzuli", "D"),
    ("Füzuli", "D"),
    ("Goygol", "D"),
    ("Turkiye", "G"),
    ("Türkiye", "G"),
    # Phrases, exclusions, OR, word forms.
    ('"Şuşa declaration"', "A"),
    ('"Shusha declaration"', "A"),
    ('"declaration Shusha"', ""),
    ('"Ankara and Baku"', ""),
    ("Shusha -festival", "A"),
    ("Baku -Ankara", "B"),
    ('Baku -"Ankara touched"', "B"),
    ("Aghdam OR Ganja", "BCDE"),
    ("Aghdam or Ganja -tea", "BCE"),
    ("signing deals", "G"),
    ("minister energy", "G"),
    ("Caspian", "F"),
    # Nothing a search index can answer.
    ("the", ""),
    ("-Shusha", ""),
    ("-Shusha -Baku", ""),
    ("nosuchword", ""),
]


@pytest.fixture
def corpus(make_article):
    now = timezone.now()
    return {
        key: make_article(**fields, published_at=now - timedelta(hours=n + 1))
        for n, (key, fields) in enumerate(CORPUS.items())
    }


def found(client, query):
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    return html, {key for key, fields in CORPUS.items() if f">{fields['title']}</a>" in html}


@pytest.mark.parametrize("query, expected", TABLE)
def test_a_query_finds_the_same_articles_on_every_database(client, corpus, query, expected):
    html, keys = found(client, query)
    assert keys == set(expected), f"{query!r} on {connection.vendor}"
    count = f"{len(expected)} article{'s' if len(expected) != 1 else ''} found."
    assert count in html


def test_title_matches_come_before_body_matches(client, corpus):
    html, _ = found(client, "Shusha")
    assert html.index(CORPUS["B"]["title"]) < html.index(CORPUS["A"]["title"])
    html, _ = found(client, "Aghdam")
    assert html.index(CORPUS["C"]["title"]) < html.index(CORPUS["E"]["title"])


def test_the_snippet_highlights_the_word_as_the_article_spells_it(client, corpus):
    html, _ = found(client, "Shusha")
    assert "<mark>Şuşa</mark> declaration" in html
    html, _ = found(client, "Ankara Baku")
    assert "<mark>Ankara</mark>" in html and "<mark>Bakı</mark>" in html


def test_a_snippet_shows_markup_in_the_body_as_text(client, make_article):
    make_article(title="Angle brackets", body="<p>Compare a &lt;b&gt; tag with Lenkoran.</p>")
    html, _ = found(client, "Lenkoran")
    assert "&lt;b&gt; tag with <mark>Lenkoran</mark>" in html


def test_an_edited_article_is_found_by_its_new_words_only(client, corpus):
    from articles import services

    services.article_save(article=corpus["F"], title="Weather over Şamaxı")
    html, _ = found(client, "Shamakhi")
    assert ">Weather over Şamaxı</a>" in html and "1 article found." in html
    assert "0 articles found." in found(client, "report")[0]


def test_a_deleted_article_leaves_the_index(client, corpus):
    from articles import services

    services.article_delete(article=corpus["B"])
    assert found(client, "Shusha")[1] == {"A"}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM articles_search_content")
            assert cursor.fetchone()[0] == Article.objects.count()
            cursor.execute(
                "SELECT rowid FROM articles_search WHERE articles_search MATCH 'festival'"
            )
            assert cursor.fetchall() == []


def test_imported_drafts_are_searchable_once_published(client, make_category):
    from articles import services

    category = make_category()
    [draft] = services.article_create_many(
        items=[{"fields": {"title": "Qəbələ radar", "category": category, "status": "draft"}}]
    )
    assert found(client, "Gabala")[1] == set()
    services.article_publish(article=draft)
    assert "Qəbələ radar" in found(client, "Gabala")[0]


@pytest.mark.parametrize(
    "word, other",
    [("Şuşa", "shusha"), ("Naxçıvan", "nakhchivan"), ("Gəncə", "ganja"), ("Bakı", "baku"),
     ("Xocalı", "khojaly"), ("Qəbələ", "gabala"), ("Əliyev", "aliyev"), ("Erdoğan", None),
     ("Erdoghan", "erdogan"), ("Türkiye", None), ("Baku", None), ("Susa", "shusha")],
)  # fmt: skip
def test_the_press_spells_the_regions_letters_as_readers_type_them(word, other):
    spelled = search.alternate(word)
    assert (spelled if spelled != search.fold(word) else None) == other


def test_the_query_syntax_is_words_phrases_exclusions_and_or():
    query = search.parse('Baku "Şuşa declaration" -Gaza -"West Bank" Aghdam OR Ganja the')
    assert query.groups == (
        (("baku",),),
        (("şuşa", "declaration"),),
        (("aghdam",), ("ganja",)),
    )
    assert query.excluded == (("gaza",), ("west", "bank"))
    assert search.parse("the of and") is None
    assert search.parse("-Baku") is None
    assert search.parse('""') is None


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_spells_a_text_as_the_python_rules_do():
    """The trigger's second stream (SQL, built from the rules in `articles.search` when the
    migration ran) and SQLite's (Python) must not drift apart."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigger's function exists on PostgreSQL only")
    from articles.seed import SOURCES_DIR

    texts = [fields["title"] + ". " + fields["body"] for fields in CORPUS.values()]
    texts += ["Xocalı, Qəbələ və Sumqayıt; Şəki-Zaqatala! Bakı’s İlham Əliyev (2024)."]
    texts += [p.read_text() for p in sorted(SOURCES_DIR.glob("*.txt"))]
    with connection.cursor() as cursor:
        for text in texts:
            cursor.execute("SELECT articles_search_alternate(%s)", [text])
            assert cursor.fetchone()[0] == search.alternate_text(search.plain_text(text))
