"""The admin's search reads the public search's vector (issue 19): the folded text index of
migration 0011 goes, and with it a second tsvector of every body made on every save (a
million-article load ran 6.5 times faster without it)."""

import importlib

from django.db import migrations

FORWARD = """
DROP INDEX IF EXISTS article_folded_text_idx;
DROP FUNCTION IF EXISTS articles_folded_document(text, text, text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        earlier = importlib.import_module("articles.migrations.0011_desk_newsroom")
        schema_editor.execute(earlier.FOLD_FUNCTION)
        schema_editor.execute(earlier.FOLDED_TEXT_INDEX)


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_wordpress")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
