"""A piece with several authors keeps its byline in the file's order (issue 16, item 8): on
the site, and on a re-import, where the same order is "unchanged" and adds no revision."""

import json

import pytest
from reversion.models import Version

from articles.models import Article, Byline

from .importing import run_import

ZEYNEB, ANAR = "Zeynəb Ə", "Anar B"  # the file's order is not the alphabet's


@pytest.fixture
def news(make_category):
    return make_category("News")


def write_piece(path, authors):
    front = {"title": "Wind farms open", "category": "news", "date": "2024-02-01",
             "authors": authors}  # fmt: skip
    lines = "".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in front.items()
    )
    path.write_text(f"---\n{lines}---\nTwo parks **open**.\n", "utf-8")
    return path


def byline(article):
    return [author.name for author in Article.objects.get(pk=article.pk).authors.all()]


def revisions(article):
    return Version.objects.get_for_object(article).count()


def test_reimporting_an_unchanged_piece_with_two_authors_changes_nothing(tmp_path, news):
    piece = write_piece(tmp_path / "wind.md", [ZEYNEB, ANAR])
    status, out, err = run_import(piece)
    assert status == 0, err
    article = Article.objects.get()
    assert byline(article) == [ZEYNEB, ANAR]
    assert revisions(article) == 1

    status, out, err = run_import(piece)

    assert status == 0, err
    # created, updated, unchanged, skipped, failed
    assert "│       0 │       0 │         1 │       0 │      0 │" in out
    assert revisions(article) == 1
    assert byline(article) == [ZEYNEB, ANAR]


def test_reimporting_with_the_authors_swapped_updates_the_byline(tmp_path, news):
    piece = write_piece(tmp_path / "wind.md", [ZEYNEB, ANAR])
    run_import(piece)
    article = Article.objects.get()
    write_piece(piece, [ANAR, ZEYNEB])

    status, out, err = run_import(piece)

    assert status == 0, err
    assert "updated" in out
    assert revisions(article) == 2
    assert byline(article) == [ANAR, ZEYNEB]
    # The newest revision keeps the new order, the first one the old.
    newest, first = Version.objects.get_for_object(article)
    for version, expected in ((newest, [ANAR, ZEYNEB]), (first, [ZEYNEB, ANAR])):
        kept = version.revision.version_set.get_for_model(Byline)
        rows = sorted((v.field_dict["position"], v.object_repr) for v in kept)
        assert [name for _, name in rows] == expected


def test_reimporting_many_pieces_reads_their_bylines_in_one_query(tmp_path, news):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(5):
        write_piece(tmp_path / f"p{n}.md", [ZEYNEB, ANAR])
        text = (tmp_path / f"p{n}.md").read_text("utf-8").replace("Wind farms open", f"Piece {n}")
        (tmp_path / f"p{n}.md").write_text(text, "utf-8")
    run_import(tmp_path)
    with CaptureQueriesContext(connection) as queries:
        status, out, err = run_import(tmp_path)
    assert status == 0, err
    assert "│       0 │       0 │         5 │       0 │      0 │" in out
    bylines = [q["sql"] for q in queries if "articles_article_authors" in q["sql"]]
    assert len(bylines) == 1, bylines


def test_the_site_shows_the_byline_in_the_files_order(tmp_path, news, client):
    piece = write_piece(tmp_path / "wind.md", [ZEYNEB, ANAR])
    status, _, err = run_import(piece, "--status", "published", "--keep-dates")
    assert status == 0, err
    article = Article.objects.get()

    page = client.get(article.get_absolute_url()).content.decode()
    assert f">{ZEYNEB}</a> and <a" in page and f">{ANAR}</a></p>" in page
    jsonld = page.split('<script type="application/ld+json"')[1].split(">", 1)[1]
    data = json.loads(jsonld.split("</script>")[0])
    assert [a["name"] for a in data["author"]] == [ZEYNEB, ANAR]

    listing = client.get(news.get_absolute_url()).content.decode()
    assert f"By {ZEYNEB}, {ANAR}</span>" in listing
    home = client.get("/").content.decode()
    assert f"By {ZEYNEB}, {ANAR}</span>" in home

    feed = client.get("/feeds/atom/").content.decode()
    assert f"<name>{ZEYNEB}, {ANAR}</name>" in feed
