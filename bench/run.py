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
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _database import ensure_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DJANGO_PORT, NGINX_PORT, STATIC_PORT = 8601, 8602, 8603

LUA_UNIQUE = """
local counter = 0
local tid = 0
local paths = {%s}
setup = function(thread) tid = tid + 1; thread:set("tid", tid) end
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, path .. sep .. "_=" .. tid .. "-" .. counter)
end
"""
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
    subprocess.run(
        [PYTHON, "manage.py", *argv],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def django_query(env, code):
    out = subprocess.run(
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
"""
    lines = django_query(env, code)
    search = lines.pop()[len("SEARCH ") :]
    category = lines.pop(0)
    return category, lines, search


def start(cmd, env, log):
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
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
    bare = urllib.request.urlopen(  # noqa: S310 (loopback)
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
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        match = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

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
    }


def lua(tmp, name, template, paths):
    path = tmp / f"{name}.lua"
    path.write_text(template % ", ".join(f'"{p}"' for p in paths))
    return str(path)


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
    category, article_urls, search = pick_urls(env)
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

        def measure(label, url, script=None, **options):
            result = wrk(url, script=script, **{**run, **options})
            rows.append((label, result))
            print(
                f"  {label:<38} {result['rps']:>9,.0f} req/s  p50 {result['p50']:>7.1f} ms"
                f"  p99 {result['p99']:>7.1f} ms",
                flush=True,
            )
            return result

        print("Warming up…", flush=True)
        for paths in pages.values():
            for path in paths:
                urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310
                urllib.request.urlopen(front + path, timeout=60).read()  # noqa: S310
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
                lua(tmp, f"{name}-u", LUA_UNIQUE, paths),
            )
        # Each request another of 2,000 articles: no two share much beyond the menu.
        measure(
            "article, uncached, 2,000 articles",
            base + article_urls[0],
            lua(tmp, "articles-u", LUA_UNIQUE, article_urls),
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
            lua(tmp, "search-1", LUA_UNIQUE, pages["search"]),
            **single,
        )
        deep = [f"{category}?page=5000"]
        measure(
            "category page 5,000, uncached, 1 conn",
            base + deep[0],
            lua(tmp, "deep-1", LUA_UNIQUE, deep),
            **single,
        )
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
    print(
        f"Machine: {machine}; {articles:,} articles; wrk {args.duration} s per page,"
        f" {args.connections} connections, 10 s timeout"
    )
    print()
    print(
        f"Bare view, the floor: {bare['rps']:,.0f} req/s, the mean of its {len(floors)} runs"
        f" ({', '.join(f'{floor["rps"]:,.0f}' for floor in floors)})"
    )
    print()
    print("| page | req/s | p50 ms | p99 ms | vs bare view | vs nginx static | non-2xx/3xx |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    failures = 0
    for label, r in rows:
        failures += r["bad"] + r["socket"]
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['rps'] / bare['rps']:.0%} | {r['rps'] / static['rps']:.1%} | "
            f"{r['bad']}{f' (+{r["socket"]} socket errors)' if r['socket'] else ''} |"
        )
    shutil.rmtree(tmp, ignore_errors=True)
    print()
    missed = verdicts(dict(rows), bare, static)
    return 1 if failures or missed else 0


# The targets: (what, label of the row it reads, which figure, bound).
TARGETS = [
    *(
        (f"1. cached {page} >= 100 % of the bare view", f"{page}, Django, cached", "ratio", 1.0)
        for page in ("article", "home", "category")
    ),
    *(
        (f"1. cached {page} p99 < 50 ms", f"{page}, Django, cached", "p99", 50)
        for page in ("article", "home", "category")
    ),
    *(
        (f"2. {page} via nginx >= 50 % of static", f"{page}, nginx micro-cache", "static", 0.5)
        for page in ("home", "category", "article")
    ),
    ("3. uncached article >= 40 % of the bare view", "article, Django, uncached", "ratio", 0.4),
    ("3. uncached home >= 30 % of the bare view", "home, Django, uncached", "ratio", 0.3),
    ("3. uncached category >= 30 % of the bare view", "category, Django, uncached", "ratio", 0.3),
    ("4. search p50 < 50 ms", "search, uncached, 1 connection", "p50", 50),
    ("5. category page 5,000 < 100 ms", "category page 5,000, uncached, 1 conn", "p50", 100),
]


def verdicts(rows, bare, static):
    """Print each target of the issue with the measured figure; return how many missed."""
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
        else:
            value = result[measure]
            ok, shown = value < bound, f"{value:.1f} ms"
        missed += not ok
        print(f"  {'PASS' if ok else 'MISS'}  {what:<48} {shown}")
    errors = sum(r["bad"] + r["socket"] for r in rows.values())
    print(f"  {'PASS' if not errors else 'MISS'}  {'6. no non-2xx/3xx answers':<48} {errors}")
    return missed + bool(errors)


if __name__ == "__main__":
    sys.exit(main())
