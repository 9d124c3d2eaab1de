"""Where an uncached page's time goes, in one process: the floor under target 3 of issue 6.

    .venv/bin/python bench/miss_cost.py            # on the digest_bench database of make bench

Each row is the mean time of a request through Django's test client with the production
settings (DEBUG off, the whole middleware stack, the page cache on Redis), every request with
a unique ``?_=…`` so that it misses the page cache and is stored, as `make bench`'s
"uncached" rows do. The rows go from the bare view (the benchmark's floor) to the real pages,
adding one kind of work at a time:

- a ready page: the home page's bytes, returned by a view that does nothing, so the row is
  what the middleware and storing a page cost;
- the same plus the home page's own SQL statements, replayed as they were sent, so the row
  is the least any page that reads the database on a miss can cost (no ORM, no template);
- the home, category and article pages themselves.

"bare ÷ row" is the share of the bare view's requests/s that a page costing that much could
reach on the same cores, if nothing else (PostgreSQL's own CPU, gunicorn) were counted.
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.production")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digest_bench")
os.environ.setdefault("CACHE_URL", os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/6"))
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.update(
    DEBUG="0",
    DIGEST_BENCH_VIEWS="1",
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    LOG_LEVEL="WARNING",
    STATIC_ROOT=os.environ.get("STATIC_ROOT") or tempfile.mkdtemp(prefix="digest-static-"),
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

from articles.models import Article, Category  # noqa: E402

READY = {"page": b"", "statements": []}


def ready_page(request):
    return HttpResponse(READY["page"])


def replayed_queries(request):
    with connection.cursor() as cursor:
        for statement in READY["statements"]:
            cursor.execute(statement)
            cursor.fetchall()
    return HttpResponse(READY["page"])


# This module is the URLconf while it measures: the site's, plus the two rows' views.
urlpatterns = [
    path("miss-cost/ready/", ready_page),
    path("miss-cost/replayed/", replayed_queries),
    path("", include("digest.urls")),
]


def miss(client, url):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}_={secrets.token_hex(6)}")
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def mean_ms(client, url, requests):
    for _ in range(max(5, requests // 10)):
        miss(client, url)
    started = time.perf_counter()
    for _ in range(requests):
        miss(client, url)
    return (time.perf_counter() - started) / requests * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="per row (default 300)")
    args = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0)
    article = Article.objects.published().select_related("category").newest_first().first()
    category = Category.objects.filter(parent__isnull=True).order_by("menu_order").first()
    if article is None or category is None:
        raise SystemExit("No published articles: run make bench (or seed_demo) first.")
    with override_settings(ROOT_URLCONF=__name__):
        client = Client()
        miss(client, "/")
        with CaptureQueriesContext(connection) as queries:
            READY["page"] = miss(client, "/").content
        READY["statements"] = [query["sql"] for query in queries]
        rows = [
            ("bare Django view (32 KB template, not stored)", "/bench/bare/"),
            (f"ready {len(READY['page']) // 1024} KB page, missed and stored", "/miss-cost/ready/"),
            (f"+ the home page's {len(queries)} SQL statements, replayed", "/miss-cost/replayed/"),
            ("home page", "/"),
            (f"category page {category.get_absolute_url()}", category.get_absolute_url()),
            ("article page", article.get_absolute_url()),
        ]
        results = [(label, mean_ms(client, url, args.requests)) for label, url in rows]
    bare = results[0][1]
    print(f"{Article.objects.count():,} articles; {args.requests} uncached requests per row\n")
    print("| request | ms | bare ÷ row |")
    print("| --- | ---: | ---: |")
    for label, ms in results:
        print(f"| {label} | {ms:.2f} | {bare / ms:.0%} |")


if __name__ == "__main__":
    main()
