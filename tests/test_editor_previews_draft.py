"""Signed preview links show an unpublished article to someone without an account."""

from django.core import signing

from articles.models import Article
from articles.preview import preview_token, preview_url


def test_preview_link_shows_a_draft_to_an_anonymous_visitor(client, make_article):
    draft = make_article(
        title="Unseen draft", status=Article.Status.DRAFT, published_at=None, body="<p>Hidden</p>"
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unseen draft" in page and "<p>Hidden</p>" in page
    assert "Preview: this article is not public" in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_expired_preview_link_is_not_found(client, make_article, settings):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    url = preview_url(draft)
    settings.DIGEST_PREVIEW_MAX_AGE = -1
    assert client.get(url).status_code == 404


def test_tampered_preview_link_is_not_found(client, make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    other = make_article(status=Article.Status.DRAFT, published_at=None)
    token = preview_token(draft)
    forged = f"{other.pk}{token[len(str(draft.pk)) :]}"
    assert client.get(f"/preview/{forged}/").status_code == 404
    assert client.get("/preview/not-a-token/").status_code == 404
    unsalted = signing.TimestampSigner().sign(str(other.pk))
    assert client.get(f"/preview/{unsalted}/").status_code == 404


def test_change_form_offers_preview_for_unpublished_and_view_on_site_for_published(
    editor_client, make_article
):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert 'class="previewlink"' in page and "/preview/" in page
    assert "View on site" not in page
    published = make_article()
    page = editor_client.get(f"/admin/articles/article/{published.pk}/change/").content.decode()
    assert 'class="previewlink"' not in page and "View on site" in page


# --- Preview links can be revoked (issue 16) --------------------------------------------------


def test_publishing_and_unpublishing_revoke_the_preview_links_sent_before(client, make_article):
    from articles import services

    draft = make_article(
        title="Embargoed interview", status=Article.Status.DRAFT, published_at=None
    )
    before_publishing = preview_url(draft)
    assert client.get(before_publishing).status_code == 200
    services.article_publish(article=draft)
    assert client.get(before_publishing).status_code == 404
    article = Article.objects.get(pk=draft.pk)
    while_published = preview_url(article)
    services.article_unpublish(article=article)
    response = client.get(while_published)
    assert response.status_code == 404 and "Embargoed interview" not in response.text
    assert client.get(preview_url(Article.objects.get(pk=draft.pk))).status_code == 200
    # Other saves keep the links working.
    article = Article.objects.get(pk=draft.pk)
    link = preview_url(article)
    services.article_save(article=article, standfirst="A new standfirst.")
    assert client.get(link).status_code == 200


def test_an_editor_revokes_the_preview_links_from_the_admin(client, editor_client, make_article):
    draft = make_article(title="Leaked draft", status=Article.Status.DRAFT, published_at=None)
    link = preview_url(draft)
    assert client.get(link).status_code == 200
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "revoke_previews", "_selected_action": [str(draft.pk)]},
        follow=True,
    )
    assert "preview links revoked" in response.text
    assert client.get(link).status_code == 404
    assert client.get(preview_url(Article.objects.get(pk=draft.pk))).status_code == 200
