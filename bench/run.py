"""The page benchmark: gunicorn (production configuration) on PostgreSQL and Redis, nginx in
front, loaded with wrk over loopback. Prints requests/s, p50 and p99 for each page, cached and
uncached, and the ratio of each to a bare Django template view served by the same gunicorn
(measured before, between and after the Django pages; the mean of the three is the floor).

    make bench                       # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --duration 10 --connections 32 --articles 1000000

Needs PostgreSQL (DATABASE_URL, default the digest_bench database, created when missing),
Redis (BENCH_CACHE_URL, default db 6), /usr/bin/wrk and nginx. The database is migrated and
given the seed content, and seed_demo tops it up to ``--articles`` (default a million, about
6 to 14 minutes the first time on a 2-core machine; later runs reuse it).

"Uncached" requests add a unique query parameter (``?_=…``) so every request misses the page
cache and renders (the cards, menu and site identity that other pages rendered under the same
content version come from the process's memory: pagecache.fragments); "uncached, 2,000
articles" asks for a different article each time, so little of a page was rendered before;
"cached" requests repeat one URL, so after the warm-up they are page-cache hits. Pages through
nginx use the production template (deploy/nginx), whose micro-cache keeps pages for as long as
the app's Cache-Control allows.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess  # nosec B404: the benchmark drives gunicorn, nginx and wrk
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _database import ensure_database, warm_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# Three ports from BENCH_PORT (default 8601): gunicorn, nginx, the static file server.
_PORT = int(os.environ.get("BENCH_PORT", "8601"))
DJANGO_PORT, NGINX_PORT, STATIC_PORT = _PORT, _PORT + 1, _PORT + 2

# Uncached requests: every thread sends its own sequence (`id` is a global the thread's Lua
# state gets from setup(); a chunk-level `local` would shadow it, and both threads would ask
# for the same URLs), under a nonce of this run (so a sequence never repeats a page an earlier
# run stored), and every answer the page cache served is counted (it must be none).
LUA_COUNTING = """
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
init = function(args)
  counter = 0
  hits = 0
end
response = function(status, headers, body)
  if headers["X-Page-Cache"] == "hit" or headers["x-page-cache"] == "hit" then
    hits = hits + 1
  end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("hits") end
  io.write(string.format("PAGECACHE_HITS %%d\\n", total))
end
"""
LUA_UNIQUE = (
    LUA_COUNTING
    + """
local paths = {%s}
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, path .. sep .. "_=" .. "%s" .. "-" .. id .. "-" .. counter)
end
"""
)
# A crawler: plain addresses, each asked once (thread *id* of *n* takes every n-th of them).
LUA_CRAWL = (
    LUA_COUNTING
    + """
