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


# --- Issue 19: name exactly what they changed, merge the rest, both versions side by side ---


@pytest.fixture
def two_editors(make_staff):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(make_staff("Editor", username="aygun", first_name="Aygün"))
    second.force_login(make_staff("Editor", username="murad"))
    return first, second


def _opened(client, article):
    """The change form's data as the browser would post it back untouched."""
    form = client.get(f"/admin/articles/article/{article.pk}/change/").context["adminform"].form
    return form


def test_the_refusal_names_exactly_the_field_the_other_editor_changed(
    two_editors, make_article, article_form_data
):
    first, second = two_editors
    article = make_article(title="Original headline", standfirst="As it was.")
    url = f"/admin/articles/article/{article.pk}/change/"
    mine = article_form_data(article, opened_fingerprints=_opened(second, article).initial[
        "opened_fingerprints"], body="<p>My rewrite.</p>")  # fmt: skip
    assert first.post(url, article_form_data(article, title="Their headline")).status_code == 302

    page = second.post(url, mine).content.decode()

    assert "They changed: Title." in page
    assert "None" not in page.split("They changed:")[1].split(".")[0]
    assert "Standfirst" not in page.split("They changed:")[1].split(".")[0]
    assert "(by Aygün at" in page


def test_fields_only_one_side_changed_are_merged_and_saved_together(
    two_editors, make_article, article_form_data
):
    first, second = two_editors
    article = make_article(title="Original headline", body="<p>Original body.</p>")
    url = f"/admin/articles/article/{article.pk}/change/"
    fingerprints = _opened(second, article).initial["opened_fingerprints"]
    first.post(url, article_form_data(article, title="Their headline"))

    response = second.post(
        url,
        article_form_data(
            article, opened_fingerprints=fingerprints, body="<p>My careful rewrite.</p>"
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Their Title is now in the form, with your changes kept." in page
    form = response.context["adminform"].form
    assert form["title"].value() == "Their headline"  # theirs, merged in
    assert "My careful rewrite." in form["body"].value()  # mine, kept
    article.refresh_from_db()
    assert article.title == "Their headline" and "Original body" in article.body  # nothing saved

    again = second.post(url, form.data)  # saving the merged form as shown

    assert again.status_code == 302
    article.refresh_from_db()
    assert article.title == "Their headline"
    assert "My careful rewrite." in article.body
    assert article.version == 3


def test_a_field_both_changed_is_shown_side_by_side_and_theirs_can_be_kept(
    two_editors, make_article, article_form_data
):
    first, second = two_editors
    article = make_article(title="Original headline", standfirst="Original standfirst.")
    url = f"/admin/articles/article/{article.pk}/change/"
    fingerprints = _opened(second, article).initial["opened_fingerprints"]
    first.post(url, article_form_data(article, standfirst="Their standfirst."))

    response = second.post(
        url,
        article_form_data(
            article, opened_fingerprints=fingerprints, standfirst="My standfirst.",
            title="My headline",
        ),
    )  # fmt: skip

    page = response.content.decode()
    assert "They changed: Standfirst." in page
    assert "You both changed Standfirst: compare the two versions below and choose." in page
    flat = " ".join(page.split()).replace("> <", "><")
    assert '<div class="desk-theirs"><h4>Theirs</h4><p>Their standfirst.</p></div>' in flat
    assert '<div class="desk-mine"><h4>Yours</h4><p>My standfirst.</p></div>' in flat
    form = response.context["adminform"].form
    assert form["standfirst"].value() == "My standfirst."  # mine stays in the form

    data = form.data.copy()
    data.setlist("take_theirs", ["standfirst"])
    assert second.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.standfirst == "Their standfirst."
    assert article.title == "My headline"


def test_a_provenance_change_by_the_other_editor_is_named(
    two_editors, make_article, article_form_data
):
    first, second = two_editors
    article = make_article(translation={"original_title": "Orijinal", "source_language": "az"})
    url = f"/admin/articles/article/{article.pk}/change/"
    fingerprints = _opened(second, article).initial["opened_fingerprints"]
    theirs = article_form_data(article)
    theirs["translation-0-original_title"] = "Düzəldilmiş"
    assert first.post(url, theirs).status_code == 302

    page = second.post(
        url, article_form_data(article, opened_fingerprints=fingerprints, title="Mine")
    ).content.decode()

    assert "They changed: provenance: original title." in page


def test_a_stale_save_when_they_changed_none_of_the_forms_fields_says_so(
    two_editors, make_article, article_form_data
):
    first, second = two_editors
    article = make_article(title="Original headline")
    url = f"/admin/articles/article/{article.pk}/change/"
    fingerprints = _opened(second, article).initial["opened_fingerprints"]
    services.article_save(article=Article.objects.get(pk=article.pk))  # a save changing nothing

    response = second.post(
        url, article_form_data(article, opened_fingerprints=fingerprints, title="Mine")
    )

    assert response.status_code == 200
    assert "They changed none of the fields of this form." in response.content.decode()
