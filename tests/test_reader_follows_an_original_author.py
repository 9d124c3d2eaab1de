"""A reader follows "Original author: Azer Aykhan" from a translation: the original author's
page lists the translations of their work; a translator's page lists their translations."""

from articles import services
from articles.models import Article, Author

MAX_QUERIES = 10


def test_an_original_authors_page_lists_the_translations_of_their_work(
    client, seeded, django_assert_max_num_queries
):
    opinion = Article.objects.get(category__slug="opinion")
    link = client.get(opinion.get_absolute_url()).content.decode()
    assert '<dt>Original author</dt><dd><a href="/author/azer-aykhan/">Azer Aykhan</a>' in link
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/author/azer-aykhan/").content.decode()
    works = html.split('id="original-works-title"')[1].split("</section>")[0]
    assert "Translations of Azer Aykhan’s work" in works
    assert f'href="{opinion.get_absolute_url()}"' in works
    assert "No articles under this byline yet." not in html
    assert 'id="by-title"' not in html


def test_a_translators_page_lists_bylines_and_translations(
    client, seeded, make_article, django_assert_max_num_queries
):
    tara = services.author_get_or_create(name="Tara Translator")
    translated = make_article(title="Translated by Tara", translation={"translator": tara})
    written = make_article(title="Written by Tara", authors=[tara])
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get(tara.get_absolute_url()).content.decode()
    articles = html.split('id="by-title"')[1].split("</section>")[0]
    translations = html.split('id="translations-title"')[1].split("</section>")[0]
    assert written.title in articles and translated.title not in articles
    assert translated.title in translations
    assert 'id="original-works-title"' not in html


def test_the_authors_sitemap_lists_original_authors(client, seeded):
    xml = client.get("/sitemap-authors.xml").content.decode()
    assert "http://testserver/author/azer-aykhan/" in xml
    assert Author.objects.filter(slug="azer-aykhan").exists()
