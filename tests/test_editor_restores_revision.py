"""Every admin save keeps a revision; editors compare and restore them."""

import reversion
from reversion.models import Version

from articles.models import Article


def change(client, article, data):
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def test_admin_saves_keep_revisions_with_who_and_when(
    editor_client, editor, make_article, article_form_data
):
    article = make_article(title="First words")
    change(editor_client, article, article_form_data(article, title="Second words"))
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    assert versions[0].revision.user == editor
    page = editor_client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert editor.username in page and "Compare with now" in page


def test_editor_compares_and_restores_an_earlier_revision(
    editor_client, make_article, article_form_data
):
    article = make_article(title="Before", body="<p>The original paragraph.</p>")
    change(editor_client, article, article_form_data(article))  # revision of "Before"
    article.refresh_from_db()
    change(
        editor_client,
        article,
        article_form_data(article, title="After", body="<p>A rewritten paragraph.</p>"),
    )
    article.refresh_from_db()
    assert article.title == "After" and article.version == 3
    first = Version.objects.get_for_object(article).order_by("pk").first()

    compare = editor_client.get(
        f"/admin/articles/article/{article.pk}/history/{first.pk}/compare/"
    ).content.decode()
    assert "Before" in compare and "After" in compare and "original&nbsp;paragraph" in compare

    revision_url = f"/admin/articles/article/{article.pk}/history/{first.pk}/"
    form = editor_client.get(revision_url).context["adminform"].form
    assert form.initial["title"] == "Before"
    data = article_form_data(article, title="Before", body=form.initial["body"])
    data["opened_version"] = str(form.initial["opened_version"])
    response = editor_client.post(revision_url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Before" and "original paragraph" in article.body
    # Restoring never lowers the version counter: an older open form is still stale.
    assert article.version == 4


def test_revisions_follow_the_provenance(make_article, make_author):
    from articles import services

    article = make_article()
    with reversion.create_revision():
        services.article_save(article=article, translation={"original_title": "Orijinal"})
    version = Version.objects.get_for_object(article).first()
    models = {v.content_type.model for v in version.revision.version_set.all()}
    assert models == {"article", "translation"}
    assert Article.objects.get(pk=article.pk).translation.original_title == "Orijinal"
