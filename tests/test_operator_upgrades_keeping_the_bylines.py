"""Upgrading to the ordered byline (migration 0017, issue 16) keeps every existing byline in
the order readers saw until then: by author name."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0016_reader_headline_flag")]
AFTER = [("articles", "0017_byline_order")]


@pytest.mark.django_db(transaction=True)
def test_existing_bylines_are_numbered_in_the_order_readers_saw():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        category = old.get_model("articles", "Category").objects.create(name="News", slug="news")
        author_model, article_model = (old.get_model("articles", m) for m in ("Author", "Article"))
        zeyneb, anar, leyla = (
            author_model.objects.create(name=name, slug=f"author-{n}")
            for n, name in enumerate(["Zeynəb Ə", "Anar B", "Leyla C"])
        )
        three = article_model.objects.create(title="Three", slug="three", category=category)
        three.authors.add(zeyneb, anar, leyla)
        alone = article_model.objects.create(title="Alone", slug="alone", category=category)
        alone.authors.add(zeyneb)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)

        new = executor.loader.project_state(AFTER).apps
        byline = new.get_model("articles", "Byline").objects.order_by("position")
        assert list(byline.filter(article_id=three.pk).values_list("author__name", "position")) == [
            ("Anar B", 0),
            ("Leyla C", 1),
            ("Zeynəb Ə", 2),
        ]
        assert list(byline.filter(article_id=alone.pk).values_list("position", flat=True)) == [0]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
