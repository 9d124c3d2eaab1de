"""Search that finds what readers type (issue 18): Erdogan for Erdoğan, Shusha or Susa for
Şuşa, Baku for Bakı (`articles.search` says how).

PostgreSQL: the `unaccent` extension (trusted: the database's owner may create it) and a text
search configuration `digest`, english with unaccent before the stemmer; the trigger indexes
each field as written (folded) and, when the field has such words, a second time as the
English-language press spells them (`articles_search_alternate`, built here from the rules in
`articles.search`; tests/test_reader_searches_by_any_spelling.py checks the two agree). Rows
whose vectors change (a letter beyond ASCII, or another spelling of a place) are re-indexed.

SQLite: an FTS5 index (``porter unicode61 remove_diacritics 2``) over a table of each article's
plain text and second stream, written by `ArticleQuerySet.refresh_search_index` (the saving
services call it); triggers keep the index in step with that table, whose rows go with their
article (a foreign key, ON DELETE CASCADE). Snippets come from the plain text as written.
"""

from django.db import migrations

from articles import search

# --- PostgreSQL ------------------------------------------------------------------------------


def _sql_text(value):
    return "'" + value.replace("'", "''") + "'"


def _replace_chain(expression, mapping):
    for old, new in mapping.items():
        expression = f"replace({expression}, {_sql_text(old)}, {_sql_text(new)})"
    return expression


SPELLED = (
    r"[^\x01-\x7f]|\m(" + "|".join(sorted(search.CANONICAL)) + r")\M"
)  # search._SPELLED_RE, in PostgreSQL's regular expressions
PLACES = ", ".join(f"({_sql_text(o)}, {_sql_text(n)})" for o, n in sorted(search.CANONICAL.items()))
AZERBAIJANI = _replace_chain("w", search.AZERBAIJANI_LETTERS)
PRESS = _replace_chain(
    f"CASE WHEN w ~ '[{search.AZERBAIJANI_MARKS}]' THEN {AZERBAIJANI} ELSE w END",
    search.PRESS_LETTERS,
)
# The words of a text as `articles.search.words` finds them (letters and digits), once tags and
# entities are out, as `articles.search.plain_text` takes them out.
WORDS = (
    "regexp_matches(regexp_replace(regexp_replace(doc, '<[^>]*>', ' ', 'g'),"
    " '&#?[[:alnum:]]+;', ' ', 'g'), '[[:alnum:]]+', 'g')"
)

