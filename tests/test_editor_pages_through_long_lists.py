"""Long change lists (issue 19): the exact count when it is cheap, an estimate labelled as such
when not, and paging that reaches every page, deep ones through a deferred join."""

import re

import pytest
from django.db import connection

from articles.admin import ArticleAdmin
from articles.admin.changelist import CappedCountPaginator
from articles.models import Article


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 5)
    monkeypatch.setattr(CappedCountPaginator, "DEFERRED_FROM", 6)
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 4)


@pytest.fixture
def archive(make_article):
    return [make_article(title=f"Archive piece {n:02d}") for n in range(22)]


def _titles(page):
    return re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a></th>', page)


def test_a_short_list_is_counted_exactly(editor_client, archive):
    page = editor_client.get("/admin/articles/article/?status__exact=published").content.decode()
    assert "22 articles" in page and "estimated" not in page


def test_past_the_cap_the_count_is_exact_or_an_estimate_that_says_so(
    editor_client, archive, small_pages
):
    # No ANALYZE here: its statistics would outlive the test's rolled-back rows.
    page = editor_client.get("/admin/articles/article/?status__exact=published").content.decode()
    if connection.vendor == "postgresql":
        number = re.search(r"about ([\d,]+) articles \(estimated\)", page)
        assert number, page[-3000:]
        assert int(number[1].replace(",", "")) >= 6
    else:
        assert "22 articles" in page and "estimated" not in page
    assert "10001" not in page


def test_paging_reaches_every_article_exactly_once(editor_client, archive, small_pages):
    seen, number = [], 1
    while number < 20:
        response = editor_client.get(
            "/admin/articles/article/", {"status__exact": "published", "p": number}
        )
        assert response.status_code == 200
        titles = _titles(response.content.decode())
        if not titles:
            break
        seen += titles
        if "Next page ›" not in response.content.decode():
            break
        number += 1
    expected = [
        a.title for a in Article.objects.filter(status="published").order_by("-published_at", "-id")
    ]
    assert seen == expected and len(seen) == 22


def test_a_page_past_an_estimate_is_served_not_refused(editor_client, archive, small_pages):
    response = editor_client.get("/admin/articles/article/", {"status__exact": "published", "p": 6})
    assert response.status_code == 200
    assert _titles(response.content.decode()) == [
        a.title for a in Article.objects.order_by("-published_at", "-id")[20:22]
    ]


def test_a_long_list_of_authors_or_outlets_becomes_an_autocomplete_filter(
    editor_client, make_article, make_author, django_assert_max_num_queries
):
    from articles import services
    from articles.admin.filters import AutocompleteRelatedFilter

    few = [make_author(f"Writer {n}") for n in range(3)]
    make_article(authors=few)
    page = editor_client.get("/admin/articles/article/").content.decode()
    assert "Writer 2" in page.split('id="changelist-filter"', 1)[1]
    assert 'class="desk-filter-autocomplete"' not in page

    many = [make_author(f"Contributor {n}") for n in range(AutocompleteRelatedFilter.LONG + 1)]
    outlets = [services.source_get_or_create(name=f"Outlet {n}") for n in range(40)]
    make_article(authors=many[:2], translation={"source": outlets[7]})
    with django_assert_max_num_queries(22):
        page = editor_client.get("/admin/articles/article/").content.decode()
    sidebar = page.split('id="changelist-filter"', 1)[1]
    assert "Contributor 12" not in sidebar and "Outlet 30" not in sidebar
    assert sidebar.count('class="desk-filter-autocomplete"') == 2
    assert 'data-model-name="article" data-field-name="authors"' in sidebar
    assert 'data-model-name="translation" data-field-name="source"' in sidebar
    assert "articles/admin/filter_autocomplete.js" in page

    chosen = editor_client.get(
        f"/admin/articles/article/?translation__source__id__exact={outlets[7].pk}"
    )
    assert len(chosen.context["cl"].result_list) == 1
    assert f'<option value="{outlets[7].pk}" selected>Outlet 7</option>' in chosen.content.decode()
    suggestions = editor_client.get(
        "/admin/autocomplete/",
        {"term": "Outlet 3", "app_label": "articles", "model_name": "translation",
         "field_name": "source"},
    ).json()  # fmt: skip
    assert "Outlet 3" in [item["text"] for item in suggestions["results"]]
