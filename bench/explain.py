"""Print PostgreSQL's plans for every query the public pages run, and flag sequential scans.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digest_bench .venv/bin/python bench/explain.py

Requests the home, category (first page and page 5,000 of the biggest), tag, author, source,
archive, article (with its related articles) and search pages through Django's test client,
with the page cache off, records the SQL each one runs and shows EXPLAIN (ANALYZE, BUFFERS)
of each statement, slowest first. ``--plans`` prints every plan, not just the slowest of each
page. Exit status 1 if any plan scans articles_article (or its tag table) sequentially.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Development settings: DEBUG on, so templates find static files without collectstatic.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.development")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digest_bench")
os.environ["PAGECACHE_ENABLED"] = "0"
os.environ.setdefault("DEBUG", "1")  # templates find static files without collectstatic

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from articles import search  # noqa: E402
from articles.models import Article, Author, Category, Source, Tag  # noqa: E402

SCANNED_TABLES = ("articles_article", "articles_taggedarticle", "articles_article_authors")


def pages():
    """(label, URL) of each public page to explain, picked from the database."""
    published = Article.objects.published()
    category = (
        Category.objects.filter(parent__isnull=True)
        .annotate(n=Count("children"))
        .order_by("-n", "pk")
        .first()
    )
    article = published.select_related("category").order_by("-published_at")[500]
    tag = Tag.objects.filter(slug__startswith="demo-").order_by("pk")[10:11].first()
    author = Author.objects.filter(slug__startswith="demo-").order_by("pk").first()
    source = Source.objects.filter(slug__startswith="demo-").order_by("pk").first()
    day = timezone.localdate() - timedelta(days=400)
    words = search_words()
    yield "home", "/"
    yield f"category {category.slug} page 1", category.get_absolute_url()
    yield f"category {category.slug} page 5,000", category.get_absolute_url() + "?page=5000"
    if tag:
        yield f"tag {tag.slug}", tag.get_absolute_url()
    if author:
        yield f"author {author.slug}", author.get_absolute_url()
    if source:
        yield f"source {source.slug}", source.get_absolute_url()
    yield f"archive {day}", f"/archive/{day.year}/{day.month:02d}/{day.day:02d}/"
    yield "article (related, new, previous/next)", article.get_absolute_url()
    yield f"search {words!r}", "/search/?" + urlencode({"q": words})


def search_words():
    """A two-word query a reader might type: two words from one article's headline that
    appear together in a few dozen to a few thousand articles (BENCH_SEARCH overrides). The
    benchmarks' own publications are left out: their two words match only each other."""
    if os.environ.get("BENCH_SEARCH"):
        return os.environ["BENCH_SEARCH"]
    # Not the benchmarks' own publications ("Benchmark publication 123"): a reader's words.
    titles = (
        Article.objects.published()
        .exclude(title__startswith="Benchmark publication")
        .order_by("-pk")
        .values_list("title", flat=True)
    )
    for title in titles[:50]:
        words = [w.strip(".,").lower() for w in title.split() if len(w) > 4]
        for first, second in zip(words, words[1:], strict=False):
            query = f"{first} {second}"
            parsed = search.parse(query)
            if parsed is None:
                continue
            with connection.cursor() as cursor:
                # The site's own query (articles.search), as the search page asks it.
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM articles_article WHERE search_vector"
                    " @@ to_tsquery(%s, %s) LIMIT 5001) AS hits",
                    [search.CONFIG, search.tsquery(parsed)],
                )
                if 20 <= cursor.fetchone()[0] <= 5000:
                    return query
    return "energy corridor"


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def execution_ms(plan):
    for line in reversed(plan):
        if line.startswith("Execution Time:"):
            return float(line.split()[2])
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", action="store_true", help="print every statement's plan")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("explain.py needs PostgreSQL (set DATABASE_URL).")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    scans = []
    print(f"{Article.objects.count():,} articles")
    for label, url in pages():
        client.get(url, secure=True)  # warm the caches the page would have in service
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            elapsed = (time.perf_counter() - started) * 1000
        statements = [q["sql"] for q in captured.captured_queries]
        plans = [(sql, explain(sql)) for sql in statements]
        plans.sort(key=lambda item: -execution_ms(item[1]))
        print(
            f"\n=== {label}: {url} → {response.status_code}, {elapsed:.0f} ms, "
            f"{len(statements)} queries, slowest {execution_ms(plans[0][1]) if plans else 0:.1f} ms"
        )
        for number, (sql, plan) in enumerate(plans):
            if args.plans or number == 0:
                print(sql[:300] + ("…" if len(sql) > 300 else ""))
                print("\n".join(plan))
            for table in SCANNED_TABLES:
                if any(f"Seq Scan on {table}" in line for line in plan):
                    scans.append(f"{label} ({table})")
                    if not (args.plans or number == 0):
                        print(sql[:300])
                        print("\n".join(plan))
    print()
    if scans:
        print("SEQUENTIAL SCANS in:", ", ".join(scans))
        return 1
    print("No sequential scan over articles or their tags and bylines.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
