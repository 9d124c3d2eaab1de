"""Search ranking without reading bodies (issue 6): `search_head`, the weighted title (A) and
standfirst (B) vector, kept by the same trigger as `search_vector`. Ranking thousands of
matches then reads small vectors stored in the row, not the bodies' out-of-line ones.

Existing rows are filled here: on a big archive this rewrites every article row once.
"""

from importlib import import_module

import django.contrib.postgres.search
from django.db import migrations

# The same PostgreSQL-only runner as the trigger's own migration.
on_postgresql = import_module("articles.migrations.0002_search_vector_postgres").on_postgresql

HEAD = (
    "setweight(to_tsvector('english', coalesce({row}.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce({row}.standfirst, '')), 'B')"
)

FORWARD = f"""
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_head := {HEAD.format(row="NEW")};
  NEW.search_vector :=
    NEW.search_head ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
UPDATE articles_article SET search_head = {HEAD.format(row="articles_article")};
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_issue6_tag_article_index")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_head",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
