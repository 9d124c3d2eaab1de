"""Every kind of bad input gets one clear line naming the file and the reason, exit status 1,
and leaves nothing half-written; the good pieces beside it still import."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles.models import Article, Author, Source, Tag, Translation

from .importing import run_import

GOOD = "---\ntitle: A good piece\ncategory: news\n---\nFine text.\n"
BAD_INPUTS = {
    "empty.md": (b"", "the file is empty"),
    "blank.txt": (b"  \r\n\n", "the file is empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "the file is binary, not text"),
    "undecodable.txt": (b"caf\xe9 \x81\x8d\x90 text", "the text is in no encoding we read"),
    "untitled.md": (b"---\ncategory: news\n---\nText with no title.\n", "no title"),
    "untitled.json": (b'{"category": "news", "text": "No title."}', "no title"),
    "unknown-category.md": (
        b"---\ntitle: Lost\ncategory: Sport\nauthors: New Person\nsource: New Outlet\n---\nT.\n",
        "unknown category “Sport” (known: news)",
    ),
    "broken-yaml.md": (
        b"---\ntitle: [unclosed\ncategory: news\n---\nText.\n",
        "YAML error in the front matter",
    ),
    "no-closing.md": (b"---\ntitle: x\n\nText.\n", "the front matter has no closing"),
    "not-json.json": (b'{"title": "x",', "not JSON"),
    "bad-line.jsonl": (
        b'{"title": "x", "category": "news", "text": "t"} trailing\n',
        ":1: line 1 is not JSON",
    ),
    "bad-date.md": (b"---\ntitle: x\ncategory: news\ndate: soon\n---\nT.\n", "not an ISO-8601"),
    "bad-status.md": (b"---\ntitle: x\ncategory: news\nstatus: live\n---\nT.\n", "unknown status"),
    "bad-language.md": (
        b"---\ntitle: x\ncategory: news\nsource_language: xx\n---\nT.\n",
        "unknown source language",
    ),
    "not-a-docx.docx": (b"PK\x03\x04 this is not really a zip", "not a readable Word document"),
    "empty-page.html": (b"<html><body><nav>Home</nav></body></html>", "no title"),
}


def _nothing_but_the_good_piece():
    assert list(Article.objects.values_list("title", flat=True)) == ["A good piece"]
    assert not Author.objects.exists()
    assert not Source.objects.exists()
    assert not Tag.objects.exists()
    assert not Translation.objects.exists()


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_a_bad_file_is_named_with_its_reason_and_the_rest_still_imports(
    tmp_path, make_category, name
):
    make_category("News")
    data, reason = BAD_INPUTS[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "zz-good.md").write_text(GOOD, "utf-8")

    status, out, err = run_import(tmp_path)

    assert status == 1
    assert f"failed: {tmp_path / name}" in err
    assert reason in err
    assert "1 piece failed to import" in err
    assert "│       1 │       0 │         0 │       0 │      1 │" in out
    _nothing_but_the_good_piece()


def test_a_file_over_the_size_limit_is_refused(tmp_path, make_category, settings):
    make_category("News")
    settings.DIGEST_IMPORT_MAX_BYTES = 200
    (tmp_path / "huge.md").write_text(GOOD + "word " * 100, "utf-8")
    (tmp_path / "zz-good.md").write_text(GOOD, "utf-8")

    status, out, err = run_import(tmp_path)

    assert status == 1
    assert f"failed: {tmp_path / 'huge.md'}: the file is 5" in err
    assert "bytes; the limit is 200" in err
    _nothing_but_the_good_piece()


def test_a_piece_failing_after_its_people_were_created_leaves_nothing_behind(
    tmp_path, make_category
):
    make_category("News")
    (tmp_path / "half.md").write_text(
        "---\ntitle: Half\ncategory: news\nauthors: New Person\ntranslator: Another One\n"
        "source: New Outlet\nsource_url: not a web address\ntags: [fresh]\n---\nText.\n",
        "utf-8",
    )
    (tmp_path / "zz-good.md").write_text(GOOD, "utf-8")

    status, out, err = run_import(tmp_path)

    assert status == 1
    assert f"failed: {tmp_path / 'half.md'}: source_url: Enter a valid URL." in err
    _nothing_but_the_good_piece()


def test_a_path_that_does_not_exist_fails_clearly(tmp_path, make_category):
    status, _, err = run_import(tmp_path / "missing.md")

    assert status == 1
    assert f"failed: {tmp_path / 'missing.md'}: no such file or folder" in err


def test_the_exit_status_of_the_real_command_is_1_on_failure_and_0_on_success(tmp_path):
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "digest.settings.test",
        "MEDIA_ROOT": str(tmp_path),
    }
    subprocess.run([sys.executable, manage, "migrate", "-v0"], env=env, check=True)
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "ok.md").write_text(GOOD.replace("category: news\n", ""), "utf-8")

    failed = subprocess.run(
        [sys.executable, manage, "import_articles", tmp_path / "empty.md"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert failed.returncode == 1
    assert "empty.md: the file is empty" in failed.stderr
    assert "failed" in failed.stdout  # the summary table

    dry = subprocess.run(
        [sys.executable, manage, "import_articles", "--help"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert dry.returncode == 0 and "--on-existing" in dry.stdout


def test_one_source_url_for_many_files_is_refused_as_bad_usage(tmp_path, make_category):
    make_category("News")
    (tmp_path / "a.md").write_text(GOOD, "utf-8")
    (tmp_path / "b.md").write_text(GOOD.replace("A good", "Another good"), "utf-8")

    status, _, err = run_import(tmp_path, "--source-url", "https://example.org/one")

    assert status == 1
    assert "--source-url and --title name one piece: give one file" in err
    assert not Article.objects.exists()
