"""Small builders shared by the tests: make_category, make_author, make_article."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, Category

_counter = itertools.count(1)


@pytest.fixture
def make_category(db):
    def make(name=None, **overrides):
        name = name or f"Category {next(_counter)}"
        return services.category_create(name=name, **overrides)

    return make


@pytest.fixture
def make_author(db):
    def make(name=None, **overrides):
        return services.author_get_or_create(name=name or f"Author {next(_counter)}", **overrides)

    return make


@pytest.fixture
def make_article(db, make_category):
    """A published article from an hour ago unless told otherwise."""

    def make(**overrides):
        n = next(_counter)
        fields = {
            "title": f"Article number {n}",
            "standfirst": f"Standfirst of article {n}.",
            "body": f"<p>Body of article {n} about Baku and Ankara.</p>",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(hours=1),
        }
        fields.update(overrides)
        if "category" not in fields:
            fields["category"] = Category.objects.first() or make_category()
        return services.article_save(**fields)

    return make


@pytest.fixture
def seeded(db):
    """The committed seed fixtures, loaded."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
