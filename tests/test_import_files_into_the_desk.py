"""The importer's manners (issue 19): a category given on the command line is a default, not an
override; pieces with no category wait in an "Unsorted" queue instead of being refused; the
file's date is the original's (kept in the provenance, with its time), not the publication
time, unless an archive is imported with --keep-dates; a broken JSON line says where and why."""

import json
from datetime import date, time

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, Category

from .importing import run_import

PIECE = "---\ntitle: {title}\n{category}date: 2025-03-01 09:30\n---\nThe text of it.\n"


def piece(path, title, category=None):
    line = f"category: {category}\n" if category else ""
    path.write_text(PIECE.format(title=title, category=line), "utf-8")
    return path


@pytest.fixture
def desks(make_category):
    return {name: make_category(name) for name in ("News", "Opinion", "Energy")}


def test_category_option_only_fills_in_for_files_that_name_none(tmp_path, desks):
    piece(tmp_path / "own.md", "Filed by its author", category="opinion")
    piece(tmp_path / "bare.md", "Names no section")

    status, _, err = run_import(tmp_path, "--category", "news")

    assert status == 0, err
    assert Article.objects.get(title="Filed by its author").category == desks["Opinion"]
    assert Article.objects.get(title="Names no section").category == desks["News"]


def test_category_option_never_moves_a_piece_imported_before(tmp_path, desks):
    first = piece(tmp_path / "bare.md", "Already filed")
    run_import(first, "--category", "energy")
    article = Article.objects.get()
    services.article_save(article=article, category=desks["Opinion"])  # an editor moved it

    status, out, err = run_import(first, "--category", "news", "--dry-run")
    assert status == 0, err
    assert "would be updated" not in out and "would be " not in out.split("Dry run")[0]

    status, out, err = run_import(first, "--category", "news")
    assert status == 0, err
    assert Article.objects.get().category == desks["Opinion"]


def test_force_category_overrides_every_files_own(tmp_path, desks):
    piece(tmp_path / "own.md", "Filed by its author", category="opinion")
    piece(tmp_path / "bare.md", "Names no section")

    status, _, err = run_import(tmp_path, "--force-category", "energy", "--category", "news")

    assert status == 0, err
    assert set(Article.objects.values_list("category__slug", flat=True)) == {"energy"}


def test_a_piece_with_no_category_waits_as_a_draft_in_the_unsorted_queue(tmp_path, desks):
    piece(tmp_path / "bare.md", "Nobody filed me")

    status, out, err = run_import(tmp_path / "bare.md", "--status", "published")

    assert status == 0, err
    assert "created" in out
    assert "no category: filed as a draft under “Unsorted” for an editor" in err
    article = Article.objects.get()
    assert article.category.slug == Category.UNSORTED_SLUG
    assert article.category.name == "Unsorted" and not article.category.is_in_menu
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_nothing_is_published_from_the_unsorted_queue(tmp_path, desks, client):
    piece(tmp_path / "bare.md", "Nobody filed me")
    run_import(tmp_path / "bare.md")
    article = Article.objects.get()

    with pytest.raises(services.ValidationError, match="Choose a category before publishing"):
        services.article_publish(article=article)
    assert client.get("/category/unsorted/").status_code in (200, 404)
    assert "Nobody filed me" not in client.get("/").content.decode()

    services.article_save(article=article, category=desks["News"], status="published")
    assert Article.objects.published().get() == article


def test_a_dry_run_reports_the_unsorted_queue_without_making_it(tmp_path, desks):
    piece(tmp_path / "bare.md", "Nobody filed me")

    status, out, err = run_import(tmp_path / "bare.md", "--dry-run")

    assert status == 0, err
    assert "would be created" in out and "Unsorted" in err
    assert not Category.objects.filter(slug=Category.UNSORTED_SLUG).exists()


