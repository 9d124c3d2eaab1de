"""The WordPress importer's figures (issue 17): a generated export imported by
``manage.py import_wordpress`` into PostgreSQL, the command watched from outside.

    .venv/bin/python bench/wordpress_bench.py                       # 50,000 posts
    .venv/bin/python bench/wordpress_bench.py --posts 2000 --images 1000 --permalinks 2000

1. ``--posts N`` (default 50,000): one WXR file of N published posts (bodies of ~900 words,
   half classic-editor, half block-editor; 5 tags each from a pool of 3,000; no media),
   written as a stream to a temporary file, then ``manage.py import_wordpress FILE`` in a
   child process with the production settings. Every 0.5 s the child's resident memory
   (psutil when installed, else /proc/<pid>/status) and its read position in the file
   (/proc/<pid>/fdinfo) are sampled. Prints posts/s, the peak resident memory (the kernel's
   high-water mark, VmHWM) and the resident memory when the importer had read 25, 50, 75 and
   100 % of the file: flat memory means those four are alike.
2. ``--images N``: N posts with one local featured image each (small generated JPEGs in a
   temporary uploads folder, ``--media-dir``). The same kind of file is imported twice under
   two site addresses, once with ``--skip-media`` and once with the images, and the
   difference is the images' time: their rate is printed separately (with the command's own
   figures when its summary shows them).
3. ``--permalinks N``: after the posts' import, gunicorn with the production settings (as
   bench/run.py starts it) and a keep-alive client asking for N of the old addresses (the
   export's ``<link>``, every fifth as ``/?p=ID``), each once (uncached), one after another;
   then each address they redirected to. Every one must be a single 301 to an address
   answering 200; prints p50/p95/p99 of the 301s.

The default database is a throw-away ``digest_wpbench`` on the local PostgreSQL, dropped,
created and migrated at the start (``--database-url`` uses another one as it is, migrating
it). Redis is the cache (``--cache-url``, default db 7). Media go to a temporary MEDIA_ROOT.
Nothing here is a test: it reports figures (and exits 1 when an import or a redirect failed).
"""

import argparse
import http.client
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess  # nosec B404: the benchmark drives manage.py and gunicorn
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _database import ensure_database
from wordpress_wxr import Site, write_uploads, write_wxr

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/digest_wpbench"

try:  # optional: /proc is read directly without it
    import psutil
except ImportError:  # pragma: no cover - depends on the machine
    psutil = None


# --- the database --------------------------------------------------------------------------


def fresh_database(url):
    """Drop and create the throw-away benchmark database."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    ensure_database(url)  # a sentence, not a traceback, when the server is not there
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def environment(args, tmp, port):
    """What production runs (as bench/run.py sets it up), minus HTTPS, on loopback."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        DJANGO_SETTINGS_MODULE="digest.settings.production",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="600",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("WEB_CONCURRENCY", "3")
    return env


def manage(env, *argv):
    subprocess.run(  # nosec B603: our own manage.py
        [PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
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
    return out.stdout.strip()


COUNTS = """
from django.apps import apps

def rows(label):
    try:
        return apps.get_model(label).objects.count()
    except LookupError:
        return 0

old_addresses = rows("redirects.Redirect") + rows("articles.OldAddress")
Article = apps.get_model("articles.Article")
images = rows("articles.Image")  # the image library (body images)
if any(field.name == "featured_image" for field in Article._meta.get_fields()):
    images += Article.objects.exclude(featured_image="").count()
print(Article.objects.count(), images, old_addresses)
"""


def counts(env):
    articles, images, redirects = django_query(env, COUNTS).split()[-3:]
    return int(articles), int(images), int(redirects)


# --- watching the child --------------------------------------------------------------------


def _proc_status(pid):
    """(VmRSS, VmHWM) of *pid* in MB, or None once it is gone."""
    if psutil is not None:
        try:
            info = psutil.Process(pid).memory_info()
        except psutil.Error:
            return None
        rss = info.rss / 2**20
        return rss, _hwm(pid) or rss
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.MULTILINE))
    if "VmRSS" not in values:
        return None
    return int(values["VmRSS"]) / 1024, int(values.get("VmHWM", values["VmRSS"])) / 1024


