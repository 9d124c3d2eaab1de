"""The byline keeps its order (issue 16, item 8): the link between an article and its authors
becomes a model of its own, `Byline`, with a `position`.

The table stays the one Django made for the link (`articles_article_authors`, with its rows and
indexes, 0008's included); only the model over it is declared (state only), then the column is
added. The existing rows are numbered in the order readers saw until now: by author name (as
`Author.Meta.ordering`, in the database's collation), then id. One UPDATE for the lot, in SQL
both PostgreSQL and SQLite (3.33+) run; an article with one author keeps the default 0.
"""

import django.db.models.deletion
from django.db import migrations, models

NUMBER_IN_TODAYS_ORDER = """
UPDATE articles_article_authors SET "position" = ranked.n - 1
FROM (
    SELECT link.id, ROW_NUMBER() OVER (
        PARTITION BY link.article_id ORDER BY author.name, author.id
    ) AS n
    FROM articles_article_authors AS link
    JOIN articles_author AS author ON author.id = link.author_id
) AS ranked
WHERE articles_article_authors.id = ranked.id AND ranked.n > 1
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_reader_headline_flag")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Byline",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="bylines",
                                to="articles.article",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="bylines",
                                to="articles.author",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_article_authors",
                        # What Django's own link table has: one row per article and author.
                        "unique_together": {("article", "author")},
                    },
                ),
                migrations.AlterField(
                    model_name="article",
                    name="authors",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="The byline, e.g. AzeMedia, in its order.",
                        related_name="articles",
                        through="articles.Byline",
                        to="articles.author",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="byline",
            name="position",
            field=models.PositiveSmallIntegerField(
                db_default=0,
                default=0,
                help_text="The author's place in the byline, 0 first.",
            ),
        ),
        migrations.RunSQL(NUMBER_IN_TODAYS_ORDER, migrations.RunSQL.noop, elidable=False),
        migrations.AlterUniqueTogether(name="byline", unique_together=set()),
        migrations.AddConstraint(
            model_name="byline",
            constraint=models.UniqueConstraint(
                fields=("article", "author"), name="author_once_per_byline"
            ),
        ),
        migrations.AlterModelOptions(
            name="byline",
            options={"verbose_name": "byline", "verbose_name_plural": "bylines"},
        ),
    ]