local paths = {%s}
local stride = %d
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[((counter - 1) * stride + id - 1) %% #paths + 1])
end
"""
)
LUA_ROTATE = """
local counter = 0
local paths = {%s}
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[(counter %% #paths) + 1])
end
"""


def environment(args, tmp):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        # What production runs, minus HTTPS (loopback, plain HTTP).
        DJANGO_SETTINGS_MODULE="digest.settings.production",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(tmp / "static"),
        DIGEST_BENCH_VIEWS="1",
        GUNICORN_BIND=f"127.0.0.1:{DJANGO_PORT}",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="600",
    )
    env.setdefault("WEB_CONCURRENCY", "5")
    return env


def manage(env, *argv, quiet=True):
    subprocess.run(  # nosec B603: our own manage.py
        [PYTHON, "manage.py", *argv],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def django_query(env, code):
    out = subprocess.run(  # nosec B603: our own manage.py
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()


def prepare(args, env):
    ensure_database(args.database_url)
    print("Preparing the database (migrate, seed content)…", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_seed")
    manage(env, "collectstatic", "--noinput")
    count = int(
        django_query(env, "from articles.models import Article; print(Article.objects.count())")[0]
    )
    if args.articles and count < args.articles:
        print(f"Seeding {args.articles - count:,} demo articles…", flush=True)
        started = time.monotonic()
        manage(env, "seed_demo", "--articles", str(args.articles - count), quiet=False)
        print(f"Seeded in {time.monotonic() - started:,.0f} s.", flush=True)
        count = args.articles
    warm_database(args.database_url)
    return count


def pick_urls(env):
    code = """
import sys
sys.path.insert(0, 'bench')
from explain import search_words
from django.db.models import Count
from articles.models import Article, Category
published = Article.objects.published()
tops = Category.objects.filter(parent__isnull=True)
category = tops.annotate(n=Count('children')).order_by('-n').first()
print(category.get_absolute_url())
for article in published.select_related('category').order_by('-published_at')[:6000:3]:
    print(article.get_absolute_url())
print('SEARCH', search_words())
crawl = published.select_related('category').only('slug', 'category__slug').order_by('?')
for article in crawl[:30000]:
    print('CRAWL', article.get_absolute_url())
"""
    lines = django_query(env, code)
    crawl = [line[len("CRAWL ") :] for line in lines if line.startswith("CRAWL ")]
    lines = [line for line in lines if not line.startswith("CRAWL ")]
    search = lines.pop()[len("SEARCH ") :]
    category = lines.pop(0)
    return category, lines, search, crawl


PUBLISH = """
import random
from django.utils import timezone
from articles import services
from articles.models import Article, Category
category = random.choice(list(Category.objects.filter(parent__isnull=False)))
article = services.article_save(
    title=f"Benchmark publication {random.randrange(10**9)}",
    body="<p>Published by the benchmark to measure the first requests after a change.</p>",
    category=category,
    status=Article.Status.PUBLISHED,
    published_at=timezone.now(),
)
print(category.get_absolute_url())
print(article.get_absolute_url())
"""


def first_after_publish(env, base, rounds):
    """Publish an article (as an editor would, through the service), then time the first
    request for the home page, the article's category and the article; the median of
    *rounds*."""
    times = {"home": [], "category": [], "article": []}
    for _ in range(rounds):
        category, article = django_query(env, PUBLISH)
        for name, path in (("home", "/"), ("category", category), ("article", article)):
            started = time.perf_counter()
            urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310 # nosec B310: loopback
            times[name].append((time.perf_counter() - started) * 1000)
    return {
        f"{name}, first request after a publication": sorted(values)[len(values) // 2]
        for name, values in times.items()
    }


def start(cmd, env, log):
    return subprocess.Popen(  # nosec B603: servers the benchmark starts itself
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback) # nosec B310
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def nginx_config(tmp, env):
    """The production nginx template, rendered, plus a static file server for comparison."""
    render = {
        "DIGEST_UPSTREAM": f"127.0.0.1:{DJANGO_PORT}",
        "NGINX_PORT": str(NGINX_PORT),
        "MEDIA_ROOT": str(tmp / "media"),
        "NGINX_CACHE_DIR": str(tmp / "nginx-cache"),
        "SESSION_COOKIE_NAME": "sessionid",
    }
    template = (ROOT / "deploy" / "nginx" / "digest.conf.template").read_text()
    for name, value in render.items():
        template = template.replace("${" + name + "}", value)
    (tmp / "digest.conf").write_text(template)
    (tmp / "media").mkdir(exist_ok=True)
    static = tmp / "static-files"
    static.mkdir(exist_ok=True)
    bare = urllib.request.urlopen(  # noqa: S310 (loopback) # nosec B310
        f"http://127.0.0.1:{DJANGO_PORT}/bench/bare/", timeout=10
    ).read()
    (static / "bare.html").write_bytes(bare)
    config = f"""
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client-body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include /etc/nginx/mime.types;
    include {tmp}/digest.conf;
    server {{
        listen 127.0.0.1:{STATIC_PORT};
        root {static};
    }}
}}
"""
    (tmp / "nginx.conf").write_text(config)
    return tmp / "nginx.conf", len(bare)


def wrk(url, *, duration, connections, threads=2, script=None):
    # A reader's browser waits far longer than wrk's default 2 s: a slow answer is measured
    # (p99) rather than dropped and counted as an error.
    cmd = ["wrk", "--latency", "--timeout", "10s", f"-t{threads}", f"-c{connections}"]
    cmd.append(f"-d{duration}s")
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout  # nosec B603: wrk against loopback
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    hits = re.search(r"PAGECACHE_HITS (\d+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = int(bad.group(1)) if bad else 0
    socket_errors = sum(int(n) for n in errors.groups()) if errors else 0
    return {
        "rps": rps,
        "p50": percentile(50),
        "p99": percentile(99),
        "bad": failures,
        "socket": socket_errors,
        "requests": requests,
        "hits": int(hits.group(1)) if hits else None,
    }


def lua(tmp, name, template, paths, *extra):
    path = tmp / f"{name}.lua"
    path.write_text(template % (", ".join(f'"{p}"' for p in paths), *extra))
    return str(path)


def cpu_seconds(pid):
    """User + system CPU of process *pid* and of its children it has reaped, in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # After the name: state is fields[0], utime [11], stime [12], cutime [13], cstime [14].
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    return ticks / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU spent by the gunicorn master and workers (their process group) and by the
    PostgreSQL backends serving the benchmark's database, between `start()` and `stop()`."""

    def __init__(self, gunicorn_pid, database_url):
        import psycopg2

        self.group = gunicorn_pid
        self.connection = psycopg2.connect(database_url)
        self.connection.autocommit = True

    def _app(self):
        total = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.group:
                        total += cpu_seconds(entry.name)
                except (ProcessLookupError, PermissionError):
                    continue
        return total

    def _backends(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            return {pid: cpu_seconds(pid) for (pid,) in cursor.fetchall()}

    def start(self):
        self.app, self.database = self._app(), self._backends()

    def stop(self):
        app = self._app() - self.app
        database = sum(
            seconds - self.database.get(pid, 0.0) for pid, seconds in self._backends().items()
        )
        return app, database


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--articles",
        type=int,
        default=1_000_000,
        help="seed_demo tops the database up to this many articles first (default 1,000,000;"
        " 0: as it is)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digest_bench"),
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/6")
    )
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"bench needs {tool} (apt-get install {tool})")

    tmp = Path(tempfile.mkdtemp(prefix="digest-bench-"))
    tmp.chmod(0o755)  # nginx's workers (not root) read the static file from here
    env = environment(args, tmp)
    articles = prepare(args, env)
    category, article_urls, search, crawl_urls = pick_urls(env)
    asked = set(article_urls)  # the other rows ask for these: the crawler never does
    crawl_urls = [url for url in crawl_urls if url not in asked]
    print(f"{articles:,} articles; category {category}; search {search!r}", flush=True)

    processes = []
    log = open(tmp / "servers.log", "w")  # noqa: SIM115 (closed at the end)
    try:
        processes.append(start([GUNICORN, "-c", "gunicorn.conf.py", "digest.wsgi"], env, log))
        base = f"http://127.0.0.1:{DJANGO_PORT}"
        wait_for(base + "/bench/bare/")
        config, size = nginx_config(tmp, env)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        processes.append(start([nginx, "-c", str(config), "-g", "daemon off;"], env, log))
        front = f"http://127.0.0.1:{NGINX_PORT}"
        wait_for(f"http://127.0.0.1:{STATIC_PORT}/bare.html")
        wait_for(front + "/")

        quoted = urllib.request.quote(search)
        pages = {
            "home": ["/"],
            "category": [category],
            "article": article_urls[:50],
            "search": [f"/search/?q={quoted}"],
            "feed": ["/feeds/rss/"],
        }
        run = {"duration": args.duration, "connections": args.connections}
        rows = []
        meter = CpuMeter(processes[0].pid, args.database_url)
        nonce = secrets.token_hex(4)  # with each row's name: no two rows share an address

        def measure(label, url, script=None, **options):
            meter.start()
            result = wrk(url, script=script, **{**run, **options})
            app, database = meter.stop()
            requests = max(result["requests"], 1)
            result["cpu_app"], result["cpu_db"] = app * 1000 / requests, database * 1000 / requests
            rows.append((label, result))
            hits = "" if result["hits"] is None else f"  hits {result['hits']}"
            print(
                f"  {label:<38} {result['rps']:>9,.0f} req/s  p50 {result['p50']:>7.1f} ms"
                f"  p99 {result['p99']:>7.1f} ms  CPU {result['cpu_app'] + result['cpu_db']:.1f}"
                f" ms/req{hits}",
                flush=True,
            )
            return result

        print("Warming up…", flush=True)
        for paths in pages.values():
            for path in paths:
                urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310 # nosec B310: loopback
                urllib.request.urlopen(front + path, timeout=60).read()  # noqa: S310 # nosec B310: loopback
        wrk(base + "/bench/bare/", duration=3, connections=args.connections)

        print(f"Measuring ({args.duration} s each, {args.connections} connections):", flush=True)
        # The floor is measured before, between and after the Django pages, and their mean is
        # what each page is compared with: this machine's speed drifts within minutes.
        floors = [measure("bare Django view (32 KB template)", base + "/bench/bare/")]
        for name, paths in pages.items():
            measure(
                f"{name}, Django, cached", base + paths[0], lua(tmp, f"{name}-c", LUA_ROTATE, paths)
            )
        floors.append(measure("bare Django view, again", base + "/bench/bare/"))
        for name, paths in pages.items():
            measure(
                f"{name}, Django, uncached",
                base + paths[0],
                lua(tmp, f"{name}-u", LUA_UNIQUE, paths, f"{nonce}{name}"),
            )
        # Each request another of 2,000 articles: no two share much beyond the menu.
        measure(
            "article, uncached, 2,000 articles",
            base + article_urls[0],
            lua(tmp, "articles-u", LUA_UNIQUE, article_urls[:2000], f"{nonce}articles"),
        )
        # A crawler: plain addresses of articles nobody asked for in this run, each once.
        measure(
            "article, crawler (distinct URLs)",
            base + crawl_urls[0],
            lua(tmp, "crawl", LUA_CRAWL, crawl_urls, 2),
        )
        floors.append(measure("bare Django view, a third time", base + "/bench/bare/"))
        bare = {"rps": sum(floor["rps"] for floor in floors) / len(floors)}
        static = measure(
            f"nginx static file ({size // 1024} KB)", f"http://127.0.0.1:{STATIC_PORT}/bare.html"
        )
        for name in ("home", "category", "article"):
            paths = pages[name]
            measure(
                f"{name}, nginx micro-cache",
                front + paths[0],
                lua(tmp, f"{name}-n", LUA_ROTATE, paths),
            )
        print("Single reader (1 connection):", flush=True)
        single = {"connections": 1, "threads": 1}
        measure(
            "search, uncached, 1 connection",
            base + pages["search"][0],
            lua(tmp, "search-1", LUA_UNIQUE, pages["search"], f"{nonce}search1"),
            **single,
        )
        deep = [f"{category}?page=5000"]
        measure(
            "category page 5,000, uncached, 1 conn",
            base + deep[0],
            lua(tmp, "deep-1", LUA_UNIQUE, deep, f"{nonce}deep"),
            **single,
        )
        print("The first requests after a publication (median of 5):", flush=True)
        for label, ms in first_after_publish(env, base, rounds=5).items():
            rows.append((label, {"p50": ms, "first": True}))
            print(f"  {label:<38} {ms:>7.1f} ms", flush=True)
    finally:
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        log.close()

    print()
    machine = f"{os.cpu_count()} CPUs, {os.uname().sysname} {os.uname().release}"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"Machine: {machine}, load average {load} at the end; {articles:,} articles;"
        f" wrk {args.duration} s per page, {args.connections} connections, 10 s timeout"
    )
    print()
    print(
        f"Bare view, the floor: {bare['rps']:,.0f} req/s, the mean of its {len(floors)} runs"
        f" ({', '.join(f'{floor["rps"]:,.0f}' for floor in floors)})"
    )
    print()
    print(
        "| page | req/s | p50 ms | p99 ms | vs bare view | CPU ms/request (app + db)"
        " | page-cache hits | non-2xx/3xx |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    failures = 0
    for label, r in rows:
        if r.get("first"):
            print(f"| {label} | | {r['p50']:.1f} | | | | | |")
            continue
        failures += r["bad"] + r["socket"]
        cpu = f"{r['cpu_app'] + r['cpu_db']:.1f} ({r['cpu_app']:.1f} + {r['cpu_db']:.1f})"
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['rps'] / bare['rps']:.0%} | {cpu} | "
            f"{'' if r['hits'] is None else r['hits']} | "
            f"{r['bad']}{f' (+{r["socket"]} socket errors)' if r['socket'] else ''} |"
        )
    shutil.rmtree(tmp, ignore_errors=True)
    print()
    missed = verdicts(dict(rows), bare, static)
    return 1 if failures or missed else 0