def _hwm(pid):
    try:
        found = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return None
    return int(found.group(1)) / 1024 if found else None


def _read_position(pid, path):
    """Where *pid* is reading *path* (bytes), or None when it has no such file open."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != path:
                continue
            found = re.search(r"^pos:\s+(\d+)", Path(f"/proc/{pid}/fdinfo/{fd}").read_text(), re.M)
        except OSError:
            continue
        if found:
            return int(found.group(1))
    return None


class Watcher(threading.Thread):
    """Samples a child's resident memory and read position every *interval* seconds."""

    def __init__(self, pid, path, interval=0.5):
        super().__init__(daemon=True)
        self.pid, self.path, self.interval = pid, str(path), interval
        self.samples = []  # (seconds since start, rss MB, read position or None)
        self.hwm = 0.0
        self.first_read = None
        self.done = threading.Event()
        self.started_at = time.perf_counter()

    def run(self):
        while not self.done.is_set():
            status = _proc_status(self.pid)
            if status is None:
                break
            rss, hwm = status
            self.hwm = max(self.hwm, hwm, rss)
            position = _read_position(self.pid, self.path)
            now = time.perf_counter() - self.started_at
            if position is not None and self.first_read is None:
                self.first_read = now
            self.samples.append((now, rss, position))
            self.done.wait(self.interval)

    def along_the_file(self, size):
        """Resident memory when 25/50/75/100 % of the file had been read (the last pass over
        it, when the importer reads it more than once)."""
        last_pass, previous = [], -1
        for sample in self.samples:
            position = sample[2]
            if position is None:
                continue
            if position < previous:  # the file was opened again: a new pass
                last_pass = []
            last_pass.append(sample)
            previous = position
        marks = {}
        if last_pass:
            for share in (25, 50, 75, 100):
                wanted = size * share / 100
                reached = [s for s in last_pass if s[2] >= wanted * 0.999]
                marks[share] = (reached[0] if reached else last_pass[-1])[1]
            return "of the file read", marks
        # No read position (another kind of reader): by share of the run's time instead.
        if self.samples:
            end = self.samples[-1][0]
            for share in (25, 50, 75, 100):
                at = [s for s in self.samples if s[0] >= end * share / 100]
                marks[share] = (at[0] if at else self.samples[-1])[1]
        return "of the run's time", marks


def run_import(env, command, path, tmp, name, *options):
    """``manage.py <command> path options…`` watched; returns a dict of what it did."""
    argv = [PYTHON, "manage.py", *shlex.split(command), str(path), *options]
    out_path, err_path = tmp / f"{name}.out", tmp / f"{name}.err"
    print(f"  $ {' '.join(argv[1:])}", flush=True)
    before = counts(env)
    with out_path.open("w") as out, err_path.open("w") as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=err)  # nosec B603
        watcher = Watcher(child.pid, path)
        watcher.start()
        returncode = child.wait()
        elapsed = time.perf_counter() - started
        watcher.done.set()
        watcher.join()
    after = counts(env)
    output = out_path.read_text(errors="replace") + err_path.read_text(errors="replace")
    return {
        "returncode": returncode,
        "elapsed": elapsed,
        "startup": watcher.first_read,
        "hwm": watcher.hwm,
        "watcher": watcher,
        "output": output,
        "new_articles": after[0] - before[0],
        "new_images": after[1] - before[1],
        "new_redirects": after[2] - before[2],
    }


PER_ITEM = re.compile(r"^(created|updated|unchanged|skipped): ")


def show_output(result, lines=30):
    """The end of the command's output (its summary), without the line per item."""
    text = [line for line in result["output"].rstrip().splitlines() if not PER_ITEM.match(line)]
    for line in text[-lines:]:
        print("    | " + line)


def memory_line(result, size):
    basis, marks = result["watcher"].along_the_file(size)
    along = ", ".join(f"{share} %: {mb:.0f} MB" for share, mb in marks.items())
    return f"resident memory at {along} ({basis})"


# --- the three figures ---------------------------------------------------------------------


