"""CPU per uncached page, in one process: what each lever of issue 21 saves.

    .venv/bin/python bench/miss_profile.py --database-url postgres://…/digest_perf
    .venv/bin/python bench/miss_profile.py --database-url … --profile article   # cProfile

Requests go through Django's test client with the production settings (DEBUG off, the whole
middleware stack, the page cache on Redis and stored into, as in production), so each row
counts the page cache's own work too. CPU, not wall time, because the machine is shared: the
process's own CPU (``time.process_time``) and that of the PostgreSQL backends serving the
database (``/proc/<pid>/stat``, as `bench/run.py`'s CPU column), divided by the requests.

Rows:

- ``article, crawler``: distinct, never-requested article addresses (plain URLs, each once,
  a random sample of the archive), as a crawler walks an archive: the article misses, while
  what every page shares (menu, identity, the sidebar) is warm from the earlier requests of
  the same content version.
- ``home`` / ``category``: the same page with a unique ``?_=…`` each time (the benchmark's
  cache-buster, a key parameter with ``DIGEST_BENCH_VIEWS``), as `make bench`'s uncached rows.
- ``after a publish`` (``--publish``): a new article is published through the services in a
  random sub-category, as `make bench` does (it leads the home page and its category), then
  the home page, its category and the article are each requested once: the first request
  after a publish, wall and CPU time.

Every answer must be a 200 that did not come from the page cache (``X-Page-Cache: hit``
is counted and printed: 0 or the row is void). The content version is renewed at the start,
so no page stored by an earlier run is served.
"""

import argparse
import cProfile
import os
import pstats
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _configure(database_url, cache_url):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digest.settings.production")
    os.environ["DATABASE_URL"] = database_url
    os.environ["CACHE_URL"] = cache_url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.update(
        DEBUG="0",
        DIGEST_BENCH_VIEWS="1",
        # One connection for the whole run, so its backend's CPU is the one measured.
        DB_CONN_MAX_AGE="3600",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=os.environ.get("STATIC_ROOT") or tempfile.mkdtemp(prefix="digest-static-"),
    )
    import django

    django.setup()
    import logging

    # Every request's log line would be written (and counted as CPU) otherwise.
    logging.getLogger("digest.request").setLevel(logging.WARNING)


