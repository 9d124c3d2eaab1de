"""Screenshots of the reader's site at phone and desktop widths, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py                 # -> docs/screenshots/ (the README's)
    .venv/bin/python scripts/screenshots.py --all artifacts/screenshots   # every page type
    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000  # a running site

Without --base it makes its own site first, in a scratch folder: a new SQLite database with
the seed content (load_seed), demo articles with pictures (seed_demo --articles 120
--pictures 12, a fixed seed) and some readings for "Most read", served by gunicorn on a free
port (DEBUG on, so that Django serves the uploaded pictures). The README's screenshots are
the first screen of the home and an article page, 390 px (phone) and 1366 px wide; --all
takes every page type whole.
"""

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WIDTHS = {"mobile": (390, 844), "desktop": (1366, 900)}
# The README's: the first screen (a little more on the phone, to show what follows).
FIRST_SCREEN = {"mobile": 1400, "desktop": 1100}

READINGS = """
from datetime import timedelta
from django.utils import timezone
from articles import services
from articles.models import Article
now = timezone.now()
for rank, article in enumerate(Article.objects.published().newest_first()[3:40:3]):
    for n in range(40 - 3 * rank):
        services.article_read_add(article_id=article.pk, at=now - timedelta(hours=n % 100))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_site(folder):
    """A scratch site with the seed and demo content; returns (base URL, server process)."""
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        CACHE_URL="locmem://",
        DEBUG="1",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="ERROR",
    )

    def manage(*argv):
        subprocess.run([PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True)  # noqa: S603

    manage("migrate", "--noinput", "-v0")
    manage("load_seed", "-v0")
    manage("seed_demo", "--articles", "120", "--pictures", "12", "--seed", "18", "-v0")
    manage("shell", "-v0", "-c", READINGS)
    manage("collectstatic", "--noinput", "-v0")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "digest.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2)  # noqa: S310 - loopback
            return base, server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the scratch site did not start")


def page_addresses(base):
    """home, article, category, author, tag, archive, search, static: first links found."""
    home = urllib.request.urlopen(base + "/").read().decode()  # noqa: S310 - loopback
    article = re.search(r'class="card-title"><a href="([^"]+)"', home)[1]
    body = urllib.request.urlopen(base + article).read().decode()  # noqa: S310 - loopback
    found = {
        "home": "/",
        "article": article,
        "category": re.search(r'href="(/category/[^"]+)"', home)[1],
        "author": (re.search(r'href="(/author/[^"]+)"', body) or [None, None])[1],
        "tag": (re.search(r'href="(/tag/[^"]+)"', body) or [None, None])[1],
        "archive": re.search(r'class="date-link" href="([^"]+)"', body)[1],
        "archive-index": "/archive/",
        "search": "/search/?q=Baku",
        "static": "/who-we-are/",
        "not-found": "/no/such-page/",
    }
    return {name: path for name, path in found.items() if path}


def shoot(base, output, every_page):
    output.mkdir(parents=True, exist_ok=True)
    pages = page_addresses(base)
    if not every_page:
        pages = {name: pages[name] for name in ("home", "article")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for form, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(base + "/")
            if page.is_visible("[data-cookie-accept]"):
                page.click("[data-cookie-accept]")  # once seen, a reader has dismissed it
            for name, path in pages.items():
                page.goto(base + path)
                # Load the lazy pictures below the fold, then go back to the top.
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.wait_for_load_state("networkidle")
                page.evaluate("window.scrollTo(0, 0)")
                target = output / f"{name}-{form}.png"
                if every_page:
                    page.screenshot(path=str(target), full_page=True)
                else:
                    page.set_viewport_size({"width": width, "height": FIRST_SCREEN[form]})
                    page.screenshot(path=str(target))
                    page.set_viewport_size({"width": width, "height": height})
                print(target)  # noqa: T201
            context.close()
        browser.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--base", help="a running site instead of a scratch one")
    parser.add_argument("--all", action="store_true", help="every page type, whole")
    args = parser.parse_args(argv)
    if args.base:
        shoot(args.base.rstrip("/"), Path(args.output), args.all)
        return
    with tempfile.TemporaryDirectory(prefix="digest-shots-") as folder:
        base, server = make_site(Path(folder))
        try:
            shoot(base, Path(args.output), args.all)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
