"""Changing a published article's slug or category leaves 301s from every old address."""

from django.contrib.redirects.models import Redirect

from articles import services
from articles.models import Article


def test_slug_change_redirects_the_old_address(client, make_article):
    article = make_article(title="First headline")
    old_url = article.get_absolute_url()
    services.article_save(article=article, slug="better-headline")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_every_old_address_points_straight_to_the_newest(client, make_article, make_category):
    article = make_article(slug="one")
    first = article.get_absolute_url()
    services.article_save(article=article, slug="two")
    second = article.get_absolute_url()
    services.article_save(article=article, category=make_category("Energy"), slug="three")
    newest = article.get_absolute_url()
    for old in (first, second):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == newest
    assert not Redirect.objects.filter(old_path=newest).exists()


def test_moving_back_removes_the_redirect_loop(client, make_article):
    article = make_article(slug="here")
    services.article_save(article=article, slug="there")
    services.article_save(article=article, slug="here")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/" + article.category.slug + "/there/").status_code == 301


def test_a_draft_changing_slug_leaves_no_redirect(make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None, slug="draft-slug")
    services.article_save(article=draft, slug="another-slug")
    assert not Redirect.objects.exists()


def test_server_reslugifies_whatever_the_form_sends(editor_client, make_article, article_form_data):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form_data(article, slug="Şuşa-ərazisi"),
    )
    assert Article.objects.get(pk=article.pk).slug == "shusha-erazisi"