POSTGRESQL_FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{search.CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {search.CONFIG} (COPY = pg_catalog.english);
    ALTER TEXT SEARCH CONFIGURATION {search.CONFIG}
      ALTER MAPPING FOR word, hword, hword_part WITH unaccent, english_stem;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION articles_search_alternate(doc text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $fn$
DECLARE result text;
BEGIN
  IF doc IS NULL OR doc !~* '{SPELLED}' THEN
    RETURN '';
  END IF;
  SELECT CASE WHEN bool_or(alternate <> plain) THEN string_agg(alternate, ' ' ORDER BY n)
              ELSE '' END
    INTO result
    FROM (
      SELECT n, plain, coalesce(places.name, spelled) AS alternate
        FROM (
          SELECT n, plain,
                 CASE WHEN w ~ '[{"".join(search.PRESS_LETTERS)}]' THEN unaccent({PRESS})
                      ELSE plain END AS spelled
            FROM (
              SELECT n, w, unaccent(w) AS plain
                FROM (
                  SELECT n, lower(replace(m[1], 'İ', 'I')) AS w
                    FROM {WORDS} WITH ORDINALITY AS t(m, n)
                ) AS tokens
            ) AS folded
        ) AS spelled
        LEFT JOIN (VALUES {PLACES}) AS places(other, name) ON places.other = spelled.spelled
    ) AS alternates;
  RETURN coalesce(result, '');
END
$fn$;

CREATE OR REPLACE FUNCTION articles_search_document(doc text, weight "char") RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT setweight(to_tsvector('{search.CONFIG}', coalesce(doc, '')), weight)
      || setweight(to_tsvector('{search.CONFIG}', articles_search_alternate(doc)), weight)
$fn$;

CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_head :=
    articles_search_document(NEW.title, 'A') || articles_search_document(NEW.standfirst, 'B');
  NEW.search_vector := NEW.search_head || articles_search_document(NEW.body, 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

# Only these rows' vectors change: every other word is ASCII, which both configurations index
# alike, and has no other spelling.
POSTGRESQL_REINDEX = f"""
UPDATE articles_article SET title = title
 WHERE title || ' ' || standfirst || ' ' || body ~* '{SPELLED}';
"""

POSTGRESQL_BACKWARD = f"""
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_head :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B');
  NEW.search_vector :=
    NEW.search_head ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
{POSTGRESQL_REINDEX}
DROP FUNCTION IF EXISTS articles_search_document(text, "char");
DROP FUNCTION IF EXISTS articles_search_alternate(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS {search.CONFIG};
"""

# --- SQLite ----------------------------------------------------------------------------------

COLUMNS = ("title", "standfirst", "body", "title_alt", "standfirst_alt", "body_alt")


def _indexed(row, column):
    """What the index takes of *row*.*column*: the plain text with `search.INDEX_LETTERS`
    folded (`search.index_text`), the second stream as it is."""
    value = f"{row}.{column}"
    return value if column.endswith("_alt") else _replace_chain(value, search.INDEX_LETTERS)


def _index_values(row):
    return ", ".join(_indexed(row, column) for column in COLUMNS)


SQLITE_FORWARD = [
    f"""CREATE TABLE {search.SQLITE_CONTENT} (
        id integer NOT NULL PRIMARY KEY
           REFERENCES articles_article (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        {", ".join(f"{column} text NOT NULL DEFAULT ''" for column in COLUMNS)})""",
    f"""CREATE VIRTUAL TABLE {search.SQLITE_INDEX} USING fts5(
        {", ".join(COLUMNS)}, content='{search.SQLITE_CONTENT}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {search.SQLITE_CONTENT}_insert AFTER INSERT ON {search.SQLITE_CONTENT}
        BEGIN
          INSERT INTO {search.SQLITE_INDEX} (rowid, {", ".join(COLUMNS)})
          VALUES (new.id, {_index_values("new")});
        END""",
    f"""CREATE TRIGGER {search.SQLITE_CONTENT}_delete AFTER DELETE ON {search.SQLITE_CONTENT}
        BEGIN
          INSERT INTO {search.SQLITE_INDEX} ({search.SQLITE_INDEX}, rowid, {", ".join(COLUMNS)})
          VALUES ('delete', old.id, {_index_values("old")});
        END""",
    f"""CREATE TRIGGER {search.SQLITE_CONTENT}_update AFTER UPDATE ON {search.SQLITE_CONTENT}
        BEGIN
          INSERT INTO {search.SQLITE_INDEX} ({search.SQLITE_INDEX}, rowid, {", ".join(COLUMNS)})
          VALUES ('delete', old.id, {_index_values("old")});
          INSERT INTO {search.SQLITE_INDEX} (rowid, {", ".join(COLUMNS)})
          VALUES (new.id, {_index_values("new")});
        END""",
]

SQLITE_BACKWARD = [
    f"DROP TABLE IF EXISTS {search.SQLITE_INDEX}",
    f"DROP TABLE IF EXISTS {search.SQLITE_CONTENT}",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
        schema_editor.execute(POSTGRESQL_REINDEX)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
        Article = apps.get_model("articles", "Article")
        rows = Article.objects.values_list("pk", "title", "standfirst", "body").iterator()
        search.sqlite_index(schema_editor.connection, rows)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_preview_revocation")]

    operations = [migrations.RunPython(forwards, backwards)]
