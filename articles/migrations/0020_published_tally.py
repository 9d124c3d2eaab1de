"""Published totals kept by the database (issue 21): how many articles each category holds
with status published and a publication time, for the lists' page counts. Counting them was a
70 ms COUNT(*) at a million articles on the first request of every list after every publish.

Triggers keep the tally, whichever process or path writes the articles (the ORM, bulk loads,
raw SQL). PostgreSQL tallies inserts and deletes once per statement (a bulk load of 5,000 rows
updates a category's row once, not 5,000 times in one transaction) and changes row by row,
only when the status, the publication time's presence or the category changed. SQLite
tallies row by row. The table starts from a count of what is there."""

from django.db import migrations, models

COUNTED = "status = 'published' AND published_at IS NOT NULL"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION articles_tally_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO articles_publishedtally AS tally (category_id, total)
      SELECT category_id, count(*) FROM new_rows WHERE {COUNTED} GROUP BY category_id
    ON CONFLICT (category_id) DO UPDATE SET total = tally.total + EXCLUDED.total;
  ELSE
    UPDATE articles_publishedtally AS tally SET total = tally.total - gone.n
      FROM (SELECT category_id, count(*) AS n FROM old_rows WHERE {COUNTED}
            GROUP BY category_id) AS gone
      WHERE tally.category_id = gone.category_id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION articles_tally_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' AND OLD.published_at IS NOT NULL THEN
    UPDATE articles_publishedtally SET total = total - 1 WHERE category_id = OLD.category_id;
  END IF;
  IF NEW.status = 'published' AND NEW.published_at IS NOT NULL THEN
    INSERT INTO articles_publishedtally AS tally (category_id, total)
      VALUES (NEW.category_id, 1)
    ON CONFLICT (category_id) DO UPDATE SET total = tally.total + 1;
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS articles_tally_insert ON articles_article;
CREATE TRIGGER articles_tally_insert AFTER INSERT ON articles_article
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_statement();
DROP TRIGGER IF EXISTS articles_tally_delete ON articles_article;
CREATE TRIGGER articles_tally_delete AFTER DELETE ON articles_article
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_statement();
DROP TRIGGER IF EXISTS articles_tally_update ON articles_article;
CREATE TRIGGER articles_tally_update AFTER UPDATE ON articles_article
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
        OR (OLD.published_at IS NULL) <> (NEW.published_at IS NULL)
        OR OLD.category_id IS DISTINCT FROM NEW.category_id)
  EXECUTE FUNCTION articles_tally_row();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS articles_tally_insert ON articles_article;
DROP TRIGGER IF EXISTS articles_tally_delete ON articles_article;
DROP TRIGGER IF EXISTS articles_tally_update ON articles_article;
DROP FUNCTION IF EXISTS articles_tally_statement();
DROP FUNCTION IF EXISTS articles_tally_row();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER articles_tally_insert AFTER INSERT ON articles_article
    WHEN NEW.status = 'published' AND NEW.published_at IS NOT NULL
    BEGIN
      INSERT INTO articles_publishedtally (category_id, total) VALUES (NEW.category_id, 1)
      ON CONFLICT (category_id) DO UPDATE SET total = total + 1;
    END""",
    """CREATE TRIGGER articles_tally_delete AFTER DELETE ON articles_article
    WHEN OLD.status = 'published' AND OLD.published_at IS NOT NULL
    BEGIN
      UPDATE articles_publishedtally SET total = total - 1 WHERE category_id = OLD.category_id;
    END""",
    """CREATE TRIGGER articles_tally_update AFTER UPDATE OF status, published_at, category_id
    ON articles_article
    WHEN OLD.status IS NOT NEW.status
      OR (OLD.published_at IS NULL) <> (NEW.published_at IS NULL)
      OR OLD.category_id IS NOT NEW.category_id
    BEGIN
      UPDATE articles_publishedtally SET total = total - 1
        WHERE category_id = OLD.category_id
          AND OLD.status = 'published' AND OLD.published_at IS NOT NULL;
      INSERT INTO articles_publishedtally (category_id, total)
        SELECT NEW.category_id, 1 WHERE NEW.status = 'published' AND NEW.published_at IS NOT NULL
      ON CONFLICT (category_id) DO UPDATE SET total = total + 1;
    END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_tally_insert",
    "DROP TRIGGER IF EXISTS articles_tally_delete",
    "DROP TRIGGER IF EXISTS articles_tally_update",
]

RECOUNT = f"""
INSERT INTO articles_publishedtally (category_id, total)
SELECT category_id, count(*) FROM articles_article WHERE {COUNTED} GROUP BY category_id
"""


STATEMENTS = {
    "postgresql": ([POSTGRESQL_FORWARD], [POSTGRESQL_BACKWARD]),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def forwards(apps, schema_editor):
    forward, _ = STATEMENTS[schema_editor.connection.vendor]
    for statement in [*forward, "DELETE FROM articles_publishedtally", RECOUNT]:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in STATEMENTS[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_admin_search_on_the_search_vector")]

    operations = [
        migrations.CreateModel(
            name="PublishedTally",
            fields=[
                (
                    "category",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.category",
                    ),
                ),
                ("total", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "published tally"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