def bench_posts(args, env, tmp, run):
    site = Site(
        url=f"https://{run}-posts.example.org", label=f"{run}p", posts=args.posts, words=args.words
    )
    path = tmp / "posts.xml"
    started = time.perf_counter()
    size = write_wxr(path, site)
    print(
        f"posts: wrote {site.posts:,} posts ({size / 2**20:,.0f} MB) in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    result = run_import(env, args.command, path, tmp, "posts")
    failed = result["returncode"] != 0
    show_output(result)
    rate = site.posts / result["elapsed"]
    after_start = ""
    if result["startup"] is not None:
        busy = result["elapsed"] - result["startup"]
        after_start = f", {site.posts / busy:,.0f} posts/s from its first read of the file"
    print(
        f"posts: {site.posts:,} posts in {result['elapsed']:.1f} s = {rate:,.0f} posts/s "
        f"(the command's wall time, start-up included{after_start}); exit status "
        f"{result['returncode']}; {result['new_articles']:,} new articles, "
        f"{result['new_redirects']:,} new old-address rows"
    )
    print(f"posts: peak resident memory {result['hwm']:.0f} MB (VmHWM)")
    print("posts: " + memory_line(result, size), flush=True)
    if result["new_articles"] < site.posts:
        print(f"posts: only {result['new_articles']:,} of {site.posts:,} posts became articles")
        failed = True
    return site, failed


IMAGE_FIGURES = re.compile(r"^.*\bimages?\b.*$", re.IGNORECASE | re.MULTILINE)


SUMMARY_IMAGES = re.compile(r"^\W*images\W+(\d+)", re.MULTILINE)


def bench_images(args, env, tmp, run):
    uploads = tmp / "uploads"
    failed = False
    results = {}
    # The two timed runs share the tags and authors of their header: a one-post import makes
    # them first, so neither timed run pays for creating them and the other not.
    warm = Site(url=f"https://{run}-warm.example.org", label=f"{run}w", posts=1, seed=31)
    write_wxr(tmp / "images-warm.xml", warm)
    print("images: the tags and authors first (a one-post import, not timed)", flush=True)
    run_import(env, args.command, tmp / "images-warm.xml", tmp, "images-warm")
    for mode in ("skip-media", "media"):
        site = Site(
            url=f"https://{run}-{mode}.example.org",
            label=f"{run}{mode[0]}",
            posts=args.images,
            words=args.words,
            images=True,
            seed=31,
        )
        path = tmp / f"images-{mode}.xml"
        size = write_wxr(path, site)
        started = time.perf_counter()
        written = write_uploads(uploads, site, size=args.image_size)
        print(
            f"images ({mode}): {site.posts:,} posts and {site.posts:,} JPEGs "
            f"({args.image_size[0]}×{args.image_size[1]}, {written / 2**20:,.0f} MB) written in "
            f"{time.perf_counter() - started:.0f} s; the export is {size / 2**20:,.0f} MB",
            flush=True,
        )
        options = ["--media-dir", str(uploads)]
        if mode == "skip-media":
            options.append("--skip-media")
        result = run_import(env, args.command, path, tmp, f"images-{mode}", *options)
        show_output(result, lines=20 if mode == "media" else 8)
        print(
            f"images ({mode}): {result['elapsed']:.1f} s, exit status {result['returncode']}, "
            f"{result['new_articles']:,} new articles, {result['new_images']:,} new images, "
            f"peak resident memory {result['hwm']:.0f} MB",
            flush=True,
        )
        failed |= result["returncode"] != 0
        results[mode] = result
    with_media, without = results["media"], results["skip-media"]
    extra = with_media["elapsed"] - without["elapsed"]
    made = with_media["new_images"]
    if not made:  # images kept somewhere the benchmark does not count: the command's summary
        found = SUMMARY_IMAGES.findall(with_media["output"])
        made = int(found[-1]) if found else 0
    if made and extra > 0:
        print(
            f"images: {made:,} images took {extra:.1f} s more than the same posts without "
            f"media = {made / extra:,.1f} images/s (renditions included); posts with their "
            f"images: {args.images / with_media['elapsed']:,.0f} posts/s"
        )
    else:
        print(f"images: {made:,} images made; no rate (the run with media was not slower)")
        failed = True
    mentions = IMAGE_FIGURES.findall(with_media["output"])
    if mentions:
        print("images: the command's own lines about images:")
        for line in mentions[-5:]:
            print("    | " + line.strip())
    return failed


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, path="/", seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on port {port} in {seconds} s")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def bench_permalinks(args, env, tmp, site, port):
    import random

    rng = random.Random(5)  # nosec B311: which posts to ask for, reproducible
    count = min(args.permalinks, site.posts)
    chosen = rng.sample(range(site.posts), count)
    warm = [n for n in range(min(site.posts, 40)) if n not in set(chosen)][:20]
    paths = [
        f"/?p={site.post_id(n)}" if i % 5 == 4 else site.permalink_path(n)
        for i, n in enumerate(chosen)
    ]
    print("permalinks: collectstatic, gunicorn (production settings)…", flush=True)
    manage(env, "collectstatic", "--noinput")
    log = (tmp / "gunicorn.log").open("w")
    server = subprocess.Popen(  # nosec B603: the server the benchmark starts itself
        [GUNICORN, "-c", "gunicorn.conf.py", "digest.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    failures = {}
    timings = []
    try:
        wait_for(port)
        old = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        new = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def ask(connection, path):
            connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
            response = connection.getresponse()
            response.read()
            return response

        for n in warm:  # the workers' first requests, not measured
            ask(old, site.permalink_path(n))
        # The old addresses one after another, as a crawler walks them (timed); then each
        # new address they gave (not timed): rendering an article between two redirects
        # would time the article's after-effects in the worker, not the redirect.
        targets = []
        for path in paths:
            started = time.perf_counter()
            response = ask(old, path)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status != 301:
                failures.setdefault(f"answered {response.status}, not 301", []).append(path)
                continue
            location = urlsplit(response.getheader("Location", ""))
            if location.netloc not in ("", f"127.0.0.1:{port}"):
                failures.setdefault("301 to another host", []).append(path)
                continue
            targets.append((path, urlunsplit(("", "", location.path, location.query, ""))))
        for path, target in targets:
            final = ask(new, target)
            if final.status != 200:
                failures.setdefault(f"301 to an address answering {final.status}", []).append(
                    f"{path} -> {target}"
                )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()
    print(
        f"permalinks: {len(paths):,} old addresses asked once each (keep-alive, uncached): "
        f"301 in p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
        f"p99 {percentile(timings, 99):.1f} ms, max {max(timings):.1f} ms"
    )
    good = len(paths) - sum(len(v) for v in failures.values())
    print(f"permalinks: {good:,} of {len(paths):,} were a single 301 to a 200")
    for reason, examples in failures.items():
        print(f"permalinks: {len(examples):,} {reason}, e.g. {examples[:3]}")
    return bool(failures)


def image_size(text):
    width, _, height = text.partition("x")
    return int(width), int(height)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=50_000, help="posts in the big export")
    parser.add_argument("--words", type=int, default=900, help="words per body (default 900)")
    parser.add_argument(
        "--images", type=int, default=0, help="posts with a featured image each (0: skip)"
    )
    parser.add_argument(
        "--image-size", type=image_size, default=(800, 533), help="WIDTHxHEIGHT of the JPEGs"
    )
    parser.add_argument(
        "--permalinks", type=int, default=0, help="old addresses to request (0: skip)"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("WPBENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
    )
    parser.add_argument(
        "--command",
        default="import_wordpress",
        help="the management command and fixed options (default import_wordpress)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.permalinks and not args.posts:
        args.posts = args.permalinks

    if not args.database_url.startswith("postgres"):
        raise SystemExit(f"The benchmark needs PostgreSQL: {args.database_url!r}")
    if args.database_url == DEFAULT_DATABASE:
        fresh_database(args.database_url)
    else:
        ensure_database(args.database_url)
    tmp = Path(tempfile.mkdtemp(prefix="digest-wpbench-"))
    port = free_port()
    env = environment(args, tmp, port)
    run = secrets.token_hex(3)
    print(f"database {args.database_url}; temporary files in {tmp}; run {run}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    manage(env, "migrate", "--noinput")
    failed = False
    try:
        site = None
        if args.posts:
            site, failed_posts = bench_posts(args, env, tmp, run)
            failed |= failed_posts
            (tmp / "posts.xml").unlink()
        if args.permalinks and site is not None:
            failed |= bench_permalinks(args, env, tmp, site, port)
        if args.images:
            failed |= bench_images(args, env, tmp, run)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
