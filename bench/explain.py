"""Print PostgreSQL's plans for the public pages' article queries, and flag sequential scans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digest_bench .venv/bin/python bench/explain.py

Runs EXPLAIN (ANALYZE, BUFFERS) on the queries behind the home, category (first page and page
5,000 of the biggest), tag, author, archive, related-articles and search pages, using the
querysets the views use. Exit status 1 if any plan scans articles_article sequentially.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings")
os.environ.setdefault("DIGEST_ALLOW_LOCAL_SECRET", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digest_bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Author, Category, Tag  # noqa: E402

PAGE = settings.DIGEST_PAGE_SIZE


def biggest(model, relation):
    return model.objects.annotate(n=Count(relation)).order_by("-n").first()


def queries():
    published = Article.objects.published()
    listing = published.for_cards().newest_first()
    category = (
        Category.objects.filter(parent__isnull=True)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    family = category.family_ids()
    tag = Tag.objects.filter(slug__startswith="demo-").order_by("pk")[10]
    author = Author.objects.filter(slug__startswith="demo-").order_by("pk").first()
    article = published.order_by("-published_at")[500]
    tag_ids = list(article.tags.values_list("pk", flat=True))
    day = (timezone.now() - timedelta(days=400)).date()
    words = search_words()
    yield "home (latest)", listing[:PAGE]
    yield f"category {category.slug} page 1", listing.filter(category_id__in=family)[:PAGE]
    offset = 4999 * PAGE
    yield (
        f"category {category.slug} page 5,000",
        listing.filter(category_id__in=family)[offset : offset + PAGE],
    )
    yield f"tag {tag.slug}", listing.tagged(tag)[:PAGE]
    yield f"author {author.slug}", listing.by_author(author)[:PAGE]
    yield f"archive {day}", listing.on_day(day)[:PAGE]
    yield "related articles", published.for_cards().related_to(article, tag_ids)
    yield f"search {words!r}", published.for_listing().search(words)[:PAGE]


def search_words():
    """A two-word query a reader might type: two words from one article's headline that
    appear together in a few dozen to a few thousand articles (BENCH_SEARCH overrides)."""
    if os.environ.get("BENCH_SEARCH"):
        return os.environ["BENCH_SEARCH"]
    titles = Article.objects.published().order_by("-pk").values_list("title", flat=True)
    for title in titles[:50]:
        words = [w.strip(".,").lower() for w in title.split() if len(w) > 4]
        for first, second in zip(words, words[1:], strict=False):
            query = f"{first} {second}"
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM articles_article WHERE search_vector"
                    " @@ websearch_to_tsquery('english', %s) LIMIT 5001) AS hits",
                    [query],
                )
                if 20 <= cursor.fetchone()[0] <= 5000:
                    return query
    return "energy corridor"


def main():
    if connection.vendor != "postgresql":
        raise SystemExit("explain.py needs PostgreSQL (set DATABASE_URL).")
    seq_scans = []
    for label, queryset in queries():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n=== {label} ===")
        print("\n".join(plan))
        if any("Seq Scan on articles_article" in line for line in plan):
            seq_scans.append(label)
    print()
    if seq_scans:
        print("SEQUENTIAL SCANS over articles in:", ", ".join(seq_scans))
        return 1
    print("No sequential scan over articles.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
