"""A newcomer sees the site in the README before running it: a phone and a desktop screenshot
of the home page and of an article, made by scripts/screenshots.py."""

import re
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_shows_home_and_article_on_a_phone_and_a_desktop():
    readme = (ROOT / "README.md").read_text()
    shown = set(re.findall(r'<img src="(docs/screenshots/[^"]+)"', readme))
    expected = {
        f"docs/screenshots/{page}-{form}.png"
        for page in ("home", "article")
        for form in ("mobile", "desktop")
    }
    assert shown == expected
    for path in expected:
        with Image.open(ROOT / path) as shot:
            assert shot.width == (390 if "mobile" in path else 1366), path
            assert shot.height > 800
    assert "scripts/screenshots.py" in readme
    assert (ROOT / "scripts" / "screenshots.py").exists()
