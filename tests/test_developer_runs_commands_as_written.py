"""A developer runs the README's commands in a fresh checkout as written, with no variable
set: manage.py picks the development settings (DEBUG on, a local secret key, SQLite in the
checkout), so `check` and `import_articles` work beside `make run`."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "hostile_page.html"
# What a fresh clone has that manage.py needs; everything the developer's own checkout made
# (database, secret key, media, virtualenv) stays behind.
LEFT_BEHIND = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "__pycache__", ".*_cache", "db.sqlite3*", ".secret_key",
    ".env", "media", "staticfiles", "artifacts", "backups", "tests",
)  # fmt: skip


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the checkout, and a way to run `manage.py` in it like `env -i` would."""
    root = tmp_path_factory.mktemp("fresh") / "digest"
    shutil.copytree(ROOT, root, ignore=LEFT_BEHIND)
    home = root.parent / "home"
    home.mkdir()

    def manage(*argv):
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *map(str, argv)],
            cwd=root,
            env={"PATH": "/usr/bin:/bin", "HOME": str(home)},  # nothing else at all
            capture_output=True,
            text=True,
            timeout=300,
        )

    manage.root = root
    return manage


def titles(root):
    with sqlite3.connect(root / "db.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT title FROM articles_article ORDER BY id")]


def test_check_runs_with_the_development_settings(checkout):
    result = checkout("check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    # The development settings made a local secret key in the checkout, nowhere else.
    assert (checkout.root / ".secret_key").stat().st_size >= 50
    assert "DEBUG = True" in checkout("diffsettings").stdout.splitlines()


def test_import_articles_help_runs(checkout):
    result = checkout("import_articles", "--help")

    assert result.returncode == 0, result.stderr
    assert "--dry-run" in result.stdout
    assert "python manage.py import_articles incoming/" in result.stdout


def test_import_articles_dry_run_then_import_beside_make_run(checkout):
    # What `make run` does first: migrate and load the seed (its categories included).
    assert checkout("migrate", "--noinput", "-v0").returncode == 0
    assert checkout("load_seed", "-v0").returncode == 0
    seed_titles = titles(checkout.root)

    dry = checkout("import_articles", SAMPLE, "--category", "news", "--dry-run")

    assert dry.returncode == 0, dry.stderr
    assert "would be created" in dry.stdout and "Caspian ferry line reopens" in dry.stdout
    assert titles(checkout.root) == seed_titles

    real = checkout("import_articles", SAMPLE, "--category", "news")

    assert real.returncode == 0, real.stderr
    assert "created" in real.stdout
    assert titles(checkout.root) == [*seed_titles, "Caspian ferry line reopens"]
