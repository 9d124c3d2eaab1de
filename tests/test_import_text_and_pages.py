"""An editor imports plain-text pieces (the seed 000 style) and saved page text (seed 003),
in any of the encodings translators' tools write."""

import re
import shutil
from datetime import date

import pytest
from django.utils import timezone

from articles.models import Article

from .importing import SEEDS, run_import

REPORT = "000_4538a9cdd6164cad.txt"
PAGE = "003_8c106ac386b3e1e2.txt"


def test_the_seed_report_imports_with_a_headline_from_its_first_sentence(tmp_path, make_category):
    news = make_category("News")
    shutil.copy(SEEDS / REPORT, tmp_path / REPORT)
    text = (SEEDS / REPORT).read_text(encoding="utf-8")
    first_paragraph = text.split("\n\n")[0]

    status, out, err = run_import(
        tmp_path / REPORT, "--category", "news", "--source", "Report.az",
        "--source-url", "https://report.az/en/x", "--keep-dates",
    )  # fmt: skip

    assert status == 0, err
    article = Article.objects.get()
    assert article.category == news
    assert article.status == "draft"
    # The headline is the report's own first words, in order: nothing invented.
    words = article.title.rstrip("…").split()
    assert " ".join(words) in " ".join(first_paragraph.split())
    header_date = re.match(r"\W*date\s+(\d{4}-\d\d-\d\d)", text)[1]
    assert timezone.localtime(article.published_at).date().isoformat() == header_date
    assert article.body.startswith("<p>") and article.body.count("<p>") >= 3
    assert "date 20" not in article.body
    assert article.translation.source.name == "Report.az"
    assert article.translation.source_url == "https://report.az/en/x"
    assert article.translation.is_reprint


def test_the_seed_page_imports_its_article_without_the_site_chrome(tmp_path, make_category):
    opinion = make_category("Opinion")
    shutil.copy(SEEDS / PAGE, tmp_path / PAGE)

    # Detected as a page by its byline; an archive piece, published at its own date.
    status, out, err = run_import(tmp_path / PAGE, "--keep-dates")

    assert status == 0, err
    article = Article.objects.get()
    assert article.category == opinion
    assert article.title.startswith("Aliyev and Erdoğan")
    assert article.standfirst
    assert timezone.localtime(article.published_at).date() == date(2023, 12, 15)
    assert [a.name for a in article.authors.all()] == ["AzeMedia"]
    assert article.translation.source.name == "Globalinfo.az"
    assert article.translation.source.url == "https://globalinfo.az/"
    assert article.translation.source_language == "az"
    assert article.translation.original_author.name == "Azer Aykhan"
    for chrome in ("Font Resizer", "Sign in", "You Might Also Like", "New articles",
                   "Privacy Policy", "Translated from"):  # fmt: skip
        assert chrome not in article.body
    assert article.word_count > 500


def test_the_seed_page_on_a_seeded_site_is_recognised_not_duplicated(seeded):
    before = Article.objects.count()

    status, out, err = run_import(SEEDS / PAGE)

    assert status == 0, err
    assert Article.objects.count() == before
    assert "│         0 │         0 │         1 │" in out or "unchanged" in out


@pytest.mark.parametrize(
    "encoding,bom,warned",
    [("utf-8", b"", False), ("utf-8", b"\xef\xbb\xbf", False), ("utf-16-le", b"\xff\xfe", False),
     ("cp1252", b"", True)],
)  # fmt: skip
def test_text_in_every_supported_encoding_with_crlf_imports_the_same(
    tmp_path, make_category, encoding, bom, warned
):
    make_category("News")
    text = "title: Café prices in Baku\r\ndate 2024-05-06\r\n\r\nCoffee costs “more”.\r\n"
    (tmp_path / "piece.txt").write_bytes(bom + text.encode(encoding))

    status, _, err = run_import(tmp_path / "piece.txt", "--category", "news")

    assert status == 0, err
    article = Article.objects.get()
    assert article.title == "Café prices in Baku"
    assert article.body == "<p>Coffee costs “more”.</p>"
    assert ("read as Windows-1252" in err) is warned
