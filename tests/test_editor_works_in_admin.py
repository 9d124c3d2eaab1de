"""The article change list and change form: columns, filters, search, query counts."""

import re

import pytest
from django.db import connection
from django.test import Client

from articles import services
from articles.models import Article


@pytest.fixture
def many_articles(make_article, make_author, make_category):
    authors = [make_author(f"Writer {i}") for i in range(3)]
    categories = [make_category(f"Section {i}") for i in range(3)]
    return [
        make_article(
            title=f"Story {i}",
            category=categories[i % 3],
            authors=authors[: 1 + i % 3],
            translation={"original_title": f"Orijinal {i}"} if i % 2 else None,
        )
        for i in range(12)
    ]


def test_change_list_shows_the_newsroom_columns(editor_client, many_articles):
    page = editor_client.get("/admin/articles/article/").content.decode()
    for heading in ["Title", "Status", "Category", "Authors", "Publication time", "Featured"]:
        assert heading in page
    assert "Writer 0, Writer 1" in page
    assert "Story 11" in page


def _listed_titles(page):
    """The titles in the change list's rows, top to bottom."""
    return re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a></th>', page)


def _selected_options(page, name):
    """The labels of the options selected in the form's <select name="*name*">."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, f"no <select name={name!r}> in the form"
    return re.findall(r"<option [^>]*selected[^>]*>([^<]*)</option>", select.group(0))


def test_change_list_query_count_does_not_grow_with_the_page(
    editor_client, many_articles, make_article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = editor_client.get("/admin/articles/article/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _listed_titles(page) == [f"Story {i}" for i in reversed(range(12))]
    assert "12 articles" in page
    newer = [make_article().title for _ in range(20)]
    with django_assert_max_num_queries(16):
        response = editor_client.get("/admin/articles/article/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _listed_titles(page) == [*reversed(newer), *(f"Story {i}" for i in reversed(range(12)))]
    assert "32 articles" in page


def test_change_list_filters_by_provenance_author_and_searches_the_body(
    editor_client, many_articles
):
    translated = editor_client.get("/admin/articles/article/?translated=yes")
    titles = {a.title for a in translated.context["cl"].result_list}
    assert titles == {f"Story {i}" for i in range(1, 12, 2)}
    found = editor_client.get("/admin/articles/article/?q=Ankara").context["cl"].result_list
    assert len(found) == 12
    author = many_articles[0].authors.first()
    by_author = editor_client.get(f"/admin/articles/article/?authors__id__exact={author.pk}")
    assert len(by_author.context["cl"].result_list) == 12


def test_change_list_search_finds_a_title_fragment_from_an_index(editor_client, make_article):
    """A fragment inside a word ("ipelin") matches the title; on PostgreSQL it is read from a
    trigram index on the upper-cased title, the expression the search compares (migration
    0009), so at a million articles the search does not scan every row."""
    make_article(title="Trans-Caspian pipelines reopen")
    make_article(title="Nothing to see")
    found = editor_client.get("/admin/articles/article/?q=ipelin").context["cl"].result_list
    assert [a.title for a in found] == ["Trans-Caspian pipelines reopen"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_title_trgm_idx'"
            )
            (definition,) = cursor.fetchone()
        assert "gin" in definition and "upper((title)::text) gin_trgm_ops" in definition


@pytest.mark.parametrize("few", [5000, 1])
def test_change_list_search_lists_the_same_whether_matches_are_few_or_many(
    editor_client, make_article, monkeypatch, few
):
    """Up to SEARCH_FEW matches are read from the indexes and sorted; more are found by
    walking the newest-first list. Both ways list the same articles, newest first."""
    from articles.admin import changelist

    monkeypatch.setattr(changelist, "SEARCH_FEW", few)
    make_article(title="Caspian ferry", body="<p>Nothing else.</p>")
    make_article(title="Harbour", body="<p>The ferry sails.</p>")
    make_article(title="Unrelated", body="<p>Nothing.</p>")
    found = editor_client.get("/admin/articles/article/?q=ferry").context["cl"].result_list
    assert sorted(a.title for a in found) == ["Caspian ferry", "Harbour"]
    fragment = editor_client.get("/admin/articles/article/?q=aspia").context["cl"].result_list
    assert [a.title for a in fragment] == ["Caspian ferry"]


def test_change_form_shows_word_count_reading_time_and_rich_text_editor(
    editor_client, make_article
):
    article = make_article(body="<p>" + "word " * 450 + "</p>")
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "450" in page and "Reading minutes" in page
    assert "data-django-prose-editor" in page
    assert "articles/admin/urlify.js" in page
    assert 'name="opened_version" value="1"' in page
    for group in ["Content", "Featured image", "Publishing", "SEO"]:
        assert f">{group}<" in page


def test_change_form_query_count_is_constant(
    editor_client, make_article, make_author, django_assert_max_num_queries
):
    authors = [make_author(f"Byline {i}") for i in range(5)]
    article = make_article(title="Five hands, three tags", authors=authors, tags=["a", "b", "c"])
    with django_assert_max_num_queries(30):
        response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Five hands, three tags | Change article |" in page
    assert 'name="title" value="Five hands, three tags"' in page
    assert _selected_options(page, "authors") == [f"Byline {i}" for i in range(5)]
    assert _selected_options(page, "tags") == ["a", "b", "c"]


def test_body_from_the_editor_is_sanitised_on_save(editor_client, make_article, article_form_data):
    article = make_article()
    pasted = (
        '<p class="MsoNormal" style="mso-fareast">Word <b>text</b>'
        '<script>alert(1)</script><a href="javascript:alert(1)">x</a></p>'
    )
    editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_form_data(article, body=pasted)
    )
    article.refresh_from_db()
    assert "script" not in article.body and "javascript" not in article.body
    assert "MsoNormal" not in article.body and "mso-" not in article.body
    assert "Word" in article.body


def test_staff_see_an_edit_link_that_is_never_cached_for_readers(client, editor, make_article):
    article = make_article()
    reader = client.get(article.get_absolute_url())
    assert "/admin/articles/article/" not in reader.content.decode()
    assert "Cookie" in reader["Vary"]
    staff = Client()
    staff.force_login(editor)
    response = staff.get(article.get_absolute_url())
    assert f"/admin/articles/article/{article.pk}/change/" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_translator_gets_their_author_profile_as_byline(
    translator_client, translator, make_category, article_form_data
):
    profile = services.author_get_or_create(name="Leyla Translator")
    profile.user = translator
    profile.save()
    translator_client.post(
        "/admin/articles/article/add/",
        article_form_data(title="By me", category=str(make_category().pk)),
    )
    assert list(Article.objects.get(title="By me").authors.all()) == [profile]
