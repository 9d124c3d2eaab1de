"""The admin keeps the byline in the order the editor gives it (issue 16, item 8): the order
chosen in the authors field is saved, shown again, compared and restored."""

import re

import pytest
from reversion.models import Version

from articles import services
from articles.models import Article, Byline


def change(client, article, data):
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def byline(article):
    return [author.name for author in Article.objects.get(pk=article.pk).authors.all()]


def selected_options(page, name="authors"):
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, f"no <select name={name!r}> in the form"
    return re.findall(r"<option [^>]*selected[^>]*>([^<]*)</option>", select.group(0))


@pytest.fixture
def pair(make_author):
    return make_author("Zeynəb Ə"), make_author("Anar B")


def test_editor_saves_the_byline_in_the_order_given(
    editor_client, make_article, pair, article_form_data
):
    zeyneb, anar = pair
    article = make_article(title="Two hands")
    response = change(
        editor_client,
        article,
        article_form_data(article, authors=[str(zeyneb.pk), str(anar.pk)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert byline(article) == ["Zeynəb Ə", "Anar B"]

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert selected_options(page) == ["Zeynəb Ə", "Anar B"]
    listing = editor_client.get("/admin/articles/article/").content.decode()
    assert "Zeynəb Ə, Anar B" in listing


def test_swapping_two_authors_is_a_change_kept_in_the_history(
    editor_client, make_article, pair, article_form_data
):
    zeyneb, anar = pair
    article = make_article(title="Two hands", authors=[zeyneb, anar])
    change(editor_client, article, article_form_data(article))
    article.refresh_from_db()
    first = Version.objects.get_for_object(article).get()
    compare_url = f"/admin/articles/article/{article.pk}/history/{first.pk}/compare/"
    assert "<h2>Authors</h2>" not in editor_client.get(compare_url).content.decode()

    change(
        editor_client, article, article_form_data(article, authors=[str(anar.pk), str(zeyneb.pk)])
    )

    assert byline(article) == ["Anar B", "Zeynəb Ə"]
    compare = editor_client.get(compare_url).content.decode()
    assert "<h2>Authors</h2>" in compare


def test_restoring_a_revision_brings_back_the_byline_order(
    editor_client, make_article, pair, article_form_data
):
    zeyneb, anar = pair
    article = make_article(title="Two hands", authors=[zeyneb, anar])
    change(editor_client, article, article_form_data(article))
    first = Version.objects.get_for_object(article).get()
    article.refresh_from_db()
    change(
        editor_client, article, article_form_data(article, authors=[str(anar.pk), str(zeyneb.pk)])
    )
    assert byline(article) == ["Anar B", "Zeynəb Ə"]

    url = f"/admin/articles/article/{article.pk}/history/{first.pk}/"
    page = editor_client.get(url)
    form = page.context["adminform"].form
    assert [a.name for a in form.initial["authors"]] == ["Zeynəb Ə", "Anar B"]
    assert selected_options(page.content.decode()) == ["Zeynəb Ə", "Anar B"]
    article.refresh_from_db()
    data = article_form_data(article, title=form.initial["title"], body=form.initial["body"])
    data["opened_version"] = str(form.initial["opened_version"])
    data["authors"] = [str(a.pk) for a in form.initial["authors"]]
    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert byline(article) == ["Zeynəb Ə", "Anar B"]


def test_reverting_a_revision_alone_restores_the_order(make_article, pair):
    import reversion

    zeyneb, anar = pair
    article = make_article(authors=[zeyneb, anar])
    with reversion.create_revision():
        reversion.add_to_revision(article)
    services.article_save(article=Article.objects.get(pk=article.pk), authors=[anar])
    services.article_save(article=Article.objects.get(pk=article.pk), authors=[anar, zeyneb])

    Version.objects.get_for_object(article).get().revision.revert(delete=True)

    assert byline(article) == ["Zeynəb Ə", "Anar B"]


def test_the_service_numbers_the_byline_and_drops_repeats(make_article, pair, make_author):
    zeyneb, anar = pair
    leyla = make_author("Leyla")
    article = make_article(authors=[zeyneb, anar, zeyneb])
    assert byline(article) == ["Zeynəb Ə", "Anar B"]
    services.article_save(article=Article.objects.get(pk=article.pk), authors=[leyla, zeyneb])
    rows = Byline.objects.filter(article=article).order_by("position")
    assert [(b.author.name, b.position) for b in rows] == [("Leyla", 0), ("Zeynəb Ə", 1)]


def test_a_translators_new_piece_is_still_bylined_with_their_profile(
    translator_client, translator, make_category, article_form_data
):
    profile = services.author_get_or_create(name="Me Myself")
    profile.user = translator
    profile.save()
    category = make_category("Culture")
    data = article_form_data(title="Carpets of Guba", body="<p>Words.</p>", category=category.pk)
    data.pop("authors", None)
    response = translator_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert byline(Article.objects.get(title="Carpets of Guba")) == ["Me Myself"]


def test_another_editors_new_order_is_named_and_merged_into_a_stale_form(
    make_staff, make_article, pair, article_form_data
):
    from django.test import Client

    zeyneb, anar = pair
    first, second = Client(), Client()
    first.force_login(make_staff("Editor", username="aygun", first_name="Aygün"))
    second.force_login(make_staff("Editor", username="murad"))
    article = make_article(title="Two hands", authors=[zeyneb, anar])
    url = f"/admin/articles/article/{article.pk}/change/"
    opened = second.get(url).context["adminform"].form.initial["opened_fingerprints"]
    swapped = article_form_data(article, authors=[str(anar.pk), str(zeyneb.pk)])
    assert first.post(url, swapped).status_code == 302

    mine = article_form_data(article, opened_fingerprints=opened, title="My headline")
    mine["authors"] = [str(zeyneb.pk), str(anar.pk)]  # the order this editor opened
    response = second.post(url, mine)

    page = response.content.decode()
    assert "They changed: Authors." in page
    assert selected_options(page) == ["Anar B", "Zeynəb Ə"]  # theirs, merged in
    shown = response.context["adminform"].form.data  # saving the merged form as shown
    assert second.post(url, dict(shown.lists())).status_code == 302
    assert byline(article) == ["Anar B", "Zeynəb Ə"]
    assert Article.objects.get(pk=article.pk).title == "My headline"
