"""The fixtures are built from the seed documents by the project's own parsers."""

import filecmp
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.utils import timezone

from articles import seed
from articles.importers.page import parse_page
from articles.models import Article, Author, Category, SiteIdentity

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
SEED_PAGE = SOURCES / "003_8c106ac386b3e1e2.txt"
SEED_REPORT = SOURCES / "000_4538a9cdd6164cad.txt"


def test_regenerating_gives_exactly_the_committed_fixtures(tmp_path):
    call_command("build_fixtures", output=str(tmp_path), verbosity=0)
    names = seed.FIXTURE_FILES
    match, mismatch, errors = filecmp.cmpfiles(seed.FIXTURES_DIR, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert sorted(match) == sorted(names)


def test_fixtures_load_into_an_empty_database(seeded):
    assert Article.objects.published().count() == 2
    assert SiteIdentity.objects.get().tagline == "Daily Digest"


def test_category_tree_is_the_seed_menu_in_menu_order(seeded):
    top = [c.name for c in Category.objects.top_level().in_menu()]
    assert top == [
        "COP29", "Opinion", "News", "Culture", "Diaspora", "Interview", "Science",
        "Logistics-Transport", "Gender", "History", "Defense", "Karabakh",
    ]  # fmt: skip
    news = Category.objects.get(slug="news")
    assert [c.name for c in news.children.all()] == ["Economy", "Energy", "Climate and Ecology"]
    assert not Category.objects.filter(name__iexact="Home").exists()


def test_opinion_seed_article_has_its_byline_date_caption_and_provenance(seeded):
    article = Article.objects.get(category__slug="opinion")
    assert article.title.startswith("Aliyev and Erdoğan’s post-February 7 plans")
    assert article.standfirst.startswith("The upcoming February 7 presidential elections")
    assert [a.name for a in article.authors.all()] == ["AzeMedia"]
    assert article.authors.get().kind == Author.Kind.ORGANISATION
    assert timezone.localtime(article.published_at).date().isoformat() == "2023-12-15"
    assert article.image_caption == "Recep tayyip erdogan 2020 visit to baku with ilham aliyev 25"
    provenance = article.translation
    assert provenance.source.name == "Globalinfo.az"
    assert provenance.original_author.name == "Azer Aykhan"
    assert provenance.source_language == "az"
    assert not provenance.is_reprint


def test_every_paragraph_of_seed_003_is_in_its_article_body_in_order(seeded):
    article = Article.objects.get(category__slug="opinion")
    body_text = re.sub(r"<[^>]+>", "\n", article.body)
    position = 0
    paragraphs = parse_page(SEED_PAGE.read_text()).article.paragraphs
    # Independently of the parser: the first and last paragraphs as the document has them.
    raw = SEED_PAGE.read_text()
    assert "Russia and Iran can be singled out among them." in paragraphs[0]
    assert paragraphs[-1].endswith("The road continues…")
    for paragraph in paragraphs:
        assert paragraph in raw.replace("\n", " ") or paragraph in " ".join(raw.split())
        found = body_text.find(paragraph, position)
        assert found >= 0, paragraph[:60]
        position = found + len(paragraph)
    assert len(paragraphs) == 15
    assert "Azer Aykhan" not in body_text and "You Might Also Like" not in body_text


def test_news_seed_article_keeps_every_paragraph_and_has_an_honest_headline(seeded):
    article = Article.objects.get(category__slug="news")
    raw_paragraphs = [p.strip() for p in SEED_REPORT.read_text().split("\n\n") if p.strip()]
    raw_paragraphs[0] = raw_paragraphs[0].split("2024-02-16", 1)[1].strip()
    for paragraph in raw_paragraphs:
        assert (
            paragraph.replace('"', "&quot;").replace("'", "&#x27;") in article.body
            or (paragraph in article.body)
            or paragraph.replace('"', "&quot;") in article.body
        ), paragraph[:60]
    assert raw_paragraphs[0].startswith(article.title)
    assert timezone.localtime(article.published_at).date().isoformat() == "2024-02-16"
    assert not article.authors.exists()
    assert not hasattr(article, "translation") or article.translation is None


def test_static_pages_exist_and_legal_ones_are_marked_as_placeholders(seeded):
    pages = {p.title: p for p in FlatPage.objects.all()}
    assert set(pages) == {"Who we are", "Privacy Policy", "Terms and Conditions", "Cookies Policy"}
    assert "unique political and socio-cultural digest" in pages["Who we are"].content
    for title in ("Privacy Policy", "Terms and Conditions", "Cookies Policy"):
        assert "has not been written yet" in pages[title].content


def test_no_seed_text_is_typed_into_the_code():
    """The documents' sentences reach the fixtures only through the parsers."""
    root = Path(settings.BASE_DIR)
    code = "\n".join(
        path.read_text()
        for folder in ("articles", "digest", "templates", "static")
        for path in (root / folder).rglob("*")
        if path.suffix in {".py", ".html", ".js", ".css", ".txt"}
    )
    sentences = []
    for document in (SEED_PAGE, SEED_REPORT):
        sentences += [s for s in re.split(r"(?<=[.!?…])\s+", document.read_text()) if len(s) > 40]
    assert len(sentences) > 50
    for sentence in sentences:
        assert sentence[:40] not in code, sentence


@pytest.mark.django_db
def test_load_seed_does_not_load_into_a_database_with_content(make_category):
    make_category("Existing")
    call_command("load_seed", verbosity=0)
    assert not Article.objects.exists()
