"""The outage drills (issue 16): the production stack on loopback, loaded while its parts fail.

    .venv/bin/python bench/reliability.py [--threads 8] [--before 3] [--during 6] [--after 4]

Starts its own PostgreSQL cluster (initdb into a temporary directory), its own Redis, gunicorn
with gunicorn.conf.py (production settings, DEBUG off) and nginx with the production template
(bench/stack.py), on ports 8520-8523; migrates and loads the seed. Then for each drill —
database stopped, database frozen (SIGSTOP), Redis stopped, Redis frozen — it sends requests
through nginx from a few threads (half of them pages readers keep asking for: home, an article,
the feed; half searches nobody asked before, which must read the database), breaks the part
for ``--during`` seconds, mends it, and prints per second the status codes and the p50 and
max latency. Everything it started is stopped at the end. Nothing touches the machine's own
PostgreSQL or Redis.
"""

import argparse
import collections
import itertools
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack  # noqa: E402

PG_PORT, REDIS_PORT, APP_PORT, NGINX_PORT = 8520, 8521, 8522, 8523


class Load:
    """Threads sending requests until stopped; each answer is kept as (second, status, ms)."""

    def __init__(self, base, pages, threads):
        self.base, self.pages, self.threads = base, pages, threads
        self.results = []
        self.lock = threading.Lock()
        self.running = False
        self.counter = itertools.count()

    def _worker(self):
        while self.running:
            n = next(self.counter)
            path = self.pages[n % len(self.pages)] if n % 2 else f"/search/?q=drill{n}"
            status, _, _, took = stack.get(self.base, path, {"X-Forwarded-Proto": "https"}, 15)
            with self.lock:
                self.results.append((time.monotonic() - self.started, status, took * 1000))

    def start(self):
        self.started, self.running, self.results = time.monotonic(), True, []
        self.pool = [
            threading.Thread(target=self._worker, daemon=True) for _ in range(self.threads)
        ]
        for thread in self.pool:
            thread.start()

    def stop(self):
        self.running = False
        for thread in self.pool:
            thread.join(timeout=20)
        return self.results


def report(name, results, broken_at, mended_at):
    print(f"\n{name} (broken from {broken_at:.0f} s to {mended_at:.0f} s)")
    print("  second  part     answers by status                 p50 ms   max ms")
    by_second = collections.defaultdict(list)
    for second, status, ms in results:
        by_second[int(second)].append((status, ms))
    for second in sorted(by_second):
        rows = by_second[second]
        counts = collections.Counter(status for status, _ in rows)
        text = "  ".join(f"{status or 'err'}: {n}" for status, n in sorted(counts.items()))
        latencies = [ms for _, ms in rows]
        part = "broken" if broken_at <= second < mended_at else "ok"
        print(
            f"  {second:>6}  {part:<7}  {text:<32}  {statistics.median(latencies):>6.1f}"
            f"  {max(latencies):>7.1f}"
        )


def drill(name, load, break_part, mend_part, args):
    load.start()
    time.sleep(args.before)
    broken_at = time.monotonic() - load.started
    break_part()
    time.sleep(args.during)
    mended_at = time.monotonic() - load.started
    mend_part()
    time.sleep(args.after)
    report(name, load.stop(), broken_at, mended_at)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--before", type=float, default=3)
    parser.add_argument("--during", type=float, default=6)
    parser.add_argument("--after", type=float, default=4)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="digest-drills-"))
    postgres = stack.Postgres(port=PG_PORT)
    redis = stack.Redis(tmp / "redis", port=REDIS_PORT)
    parts = []
    try:
        print("Starting PostgreSQL and Redis of our own, migrating, loading the seed…", flush=True)
        parts += [postgres.start(), redis.start()]
        postgres.create_database("digest_drills")
        env = stack.production_env(
            tmp,
            database_url=postgres.url("digest_drills"),
            cache_url=redis.url,
            port=APP_PORT,
            WEB_CONCURRENCY=args.workers,
        )
        stack.manage(env, "migrate", "--noinput")
        stack.manage(env, "load_seed")
        stack.manage(env, "collectstatic", "--noinput", "-v0")
        gunicorn = stack.Gunicorn(env, tmp / "gunicorn.log").start()
        nginx = stack.Nginx(tmp / "nginx", APP_PORT, port=NGINX_PORT).start()
        parts += [gunicorn, nginx]
        article = stack.manage(
            env, "shell", "-v0", "-c",
            "from articles.models import Article; "
            "print(Article.objects.published().first().get_absolute_url())",
        ).stdout.strip()  # fmt: skip
        pages = ["/", article, "/feeds/rss/"]
        for _ in range(20):
            for page in pages:
                stack.get(nginx.base, page, {"X-Forwarded-Proto": "https"})
        print(
            f"gunicorn {args.workers} workers on :{APP_PORT}, nginx on :{NGINX_PORT}, "
            f"{args.threads} client threads; odd requests: {', '.join(pages)}; even ones: "
            "a search nobody asked before (needs the database)."
        )
        load = Load(nginx.base, pages, args.threads)
        drill("database stopped", load, postgres.stop, postgres.start, args)
        drill("database frozen (SIGSTOP)", load, postgres.freeze, postgres.thaw, args)
        drill("Redis stopped", load, redis.stop, redis.start, args)
        drill("Redis frozen (SIGSTOP)", load, redis.freeze, redis.thaw, args)
    finally:
        for part in reversed(parts):
            try:
                part.stop()
            except Exception as error:  # noqa: BLE001 — stop the rest all the same
                print(f"could not stop {part}: {error}")
        postgres.remove()


if __name__ == "__main__":
    main()
