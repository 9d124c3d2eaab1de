"""Screenshots of the article change form (issue 19) at desktop width and at 1024 px, for the
admin guide (docs/editors.md).

Usage: .venv/bin/python scripts/screenshots_admin.py [OUTPUT_DIR]   (default: docs/images)

Self-contained: it builds a scratch SQLite site in a temporary folder (migrate, the seed
content, an editor with a profile), serves it with `manage.py runserver` on a free local port,
signs in with Debian's Chromium (/usr/bin/chromium) through Playwright and shoots the seed
article's change form, then stops the server and removes the folder.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {"desktop": 1440, "1024": 1024}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETUP = """
from django.contrib.auth.models import Group, User
from articles import services
from articles.models import Article, Author
user = User.objects.create_user("aygun", password="screenshots only", is_staff=True,
                                first_name="Aygün")
user.groups.add(Group.objects.get(name="Editor"))
profile = Author.objects.filter(name="AzeMedia").first()
article = Article.objects.order_by("pk").first()
print(article.pk)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(output="docs/images"):
    out = (ROOT / output).resolve()  # an absolute OUTPUT_DIR stays as given
    out.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{scratch}/site.sqlite3",
            "MEDIA_ROOT": f"{scratch}/media",
            "PAGECACHE_VERSION_FILE": f"{scratch}/version",
            "DJANGO_SETTINGS_MODULE": "digest.settings.development",
        }
        manage = [python, str(ROOT / "manage.py")]
        for command in (["migrate", "-v0"], ["load_seed", "-v0"]):
            subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT)
        shell = subprocess.run(
            [*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT,
            capture_output=True, text=True,
        )  # fmt: skip
        article_pk = shell.stdout.strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 (a local address)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                for name, width in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": 1000})
                    page.goto(f"{base}/admin/login/")
                    page.fill("#id_username", "aygun")
                    page.fill("#id_password", "screenshots only")
                    page.click("input[type=submit]")
                    page.wait_for_url(f"{base}/admin/")
                    page.goto(f"{base}/admin/articles/article/{article_pk}/change/")
                    page.wait_for_selector(".prose-editor [contenteditable=true]")
                    page.wait_for_load_state("networkidle")
                    target = out / f"change-form-{name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)  # noqa: T201
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main(*sys.argv[1:])
