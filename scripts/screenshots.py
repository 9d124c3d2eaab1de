"""Screenshots of the home, a category and an article page at phone and desktop widths.

Usage: python scripts/screenshots.py [BASE_URL] [OUTPUT_DIR]
(defaults: http://127.0.0.1:8000 and artifacts/screenshots). Needs a running site with
content (e.g. `make run`) and Debian's Chromium at /usr/bin/chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = (390, 1280)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(base="http://127.0.0.1:8000", output="artifacts/screenshots"):
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
            page.goto(base + "/")
            if page.is_visible("[data-cookie-accept]"):
                page.click("[data-cookie-accept]")  # once seen, a reader has dismissed it
            category = page.get_attribute(".menu-list a[href^='/category/']", "href")
            article = page.get_attribute(".card-title a", "href")
            for name, path in (("home", "/"), ("category", category), ("article", article)):
                page.goto(base + path)
                # Load the lazy images below the fold before the full-page shot.
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.wait_for_load_state("networkidle")
                page.evaluate("window.scrollTo(0, 0)")
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)  # noqa: T201
            page.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
