"""Full-text search on PostgreSQL: a weighted search vector (title A, standfirst B, body C)
kept in sync by a trigger, whatever writes the row (admin, importer, bulk inserts), and a GIN
index over it. Nothing to do on SQLite, whose search falls back to plain matching."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
CREATE TRIGGER articles_article_search_vector
  BEFORE INSERT OR UPDATE OF title, standfirst, body ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();
CREATE INDEX IF NOT EXISTS article_search_idx ON articles_article USING gin (search_vector);
UPDATE articles_article SET title = title;
"""

BACKWARD = """
DROP INDEX IF EXISTS article_search_idx;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector_update();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
