"""Every admin save keeps a revision; editors compare and restore them."""

from datetime import UTC, datetime

import reversion
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Tag, TaggedArticle


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


def tags_of(article):
    return sorted(Article.objects.get(pk=article.pk).tags.values_list("name", flat=True))


def authors_of(article):
    return sorted(Article.objects.get(pk=article.pk).authors.values_list("name", flat=True))


def restore(client, article, version, article_form_data):
    """Open *version* in the admin and save it, as an editor does; returns the GET's form."""
    url = f"/admin/articles/article/{article.pk}/history/{version.pk}/"
    form = client.get(url).context["adminform"].form
    article.refresh_from_db()
    data = article_form_data(article, **{
        name: form.initial[name] for name in ["title", "body", "opened_version"]
    })  # fmt: skip
    data["tags"] = form.initial["tags"]
    data["authors"] = [str(author.pk) for author in form.initial["authors"]]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return form


def test_restoring_a_revision_brings_back_its_tags_and_byline(
    editor_client, make_article, make_author, article_form_data
):
    aysel, murad = make_author("Aysel"), make_author("Murad")
    article = make_article(tags=["Baku", "Energy"], authors=[aysel])
    change(editor_client, article, article_form_data(article, tags=["Baku", "Energy"]))
    first = Version.objects.get_for_object(article).get()
    article.refresh_from_db()
    change(
        editor_client,
        article,
        article_form_data(article, tags=["Baku", "Ganja"], authors=[str(aysel.pk), str(murad.pk)]),
    )
    assert tags_of(article) == ["Baku", "Ganja"]
    assert authors_of(article) == ["Aysel", "Murad"]

    form = restore(editor_client, article, first, article_form_data)
    # The revision's form shows the tags and byline as they were.
    assert sorted(form.initial["tags"]) == ["Baku", "Energy"]
    assert [a.name for a in form.initial["authors"]] == ["Aysel"]
    assert tags_of(article) == ["Baku", "Energy"]
    assert authors_of(article) == ["Aysel"]
    assert Tag.objects.filter(name="Ganja").exists()  # other articles may still use it


def test_reverting_a_revision_alone_restores_the_tag_links(make_article, make_author):
    from articles import services

    article = make_article(tags=["Baku"])
    with reversion.create_revision():
        reversion.add_to_revision(article)
    services.article_save(article=Article.objects.get(pk=article.pk), tags=["Ganja", "Şəki"])
    Version.objects.get_for_object(article).get().revision.revert(delete=True)
    assert tags_of(article) == ["Baku"]


def test_viewing_an_old_revision_changes_nothing(editor_client, make_article, article_form_data):
    article = make_article(tags=["Baku"])
    change(editor_client, article, article_form_data(article, tags=["Baku"]))
    first = Version.objects.get_for_object(article).get()
    article.refresh_from_db()
    change(editor_client, article, article_form_data(article, tags=["Ganja"]))
    editor_client.get(f"/admin/articles/article/{article.pk}/history/{first.pk}/")
    assert tags_of(article) == ["Ganja"]


def test_restoring_brings_back_a_tag_deleted_since(editor_client, make_article, article_form_data):
    article = make_article()
    change(editor_client, article, article_form_data(article, tags=["Erdoğan", "Baku"]))
    first = Version.objects.get_for_object(article).get()
    Tag.objects.get(name="Erdoğan").delete()
    article.refresh_from_db()
    change(editor_client, article, article_form_data(article, tags=["Baku"]))

    form = restore(editor_client, article, first, article_form_data)
    assert sorted(form.initial["tags"]) == ["Baku", "Erdoğan"]
    assert tags_of(article) == ["Baku", "Erdoğan"]
    assert Tag.objects.get(name="Erdoğan").slug == "erdogan"


def test_a_new_articles_first_revision_holds_its_tags(
    editor_client, make_category, article_form_data
):
    data = article_form_data(title="Fresh", category=str(make_category().pk), tags=["Baku"])
    editor_client.post("/admin/articles/article/add/", data)
    article = Article.objects.get(title="Fresh")
    revision = Version.objects.get_for_object(article).get().revision
    links = revision.version_set.get_for_model(TaggedArticle)
    assert [v.object_repr for v in links] == ["Baku"]


def test_compare_shows_changed_tags_and_byline(
    editor_client, make_article, make_author, article_form_data
):
    aysel, murad = make_author("Aysel"), make_author("Murad")
    article = make_article(tags=["Baku"], authors=[aysel])
    change(editor_client, article, article_form_data(article, tags=["Baku"]))
    first = Version.objects.get_for_object(article).get()
    article.refresh_from_db()
    change(
        editor_client,
        article,
        article_form_data(article, tags=["Baku", "Ganja"], authors=[str(murad.pk)]),
    )
    page = editor_client.get(
        f"/admin/articles/article/{article.pk}/history/{first.pk}/compare/"
    ).content.decode()
    assert "<h2>Tags</h2>" in page and "Ganja" in page
    assert "<h2>Authors</h2>" in page and "Aysel" in page and "Murad" in page


def test_compare_lists_only_what_changed_and_a_rescheduling_in_the_sites_time(
    editor_client, make_article, article_form_data
):
    """The revision keeps the publication time in the site's zone and the article holds it in
    UTC: the same moment is no change, and a real one is shown in the site's zone both sides."""
    article = make_article(title="Before", published_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    change(editor_client, article, article_form_data(article))  # revision of "Before"
    first = Version.objects.get_for_object(article).get()
    article.refresh_from_db()
    change(editor_client, article, article_form_data(article, title="After"))
    compare_url = f"/admin/articles/article/{article.pk}/history/{first.pk}/compare/"
    response = editor_client.get(compare_url)
    assert [label for label, _ in response.context["rows"]] == ["title"]
    # The heading gives the revision's time in the site's zone, as the rest of the admin does.
    saved = timezone.localtime(first.revision.date_created)
    assert response.context["title"] == f"Changes to “After” since {saved:%Y-%m-%d %H:%M}"
    assert "<h2>Title</h2>" in response.content.decode()

    article.refresh_from_db()
    change(
        editor_client,
        article,
        article_form_data(article, published_at_0="2026-03-02", published_at_1="12:00:00"),
    )
    response = editor_client.get(compare_url)
    rows = dict(response.context["rows"])
    assert list(rows) == ["title", "publication time"]
    # 08:00 UTC and 12:00 in Baku (UTC+4), both written in the site's zone.
    assert "12:00:00+04:00" in rows["publication time"]
    assert "+00:00" not in rows["publication time"]
