"""Page-quality checks against a running site: saves each page's HTML for the Nu Html
Checker, and runs axe-core (from node_modules) in Chromium on it: phone and desktop widths,
light and dark.

Usage: python .ci/quality_pages.py BASE_URL OUT_DIR
Prints one PASS/FAIL line per page; exits non-zero on any axe violation.
"""

import json
import re
import sys
from pathlib import Path
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip
AXE = Path("node_modules/axe-core/axe.min.js")


def pages(base):
    """The addresses to check: fixed ones plus the first article, author and tag links."""
    home = urlopen(base + "/").read().decode()  # noqa: S310 - our own local server

    def first(prefix):
        match = re.search(rf'href="({prefix}[^"]+)"', home)
        return match[1] if match else None

    # The first article with a byline, so its author page is checked too.
    for article in re.findall(r'class="card-title"><a href="([^"]+)"', home):
        body = urlopen(base + article).read().decode()  # noqa: S310
        if "/author/" in body:
            break
    author = re.search(r'href="(/author/[^"]+)"', body)
    tag = re.search(r'href="(/tag/[^"]+)"', body)
    day = re.search(r'Published <a class="date-link" href="(/archive/[^"]+)"', body)
    found = {
        "home": "/",
        "category": first("/category/"),
        "article": article,
        "author": author[1] if author else None,
        "tag": tag[1] if tag else None,
        "archive": day[1] if day else None,
        "archive-index": "/archive/",
        "search": "/search/?q=Baku",
        "static": "/who-we-are/",
        "sign-in": "/accounts/login/",
        "not-found": "/no/such-page/",
    }
    return {name: path for name, path in found.items() if path}


def main(base, out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    axe = AXE.read_text()
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path in pages(base).items():
            for width, scheme in ((390, "light"), (1280, "light"), (1280, "dark")):
                # axe is injected as a script: let it past the site's strict CSP.
                page = browser.new_page(
                    viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True
                )
                response = page.goto(base + path)
                if width == 1280 and scheme == "light":
                    (out / f"{name}.html").write_bytes(response.body())
                page.add_script_tag(content=axe)
                result = page.evaluate(
                    "axe.run(document, {resultTypes: ['violations']})"
                    ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
                    " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
                )
                page.close()
                status = "FAIL" if result else "PASS"
                failed = failed or bool(result)
                print(f"{status} axe {name} ({path}) at {width}px, {scheme}", flush=True)  # noqa: T201
                for violation in result:
                    print("   ", json.dumps(violation))  # noqa: T201
        browser.close()
    (out / "pages.json").write_text(json.dumps(pages(base)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
