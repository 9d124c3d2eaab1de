"""A reader searches the articles: ranked full-text search with highlighted snippets, on
PostgreSQL and SQLite alike (every spelling of a name: test_reader_searches_by_any_spelling.py);
paginated; calm about empty and huge queries."""

import pytest

from articles.models import Article

MAX_QUERIES = 10


def search(client, query, django_assert_max_num_queries, **extra):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/search/", {"q": query, **extra})
    assert response.status_code == 200
    return response.content.decode()


def test_a_word_from_the_seed_body_finds_the_seed_article(
    client, seeded, django_assert_max_num_queries
):
    article = Article.objects.get(category__slug="opinion")
    html = search(client, "neighbors", django_assert_max_num_queries)
    assert article.get_absolute_url() in html
    assert "1 article found." in html
    # Crawlable (Lighthouse's SEO audit), but every query's page names /search/ itself as
    # canonical: search engines fold them into one page, so nobody gets junk queries indexed.
    assert '<link rel="canonical" href="http://testserver/search/">' in html
    assert 'name="robots"' not in html


def test_empty_query_shows_the_form_and_no_results(client, seeded, django_assert_max_num_queries):
    html = search(client, "   ", django_assert_max_num_queries)
    assert "Type a word" in html and "article found" not in html


def test_a_500_character_query_is_handled_calmly(client, seeded, django_assert_max_num_queries):
    html = search(client, "pipeline " * 56, django_assert_max_num_queries)
    assert "No articles match your search" in html


def test_search_results_are_paginated_and_never_show_unpublished(
    client, big_site, django_assert_max_num_queries
):
    html = search(client, "pipelines", django_assert_max_num_queries)
    assert "240 articles found." in html
    assert "Secret draft" not in html and "Scheduled pipelines" not in html
    assert 'href="?page=2&amp;q=pipelines"' in html
    second = search(client, "pipelines", django_assert_max_num_queries, page=2)
    assert "Page 2 of 12" in second


@pytest.mark.django_db
def test_title_matches_rank_first_and_the_snippet_is_highlighted(client, make_article):
    make_article(title="Weather today", body="<p>Rain over the Caspian pipelines.</p>")
    make_article(title="Caspian pipelines agreement", body="<p>A deal on gas.</p>")
    html = client.get("/search/", {"q": "pipeline"}).content.decode()
    assert html.index("Caspian pipelines agreement") < html.index("Weather today")
    assert "<mark>pipelines</mark>" in html


@pytest.mark.django_db
def test_search_understands_word_forms(client, make_article):
    make_article(title="Elections", body="<p>The president was elected again.</p>")
    assert "Elections" in client.get("/search/", {"q": "elect"}).content.decode()


@pytest.mark.django_db
def test_title_then_standfirst_then_body_matches_rank_newest_first(client, make_article):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    older_body = make_article(
        title="Older body match", body="<p>The ferry sails at dawn.</p>",
        published_at=now - timedelta(days=3),
    )  # fmt: skip
    newer_body = make_article(
        title="Newer body match", body="<p>Another ferry timetable.</p>",
        published_at=now - timedelta(days=1),
    )  # fmt: skip
    standfirst = make_article(
        title="Harbour news", standfirst="A new ferry for the Caspian.",
        published_at=now - timedelta(days=5),
    )  # fmt: skip
    title = make_article(title="Ferry returns", published_at=now - timedelta(days=9))
    html = client.get("/search/", {"q": "ferry"}).content.decode()
    order = [html.index(a.title) for a in (title, standfirst, newer_body, older_body)]
    assert order == sorted(order)
    assert "4 articles found." in html


def test_a_word_in_almost_every_article_ranks_only_the_newest_matches(
    client, make_article, monkeypatch, django_assert_max_num_queries
):
    """A word like "said" is in nearly every article of a big archive: ranking every match
    would read them all (seconds at a million articles). Only the newest SEARCH_RANKED
    matches are ranked and listed, and the page says that there may be more."""
    from datetime import timedelta

    from django.utils import timezone

    from articles import views

    monkeypatch.setattr(views, "SEARCH_RANKED", 5)
    now = timezone.now()
    made = [
        make_article(
            title=f"Common word story {n}",
            body="<p>The minister said so.</p>",
            published_at=now - timedelta(hours=n),
        )
        for n in range(8)
    ]
    html = search(client, "said", django_assert_max_num_queries)
    listed = [a for a in made if a.title in html]
    assert listed == made[:5]  # the newest five, none of the three older ones
    assert "5 or more articles match" in html
    assert "the newest 5, best first" in html
    assert "5 or more" in search(client, "minister", django_assert_max_num_queries, page=1)
    monkeypatch.setattr(views, "SEARCH_RANKED", 50)
    assert "8 articles found." in search(client, "minister", django_assert_max_num_queries)


def test_few_matches_are_all_ranked_however_old(client, make_article, monkeypatch):
    """Under the cut, every match is ranked: an old title match still comes first."""
    from datetime import timedelta

    from django.utils import timezone

    from articles import views

    monkeypatch.setattr(views, "SEARCH_RANKED", 5)
    now = timezone.now()
    make_article(title="Ferry returns", published_at=now - timedelta(days=900))
    for n in range(3):
        make_article(title=f"Harbour day {n}", body="<p>A ferry sails.</p>")
    make_article(title="Unrelated", body="<p>Trains.</p>")
    html = client.get("/search/", {"q": "ferry"}).content.decode()
    assert "4 articles found." in html and "or more" not in html
    assert html.index("Ferry returns") < html.index("Harbour day")


@pytest.mark.django_db
def test_a_query_of_exclusions_only_matches_nothing(client, make_article):
    """ "-ferry" would mean every article without the word: the search index cannot answer
    that, and reading every article to find out would take seconds at a million."""
    make_article(title="Trains", body="<p>Rail news.</p>")
    make_article(title="Ferry", body="<p>Sea news.</p>")
    for query in ["-ferry", "-ferry -rail", "the"]:
        html = client.get("/search/", {"q": query}).content.decode()
        assert "0 articles found." in html, query
    html = client.get("/search/", {"q": "news -ferry"}).content.decode()
    assert "1 article found." in html and "Trains" in html
