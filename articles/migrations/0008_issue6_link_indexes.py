"""Lists read link-first (issue 6, `ArticleQuerySet.newest_ids_linked`): an author's, a source's
or a translator's page reads the ids of their pieces from a link table, then each piece's status
and publication time, to sort them. These indexes let both steps read indexes alone (index-only
scans) instead of one table row per piece: the provenance rows by source and by translator with
the article, and, on PostgreSQL, the bylines by author with the article and the articles' id
with their status and publication time (a covering index; SQLite has no INCLUDE and reads its
rows by id anyway).

On a big archive each index is built once here (a million articles: a few seconds each).
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

# The same PostgreSQL-only runner as the search trigger's own migration.
on_postgresql = import_module("articles.migrations.0002_search_vector_postgres").on_postgresql

FORWARD = """
CREATE INDEX IF NOT EXISTS byline_author_article_idx
    ON articles_article_authors (author_id, article_id);
CREATE INDEX IF NOT EXISTS article_visible_idx
    ON articles_article (id) INCLUDE (status, published_at);
"""

BACKWARD = """
DROP INDEX IF EXISTS byline_author_article_idx;
DROP INDEX IF EXISTS article_visible_idx;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_issue6_search_head")]

    operations = [
        # The new indexes first: lookups by source or translator never go without one.
        migrations.AddIndex(
            model_name="translation",
            index=models.Index(fields=["source", "article"], name="provenance_source_idx"),
        ),
        migrations.AddIndex(
            model_name="translation",
            index=models.Index(fields=["translator", "article"], name="provenance_translator_idx"),
        ),
        migrations.AlterField(
            model_name="translation",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The outlet that first published it, e.g. Globalinfo.az.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="translations",
                to="articles.source",
            ),
        ),
        migrations.AlterField(
            model_name="translation",
            name="translator",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="translations",
                to="articles.author",
            ),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
