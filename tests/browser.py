"""Debian's Chromium for the browser tests: where it is, and the flags it needs here."""

import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium stalls on a closed network; Playwright gives every
# launch a fresh temporary profile.
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

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"needs Debian's Chromium at {CHROMIUM}"
)


# --- Shared by the desk's browser tests (issue 19) ---------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (a fresh profile each)."""
    import os

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PASSWORD = "correct horse battery"


def sign_in(browser, base, username, *, viewport=None):
    """A new browser context signed in to the admin as *username*; returns (context, page)."""
    context = browser.new_context(viewport=viewport or {"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return context, page


def choose_autocomplete(page, field, text):
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def type_in_body(page, text):
    box = page.locator(".prose-editor [contenteditable=true]")
    box.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


# With SQLite in memory the live server's request threads share the test's one connection, and
# two uses at once break it ("bad parameter or other API misuse"): the live server then answers
# one request at a time under this lock (tests/conftest.py), and a test reading the database
# while pages are still sending requests takes it too.
SERIAL = threading.Lock()


def between_requests():
    """Hold the live server between two requests while the test reads the database."""
    return SERIAL


def leave(context):
    """Close *context* once its pages have left the admin and their last requests (the editing
    lock's release, sent as the page hides) have arrived: a request reaching the live server
    while the test database is flushed would lock it."""
    import time

    from articles.models import EditingLock

    for page in context.pages:
        page.goto("about:blank")
    for _ in range(50):
        with between_requests():
            if not EditingLock.objects.exists():
                break
        time.sleep(0.1)
    time.sleep(0.3)
    context.close()