def test_the_files_date_and_time_are_the_originals_and_the_editor_publishes_now(tmp_path, desks):
    piece(tmp_path / "translated.md", "Translated today", category="news")

    status, _, err = run_import(tmp_path / "translated.md")

    assert status == 0, err
    article = Article.objects.get()
    assert article.published_at is None
    assert article.translation.original_published_on == date(2025, 3, 1)
    assert article.translation.original_published_time == time(9, 30)
    before = timezone.now()
    services.article_publish(article=article)
    article.refresh_from_db()
    assert article.published_at >= before  # the editor's time, not 2025


def test_the_original_date_and_time_show_in_the_provenance_line(tmp_path, desks, client):
    piece(tmp_path / "translated.md", "Translated today", category="news")
    run_import(tmp_path / "translated.md", "--status", "published")

    page = client.get(Article.objects.get().get_absolute_url()).content.decode()

    assert "Originally published" in page and "March 1, 2025, 09:30" in page


def test_keep_dates_publishes_an_archive_at_its_own_date_and_time(tmp_path, desks):
    piece(tmp_path / "old.md", "From the archive", category="news")

    status, _, err = run_import(tmp_path / "old.md", "--keep-dates", "--status", "published")

    assert status == 0, err
    article = Article.objects.get()
    local = timezone.localtime(article.published_at)
    assert (local.date(), local.time()) == (date(2025, 3, 1), time(9, 30))
    assert not hasattr(article, "translation")


@pytest.mark.parametrize(
    "header, expected",
    [
        ("date 2024-02-16 09:30 Officials met in Baku.", time(9, 30)),
        ("date 2024-02-16T18:05:07\n\nOfficials met in Baku.", time(18, 5, 7)),
        ("date 2024-02-16 Officials met in Baku.", None),
    ],
)
def test_a_time_in_a_plain_text_source_is_kept_not_dropped(tmp_path, desks, header, expected):
    (tmp_path / "report.txt").write_text(f"{header}\n\nMore text.\n", "utf-8")

    status, _, err = run_import(tmp_path / "report.txt", "--category", "news")

    assert status == 0, err
    article = Article.objects.get()
    assert article.translation.original_published_on == date(2024, 2, 16)
    assert article.translation.original_published_time == expected
    assert "09:30" not in article.body and "18:05" not in article.body
    assert article.body.startswith("<p>Officials met in Baku.")


def test_a_time_in_a_saved_pages_byline_is_kept(tmp_path, desks):
    from .importing import SEEDS

    text = (SEEDS / "003_8c106ac386b3e1e2.txt").read_text("utf-8")
    text = text.replace("Published December 15, 2023 10 Min Read", "Published December 15, "
                        "2023 at 9:45 PM 10 Min Read")  # fmt: skip
    (tmp_path / "page.txt").write_text(text, "utf-8")

    status, _, err = run_import(tmp_path / "page.txt", "--category", "opinion")

    assert status == 0, err
    provenance = Article.objects.get().translation
    assert provenance.original_published_on == date(2023, 12, 15)
    assert provenance.original_published_time == time(21, 45)


def test_a_broken_json_line_names_the_line_the_column_and_a_readable_reason(tmp_path, desks):
    good = json.dumps({"title": "Fine", "category": "news", "text": "All good."})
    broken = '{"title": "Broken", "category": "news", "text": "a\tb"}'  # a raw tab
    trailing = '{"title": "Comma", "category": "news",}'
    (tmp_path / "feed.jsonl").write_text(f"{good}\n{broken}\n{trailing}\n", "utf-8")

    status, _, err = run_import(tmp_path / "feed.jsonl")

    assert status == 1
    assert (
        ":2: line 2 is not JSON: column 51: a control character (a raw tab or line break) "
        "inside a string; write it as \\t or \\n"
    ) in err
    assert ":3: line 3 is not JSON: column 38: a comma before a closing brace" in err
    assert "Invalid control character at\n" not in err
    assert list(Article.objects.values_list("title", flat=True)) == ["Fine"]


def test_a_broken_json_file_names_the_line_and_column(tmp_path, desks):
    (tmp_path / "batch.json").write_text('[\n  {"title": "x"\n  "text": "y"}\n]\n', "utf-8")

    status, _, err = run_import(tmp_path / "batch.json")

    assert status == 1
    assert "not JSON: line 3, column 3: a comma is missing between two items" in err
