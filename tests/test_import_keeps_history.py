"""Every article the importer creates or updates gets a revision, so editors see in its history
where it came from and can go back to it; nothing else does."""

import json
import shutil

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Revision, Version

from articles import services
from articles.models import Article, Byline, TaggedArticle, Translation

from .importing import DATA, run_import


@pytest.fixture
def news(make_category):
    return make_category("News")


def write_md(path, title, body="Two parks open.", **front):
    # With a date, the slug and date identify the piece (not its text): a new text updates it.
    front = {"title": title, "category": "news", "date": "2024-02-01", **front}
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in front.items())
    path.write_text(f"---\n{lines}---\n{body}\n", "utf-8")
    return path


def history(article):
    return list(Version.objects.get_for_object(article).select_related("revision"))


def test_each_imported_article_gets_a_revision_naming_its_file(tmp_path, news, editor_client):
    wind = write_md(
        tmp_path / "wind.md", "Wind farms", tags=["wind", "Erdoğan"], source="Report.az",
        source_url="https://report.az/wind",
    )  # fmt: skip
    lines = [json.dumps({"title": f"Item {n}", "category": "news", "text": "x"}) for n in range(3)]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines), "utf-8")

    status, _, err = run_import(tmp_path)

    assert status == 0, err
    assert Revision.objects.count() == 4  # one per article, never one for the lot
    article = Article.objects.get(title="Wind farms")
    [version] = history(article)
    assert version.revision.comment == f"Imported from {wind}"
    assert version.revision.user is None
    kept = {v.content_type.model for v in version.revision.version_set.all()}
    assert kept == {"article", "translation", "taggedarticle"}
    links = version.revision.version_set.get_for_model(TaggedArticle)
    assert sorted(v.object_repr for v in links) == ["Erdoğan", "wind"]
    assert version.field_dict["title"] == "Wind farms"
    item = Article.objects.get(title="Item 1")
    assert history(item)[0].revision.comment == f"Imported from {tmp_path / 'batch.jsonl'}:2"

    page = editor_client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert f"Imported from {wind}" in page


def test_unchanged_skipped_failed_and_dry_run_pieces_get_no_revision(tmp_path, news):
    piece = write_md(tmp_path / "piece.md", "Wind farms")
    run_import(piece)
    assert Revision.objects.count() == 1

    run_import(piece)  # unchanged
    run_import(piece, "--dry-run")
    write_md(piece, "Wind farms", body="A changed text.")
    run_import(piece, "--dry-run")
    assert Revision.objects.count() == 1

    article = Article.objects.get()
    services.article_publish(article=article)
    status, out, _ = run_import(piece)  # published: skipped by default
    assert status == 0 and "skipped:" in out
    bad = write_md(tmp_path / "bad.md", "No such place", category="nowhere")
    assert run_import(bad)[0] == 1
    assert Revision.objects.count() == 1


def test_an_updated_piece_gets_a_new_revision_that_can_be_restored(tmp_path, news):
    piece = write_md(tmp_path / "piece.md", "Wind farms", tags=["wind"])
    run_import(piece)
    article = Article.objects.get()
    write_md(piece, "Wind farms", body="A longer text about the parks.", tags=["wind", "sea"])
    status, out, _ = run_import(piece)
    assert status == 0 and "updated:" in out

    newest, first = history(article)  # newest first
    assert newest.revision.comment == first.revision.comment == f"Imported from {piece}"
    assert "longer text" in newest.field_dict["body"]
    # An editor can go back to what the first import brought.
    first.revision.revert(delete=True)
    article.refresh_from_db()
    assert "longer text" not in article.body
    assert list(article.tags.names()) == ["wind"]


