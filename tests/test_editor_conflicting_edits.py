"""Two editors open the same article; the second save must not silently undo the first."""

import pytest

from articles import services
from articles.models import Article


def test_second_save_from_a_stale_form_is_refused_and_keeps_what_was_typed(
    make_staff, make_article, article_form_data
):
    from django.test import Client

    article = make_article(title="Original headline")
    first, second = Client(), Client()
    first.force_login(make_staff("Editor"))
    second.force_login(make_staff("Editor"))
    # Both open version 1.
    form_first = article_form_data(article, title="First editor's headline")
    form_second = article_form_data(article, body="<p>Second editor's careful rewrite.</p>")
    url = f"/admin/articles/article/{article.pk}/change/"
    assert first.post(url, form_first).status_code == 302

    response = second.post(url, form_second)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this article while you were editing it" in page
    assert "you opened version 1, it is now version 2" in page
    assert f"/admin/articles/article/{article.pk}/history/" in page
    # What the second editor typed is still in the form, and nothing of it was saved.
    assert "Second editor&#x27;s careful rewrite." in page or "Second editor's careful" in page
    article.refresh_from_db()
    assert article.title == "First editor's headline"
    assert "careful rewrite" not in article.body
    assert article.version == 2


def test_a_fresh_form_saves_after_a_conflict(editor_client, make_article, article_form_data):
    article = make_article()
    services.article_save(article=Article.objects.get(pk=article.pk), title="Someone else")
    article.refresh_from_db()
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_form_data(article, title="Mine")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Mine" and article.version == 3


def test_service_refuses_a_save_from_an_older_version(make_article):
    article = make_article()
    stale_copy = Article.objects.get(pk=article.pk)
    services.article_save(article=article, title="Newer", expected_version=1)
    with pytest.raises(services.StaleArticleError, match="changed by someone else"):
        services.article_save(article=stale_copy, title="Older", expected_version=1)
    assert Article.objects.get(pk=article.pk).title == "Newer"