# The targets (issue 6, and issue 21 for uncached pages): (what, row label, figure, bound).
TARGETS = [
    *(
        (f"cached {page} >= 100 % of the bare view", f"{page}, Django, cached", "ratio", 1.0)
        for page in ("article", "home", "category")
    ),
    *(
        (f"cached {page} p99 < 50 ms", f"{page}, Django, cached", "p99", 50)
        for page in ("article", "home", "category")
    ),
    *(
        (f"{page} via nginx >= 50 % of static", f"{page}, nginx micro-cache", "static", 0.5)
        for page in ("home", "category", "article")
    ),
    ("uncached article (crawler) <= 8 ms CPU", "article, crawler (distinct URLs)", "cpu", 8),
    (
        "uncached article (crawler) >= 10 % of bare",
        "article, crawler (distinct URLs)",
        "ratio",
        0.1,
    ),  # noqa: E501
    ("uncached home >= 10 % of the bare view", "home, Django, uncached", "ratio", 0.1),
    ("uncached category >= 10 % of the bare view", "category, Django, uncached", "ratio", 0.1),
    ("search p50 < 50 ms", "search, uncached, 1 connection", "p50", 50),
    ("category page 5,000 < 100 ms", "category page 5,000, uncached, 1 conn", "p50", 100),
    *(
        (f"first {page} after a publication < 30 ms", label, "p50", 30)
        for page, label in (
            ("home", "home, first request after a publication"),
            ("category", "category, first request after a publication"),
            ("article", "article, first request after a publication"),
        )
    ),
]