def _ticks(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return sum(int(fields[i]) for i in (11, 12))


class Meter:
    """CPU seconds of this process and of the PostgreSQL backend serving its connection (the
    only one this process uses: the other backends of the database, a seed or another run,
    are not counted)."""

    def _backend(self):
        from django.db import connection

        connection.ensure_connection()
        return connection.connection.get_backend_pid()

    def start(self):
        self.pid = self._backend()
        self.app, self.database = time.process_time(), _ticks(self.pid)
        self.wall = time.perf_counter()

    def stop(self):
        app, wall = time.process_time() - self.app, time.perf_counter() - self.wall
        if self._backend() != self.pid:
            raise SystemExit("The database connection was replaced during a row: run again.")
        ticks = _ticks(self.pid) - self.database
        return app, ticks / os.sysconf("SC_CLK_TCK"), wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digest_bench"),
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12")
    )
    parser.add_argument("--requests", type=int, default=300, help="per row (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="rows measured this often; median")
    parser.add_argument("--rows", default="article,home,category", help="which rows")
    parser.add_argument("--publish", type=int, default=0, help="after-a-publish rounds")
    parser.add_argument(
        "--profile",
        default="",
        help="cProfile this row, print the top (publish:home, publish:category, publish:article:"
        " the first request after a publish)",
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--warm", action="store_true", help="read the database into the file cache first"
    )
    parser.add_argument("--show-sql", action="store_true", help="print each row's statements")
    args = parser.parse_args()
    _configure(args.database_url, args.cache_url)
    if args.warm:
        from _database import warm_database

        warm_database(args.database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.http import urlencode

    from articles.models import Article, Category
    from pagecache import state

    call_command("collectstatic", interactive=False, verbosity=0)
    rng = random.Random(args.seed)
    published = Article.objects.published()
    ids = list(published.values_list("pk", flat=True))
    if len(ids) < 50:
        raise SystemExit("Too few published articles: run seed_demo first.")
    rng.shuffle(ids)
    categories = [
        c.get_absolute_url() for c in Category.objects.filter(parent__isnull=True, is_in_menu=True)
    ]
    client = Client()
    meter = Meter()
    hits = {"count": 0}

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if response.get("X-Page-Cache") == "hit":
            hits["count"] += 1
        return response

    def article_urls(n):
        chosen = [ids.pop() for _ in range(min(n, len(ids)))]
        rows = dict(published.filter(pk__in=chosen).select_related("category").in_bulk())
        return [rows[pk].get_absolute_url() for pk in chosen if pk in rows]

    def unique(url):
        return f"{url}?_={secrets.token_hex(6)}"

    def urls_for(row, n):
        if row == "article":
            return article_urls(n)
        if row == "home":
            return [unique("/") for _ in range(n)]
        if row == "category":
            return [unique(categories[i % len(categories)]) for i in range(n)]
        if row == "search":
            # make bench's query (bench/explain.py), uncached as its search row asks it.
            from explain import search_words  # after Django's setup: it reads the database

            query = urlencode({"q": search_words()})
            return [f"/search/?{query}&_={secrets.token_hex(6)}" for _ in range(n)]
        raise SystemExit(f"unknown row {row}")

    state.content_changed()
    # Warm up what every page of a content version shares (menu, identity, sidebar, the
    # templates), as a serving process has: none of these addresses is measured.
    for row in ("home", "category", "article"):
        for url in urls_for(row, 20):
            get(url)

    rows = [row for row in args.rows.split(",") if row]
    statements = {}
    for row in rows:
        url = urls_for(row, 1)[0]
        with CaptureQueriesContext(connection) as queries:
            get(url)
        statements[row] = len(queries)
        if args.show_sql:
            print(f"--- {row}: {len(queries)} statements")
            for query in queries:
                print(f"  {query['sql']}\n")

    results = {row: [] for row in rows}
    for _ in range(args.rounds):
        for row in rows:
            urls = urls_for(row, args.requests)
            hits["count"] = 0
            profiler = cProfile.Profile() if row == args.profile else None
            meter.start()
            if profiler:
                profiler.enable()
            for url in urls:
                get(url)
            if profiler:
                profiler.disable()
            app, database, wall = meter.stop()
            n = len(urls)
            results[row].append(
                (app * 1000 / n, database * 1000 / n, wall * 1000 / n, hits["count"])
            )
            if profiler:
                stats = pstats.Stats(profiler).strip_dirs()
                stats.sort_stats("tottime").print_stats(30)
                stats.sort_stats("cumulative").print_stats(40)

    print(
        f"\n{Article.objects.count():,} articles; {args.requests} uncached requests per row,"
        f" median of {args.rounds} rounds; load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| page, uncached | CPU ms/request (app + PostgreSQL) | wall ms | SQL | cache hits |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        app = statistics.median(r[0] for r in results[row])
        database = statistics.median(r[1] for r in results[row])
        wall = statistics.median(r[2] for r in results[row])
        hit = sum(r[3] for r in results[row])
        label = "article, crawler (distinct URLs)" if row == "article" else row
        print(
            f"| {label} | {app + database:.1f} ({app:.1f} + {database:.1f}) | {wall:.1f}"
            f" | {statements[row]} | {hit} |"
        )

    if args.publish:
        publish_rounds(args.publish, get, meter, ids, rng, args.profile)


def publish_rounds(rounds, get, meter, ids, rng, profile=""):
    """The first home, category and article request after an article is published again."""
    from django.utils import timezone

    from articles import services
    from articles.models import Article, Category

    figures = {"home": [], "category": [], "article": []}
    profiler = cProfile.Profile() if profile.startswith("publish:") else None
    sub_categories = list(Category.objects.filter(parent__isnull=False))
    for _ in range(rounds):
        # As bench/run.py does, and an editor: a new article, published now, so it leads the
        # home page and its category.
        article = services.article_save(
            title=f"Benchmark publication {rng.randrange(10**9)}",
            body="<p>Published by the benchmark to measure the first requests after it.</p>",
            category=rng.choice(sub_categories),
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        article = Article.objects.select_related("category").get(pk=article.pk)
        for name, url in (
            ("home", "/"),
            ("category", article.category.get_absolute_url()),
            ("article", article.get_absolute_url()),
        ):
            profiled = profiler is not None and profile == f"publish:{name}"
            meter.start()
            if profiled:
                profiler.enable()
            get(url)
            if profiled:
                profiler.disable()
            app, database, wall = meter.stop()
            figures[name].append((app * 1000, database * 1000, wall * 1000))
    if profiler is not None:
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(60)
    print(f"\nFirst request after a publish, median of {rounds}:\n")
    print("| page | CPU ms (app + PostgreSQL) | wall ms |")
    print("| --- | ---: | ---: |")
    for name, values in figures.items():
        app = statistics.median(v[0] for v in values)
        database = statistics.median(v[1] for v in values)
        wall = statistics.median(v[2] for v in values)
        print(f"| {name} | {app + database:.1f} ({app:.1f} + {database:.1f}) | {wall:.1f} |")


if __name__ == "__main__":
    main()
