"""The admin's search at a million articles (issue 6): the change list matches the search vector
or a fragment of the title (``title__icontains``), and with no index for the fragment
PostgreSQL scanned every row, matching each one's vector too: 3.7 s a query, twice a page (the
count and the rows). A trigram index on the upper-cased title (the expression ``icontains``
compares) lets both conditions come from indexes (a BitmapOr): 5 ms.

pg_trgm ships with PostgreSQL and is a trusted extension (13 and later): the database's owner
may create it. Where it cannot be created, the index is left out with a warning and search
works as before, only slower. SQLite: nothing to do.
"""

import sys

from django.db import DatabaseError, migrations, transaction

INDEX = "article_title_trgm_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0]
        sys.stderr.write(
            f"\n  Warning: pg_trgm cannot be created here ({first_line}); the admin's title "
            "search goes without its index.\n"
        )
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article "
        "USING gin (upper(title::text) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_issue6_link_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