def verdicts(rows, bare, static):
    """Print each target with the measured figure; return how many missed. Uncached rows
    that the page cache answered even once make the run a miss: they measured nothing."""
    missed = 0
    print("Targets:")
    for what, label, measure, bound in TARGETS:
        result = rows.get(label)
        if result is None:
            continue
        if measure == "ratio":
            value = result["rps"] / bare["rps"]
            ok, shown = value >= bound, f"{value:.0%}"
        elif measure == "static":
            value = result["rps"] / static["rps"]
            ok, shown = value >= bound, f"{value:.0%}"
        elif measure == "cpu":
            value = result["cpu_app"] + result["cpu_db"]
            ok, shown = value <= bound, f"{value:.1f} ms"
        else:
            value = result[measure]
            ok, shown = value < bound, f"{value:.1f} ms"
        missed += not ok
        print(f"  {'PASS' if ok else 'MISS'}  {what:<48} {shown}")
    measured = [r for r in rows.values() if not r.get("first")]
    errors = sum(r["bad"] + r["socket"] for r in measured)
    print(f"  {'PASS' if not errors else 'MISS'}  {'no non-2xx/3xx answers':<48} {errors}")
    hits = sum(r["hits"] or 0 for r in measured)
    label = "no page-cache hit in an uncached row"
    print(f"  {'PASS' if not hits else 'MISS'}  {label:<48} {hits}")
    return missed + bool(errors) + bool(hits)


if __name__ == "__main__":
    sys.exit(main())
