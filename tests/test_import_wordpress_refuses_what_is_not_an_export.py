"""The operator gives import_wordpress something that is not a WordPress export: one clear
sentence, exit status 1, nothing written (issue 17)."""

import zipfile

import pytest

from articles.models import Article, Author, Category, Image, ImportedItem, OldAddress, Tag
from tests.importing import EDGE, run_wordpress


def _rows():
    models = (Article, Author, Category, Tag, Image, ImportedItem, OldAddress)
    return [model.objects.count() for model in models]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("rss-feed.xml", "rss-feed.xml is an RSS feed, not a WordPress export: it has no wp:"),
        ("random.xml", "random.xml is XML (<catalog>) but not a WordPress export"),
        ("saved-page.html", "saved-page.html is an HTML page, not a WordPress export"),
        ("broken.xml", "broken.xml is not well-formed XML (line 271, column 20: not well-formed "
                       "(invalid token)), so nothing was imported"),
        ("entities.xml", "entities.xml has a <!DOCTYPE> declaration, which a WordPress export"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_an_export_gets_one_sentence_and_nothing_is_written(db, name, sentence):
    before = _rows()

    status, out, err = run_wordpress(EDGE / name)

    assert status == 1
    assert sentence in err
    assert len(err.strip().splitlines()) == 1, err
    assert out == ""
    assert _rows() == before


def test_a_zip_is_refused_with_the_advice_to_unzip_it(db, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(EDGE / "site-wxr12.xml", "site.xml")

    status, out, err = run_wordpress(archive)

    assert status == 1
    assert "export.zip is a zip archive, not a WordPress export: unzip it" in err
    assert Article.objects.count() == 0


def test_a_broken_second_file_stops_the_first_one_too(db):
    """Every file is checked before anything is written: a split export with a broken part
    imports nothing, rather than half a site."""
    status, out, err = run_wordpress(EDGE / "site-wxr12.xml", EDGE / "broken.xml")

    assert status == 1
    assert "broken.xml is not well-formed XML" in err
    assert _rows()[0] == 0 and ImportedItem.objects.count() == 0


def test_a_missing_file_and_a_missing_media_folder_are_named(db, tmp_path):
    status, _, err = run_wordpress(tmp_path / "nope.xml")
    assert status == 1 and "nope.xml does not exist" in err

    status, _, err = run_wordpress(EDGE / "site-wxr12.xml", "--media-dir", tmp_path / "none")
    assert status == 1 and "--media-dir" in err and "no such folder" in err
    assert Article.objects.count() == 0


def test_bad_option_values_are_refused_before_anything_is_written(db):
    status, _, err = run_wordpress(EDGE / "site-wxr12.xml", "--category-map", "news")
    assert status == 1 and "--category-map takes OLD=NEW" in err

    status, _, err = run_wordpress(EDGE / "site-wxr12.xml", "--default-category", "nowhere")
    assert status == 1 and "--default-category: no category “nowhere” in Digest" in err

    status, _, err = run_wordpress(EDGE / "site-wxr12.xml", "--status-map", "draft=gone")
    assert status == 1 and "“gone” is not one of" in err

    status, _, err = run_wordpress(EDGE / "site-wxr12.xml", "--since", "last week")
    assert status == 1 and "--since: not an ISO-8601 date" in err
    assert Article.objects.count() == 0 and Author.objects.count() == 0
