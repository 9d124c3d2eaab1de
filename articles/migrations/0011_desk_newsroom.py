"""The news desk (issue 19).

- Provenance keeps the original's time of day beside its date (the importer no longer drops it).
- Translators may add author profiles and source outlets (an editor merges duplicates later).
- The admin's search folds diacritics and transliterations (`articles.text.fold_for_search`).
  PostgreSQL gets the same folding as the SQL function `articles_fold` (built here from the
  Python table; tests/test_editor_finds_any_spelling.py checks the two agree), a function of
  an article's folded words, and two indexes: a GIN index over those words (a word's beginning
  in the title, standfirst or body, any spelling) and a trigram index on the folded title (a
  fragment of it). Where pg_trgm cannot be created the fragment search goes without its index.
  SQLite runs the Python function under the same name (`articles.querysets`).
"""

import sys

from django.db import DatabaseError, transaction

from articles.text import fold_sql_expression

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TRANSLATOR_MAY_ADD = [("articles", "add_author"), ("articles", "add_source")]


def translators_add_people(apps, schema_editor):
    create_permissions(global_apps.get_app_config("articles"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    translator = Group.objects.filter(name="Translator").first()
    if translator is None:
        return
    for app_label, codename in TRANSLATOR_MAY_ADD:
        translator.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def translators_add_no_people(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    translator = Group.objects.filter(name="Translator").first()
    if translator is not None:
        translator.permissions.remove(
            *translator.permissions.filter(codename__in=[c for _, c in TRANSLATOR_MAY_ADD])
        )


FOLD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION articles_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT {fold_sql_expression("normalize(value, NFC)")} $$;

CREATE OR REPLACE FUNCTION articles_folded_document(title text, standfirst text, body text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_tsvector('simple'::regconfig, articles_fold(
    coalesce(title, '') || ' ' || coalesce(standfirst, '') || ' ' || coalesce(body, ''))) $$;
"""
FOLDED_TEXT_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_folded_text_idx ON articles_article "
    "USING gin (articles_folded_document(title, standfirst, body))"
)
FOLDED_TITLE_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_title_fold_trgm_idx ON articles_article "
    "USING gin (articles_fold(title) gin_trgm_ops)"
)


def folding_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLD_FUNCTION)
    schema_editor.execute(FOLDED_TEXT_INDEX)
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(FOLDED_TITLE_INDEX)
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0]
        sys.stderr.write(
            f"\n  Warning: no trigram index on the folded title ({first_line}); the admin's "
            "title-fragment search goes without it.\n"
        )


def folding_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_title_fold_trgm_idx")
    schema_editor.execute("DROP INDEX IF EXISTS article_folded_text_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS articles_folded_document(text, text, text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS articles_fold(text)")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_issue6_search_candidates'),
        ('articles', '0004_issue5_groups'),
    ]

    operations = [
        migrations.AddField(
            model_name='translation',
            name='original_published_time',
            field=models.TimeField(blank=True, help_text="When the source gives one, e.g. 09:30 (the newsroom's time zone).", null=True, verbose_name='original publication time'),
        ),
        migrations.RunPython(translators_add_people, translators_add_no_people),
        migrations.RunPython(folding_forwards, folding_backwards),
    ]