def test_imported_pieces_with_images_or_published_get_revisions_too(tmp_path, news, settings):
    # Both are saved one by one (`services.article_save`), not in the batch of new drafts.
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copy(DATA / "featured.jpg", tmp_path / "photo.jpg")
    write_md(tmp_path / "live.md", "Live now", status="published")
    write_md(tmp_path / "photo.md", "With a photo", image="photo.jpg", image_caption="Parks")
    status, _, err = run_import(tmp_path / "live.md", tmp_path / "photo.md")
    assert status == 0, err
    for title, name in [("Live now", "live.md"), ("With a photo", "photo.md")]:
        article = Article.objects.get(title=title)
        assert [v.revision.comment for v in history(article)] == [
            f"Imported from {tmp_path / name}"
        ]
    assert Article.objects.get(title="With a photo").featured_image


def test_revisions_cost_a_few_queries_per_batch_not_per_article(tmp_path, news):
    def import_batch(name, count):
        rows = [
            json.dumps({"title": f"{name} {n}", "category": "news", "text": f"Text {n}.",
                        "tags": ["wind", f"t{n}"], "authors": ["Leyla"], "source": "APA"})
            for n in range(count)
        ]  # fmt: skip
        (tmp_path / f"{name}.jsonl").write_text("\n".join(rows), "utf-8")
        with CaptureQueriesContext(connection) as queries:
            run_import(tmp_path / f"{name}.jsonl")
        return sum("reversion_" in q["sql"] for q in queries.captured_queries)

    assert import_batch("small", 5) == import_batch("large", 60)
    assert Revision.objects.count() == 65
    assert Translation.objects.count() == 65


def test_the_admin_and_the_importer_keep_the_same_copy(tmp_path, news):
    """The batch-written revision holds exactly what reversion itself would have kept."""
    write_md(
        tmp_path / "piece.md", "Wind farms", tags=["wind", "sea"], source="APA",
        authors=["Leyla", "Murad"],
    )  # fmt: skip
    run_import(tmp_path / "piece.md")
    article = Article.objects.get()
    [imported] = history(article)
    with reversion.create_revision():
        reversion.add_to_revision(article)
    latest = history(article)[0]
    assert latest.pk != imported.pk

    def copies(version):
        return sorted(
            (v.content_type.model, v.object_id, v.serialized_data, v.object_repr)
            for v in version.revision.version_set.all()
        )

    assert copies(latest) == copies(imported)
    # The byline is kept as its rows, with their places (issue 16).
    kept = imported.revision.version_set.get_for_model(Byline)
    assert sorted((v.field_dict["position"], v.object_repr) for v in kept) == [
        (0, "Leyla"),
        (1, "Murad"),
    ]


def test_a_batch_revision_is_the_stored_copy_whatever_zone_its_dates_were_given_in(news):
    """The batch path keeps what it wrote (`services.article_create_many`), not a read-back:
    its copy must still be what reversion makes of the stored rows, dates in UTC included."""
    from datetime import datetime, timedelta, timezone

    from articles.history import revisions_create_many
    from articles.importers.pipeline import Importer, ImportOptions

    importer = Importer(ImportOptions(keep_dates=True))
    baku = timezone(timedelta(hours=4))
    item = {
        "fields": {
            "title": "Wind farms", "body": "<p>Two parks open.</p>", "category": news,
            "status": "published", "published_at": datetime(2024, 2, 1, 9, 30, tzinfo=baku),
        },
        "authors": [importer.author("Murad"), importer.author("Leyla")],
        "tags": [importer.tag("wind"), importer.tag("sea")],
        "translation": {"source": importer.source("APA"), "source_language": "az"},
    }  # fmt: skip
    [written] = services.article_create_many(items=[item])
    revisions_create_many([(written, "batch")], members=services.article_revision_members)
    stored = Article.objects.get(pk=written.pk)
    with reversion.create_revision():
        reversion.add_to_revision(stored)
    batch, own = (
        sorted(
            (v.content_type.model, v.object_id, v.serialized_data, v.object_repr)
            for v in revision.version_set.all()
        )
        for revision in Revision.objects.order_by("pk")
    )
    assert own == batch
    assert [model for model, *_ in batch].count("byline") == 2
    assert "translation" in [model for model, *_ in batch]
    assert '"published_at": "2024-02-01T05:30:00Z"' in next(
        d for m, _, d, _ in batch if m == "article"
    )
