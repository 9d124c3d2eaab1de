"""Search at a million articles (issue 6): `articles_search_candidates(query, limit)`, the ids
of up to *limit* articles whose search vector matches, read from the GIN search index whatever
the planner guesses (`articles.models.search_candidates` says why). The function's own
settings keep the planner from a sequential or plain index scan while it runs, and only then.
PostgreSQL only.
"""

from importlib import import_module

from django.db import migrations

# The same PostgreSQL-only runner as the search trigger's own migration.
on_postgresql = import_module("articles.migrations.0002_search_vector_postgres").on_postgresql

FORWARD = """
CREATE OR REPLACE FUNCTION articles_search_candidates(query tsquery, max_rows integer)
RETURNS SETOF bigint LANGUAGE sql STABLE
SET enable_seqscan = off SET enable_indexscan = off
AS $$ SELECT id FROM articles_article WHERE search_vector @@ query LIMIT max_rows $$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS articles_search_candidates(tsquery, integer);"


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_issue6_title_trigram_index")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
