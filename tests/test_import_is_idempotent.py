"""Importing the same pieces again never duplicates them, and a dry run writes nothing."""

import io
import json
import shutil

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Source, Tag, Translation

from .importing import DATA, SEEDS, docx_bytes, run_import


@pytest.fixture
def folder(tmp_path, make_category):
    for name in ("News", "Opinion", "Energy", "Culture", "Logistics-Transport"):
        make_category(name)
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "wind.md").write_text(
        "---\ntitle: Wind farms\ncategory: energy\nauthors: Leyla Mammadova\ntags: [wind]\n"
        "date: 2024-02-01\n---\nTwo parks **open**.\n",
        "utf-8",
    )
    (tmp_path / "report.txt").write_text("title: A short report\n\nIt happened.\n", "utf-8")
    shutil.copy(SEEDS / "003_8c106ac386b3e1e2.txt", tmp_path / "page.txt")
    shutil.copy(DATA / "hostile_page.html", tmp_path / "ferry.html")
    (tmp_path / "doc.docx").write_bytes(docx_bytes([("Heading1", ["Carpets"]), ("", ["Guba."])]))
    (tmp_path / "batch.jsonl").write_text(
        "\n".join(
            json.dumps({"title": f"Item {n}", "category": "news", "text": f"Text {n}."})
            for n in range(3)
        ),
        "utf-8",
    )
    return tmp_path


def _dump():
    out = io.StringIO()
    call_command("dumpdata", "--all", "--format", "json", "--indent", "1", stdout=out,
                 exclude=["contenttypes", "auth.permission", "sessions"])  # fmt: skip
    return out.getvalue()


def test_importing_the_same_folder_twice_creates_nothing_the_second_time(folder):
    status, out, err = run_import(folder, "--category", "news")
    assert status == 0, err
    counts = (Article.objects.count(), Author.objects.count(), Source.objects.count(),
              Tag.objects.count(), Translation.objects.count())  # fmt: skip
    assert counts[0] == 8
    before = _dump()

    status, out, err = run_import(folder, "--category", "news")

    assert status == 0, err
    assert "created" not in out.split("Import summary")[0]
    assert "│       0 │       0 │         8 │       0 │      0 │" in out
    assert _dump() == before


def test_a_changed_draft_is_updated_and_the_changed_fields_are_named(folder):
    run_import(folder / "md")
    article = Article.objects.get()
    (folder / "md" / "wind.md").write_text(
        "---\ntitle: Wind farms\ncategory: energy\nauthors: Leyla Mammadova, Kamran Hasanov\n"
        "tags: [wind]\ndate: 2024-02-01\n---\nThree parks **open**.\n",
        "utf-8",
    )

    status, out, _ = run_import(folder / "md")

    assert status == 0
    assert "updated:" in out and "(fields: body, authors)" in out
    article.refresh_from_db()
    assert article.body == "<p>Three parks <strong>open</strong>.</p>"
    assert article.version == 2
    assert Article.objects.count() == 1


def test_a_published_article_is_not_overwritten_unless_asked_explicitly(folder):
    run_import(folder / "md", "--status", "published")
    (folder / "md" / "wind.md").write_text(
        (folder / "md" / "wind.md").read_text().replace("Two parks", "Six parks"), "utf-8"
    )

    status, out, _ = run_import(folder / "md")

    assert status == 0
    assert "skipped:" in out and "already published; --on-existing update overwrites it" in out
    assert "Two parks" in Article.objects.get().body

    status, out, _ = run_import(folder / "md", "--on-existing", "update")

    assert status == 0 and "updated:" in out
    article = Article.objects.get()
    assert "Six parks" in article.body and article.status == "published"


def test_on_existing_skip_leaves_even_drafts_alone(folder):
    run_import(folder / "md")
    (folder / "md" / "wind.md").write_text(
        (folder / "md" / "wind.md").read_text().replace("Two parks", "Six parks"), "utf-8"
    )

    status, out, _ = run_import(folder / "md", "--on-existing", "skip")

    assert status == 0 and "skipped:" in out
    assert "Two parks" in Article.objects.get().body


def test_a_dry_run_leaves_the_database_byte_for_byte_unchanged(folder):
    run_import(folder / "md")
    (folder / "md" / "wind.md").write_text(
        (folder / "md" / "wind.md").read_text().replace("Two parks", "Six parks"), "utf-8"
    )
    before = _dump()

    status, out, err = run_import(folder, "--force-category", "news", "--dry-run")

    assert status == 0, err
    assert _dump() == before
    assert "would be updated:" in out and "Wind farms" in out
    assert "(fields: body, category)" in out
    assert "would be created:" in out and "Caspian ferry line reopens" in out
    assert "Dry run: nothing was written" in out
    assert "│       7 │       1 │         0 │       0 │      0 │" in out
