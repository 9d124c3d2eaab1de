"""Credit and people (issue 19): a translator makes their own author profile and a new source
outlet, a translated piece reaches review bylined and credited, an editor links profiles to
staff accounts and merges duplicates."""

import pytest
from django.contrib.redirects.models import Redirect
from django.core.exceptions import PermissionDenied

from articles import services
from articles.models import Article, Author, Source, Translation


def test_translator_adds_their_own_author_profile_linked_to_their_account(
    translator_client, translator
):
    page = translator_client.get("/admin/articles/author/add/")
    assert page.status_code == 200
    assert "This is me" in page.content.decode()
    assert 'name="user"' not in page.content.decode()

    response = translator_client.post(
        "/admin/articles/author/add/",
        {"name": "Leyla Quliyeva", "slug": "leyla-quliyeva", "kind": "person", "is_me": "on"},
    )

    assert response.status_code == 302
    assert Author.objects.get(name="Leyla Quliyeva").user == translator


def test_translator_adds_a_byline_profile_and_a_new_outlet(translator_client):
    author = translator_client.post(
        "/admin/articles/author/add/",
        {"name": "Rauf Aliyev", "slug": "rauf-aliyev", "kind": "person"},
    )
    outlet = translator_client.post(
        "/admin/articles/source/add/",
        {"name": "Qafqazinfo", "slug": "qafqazinfo", "url": "https://qafqazinfo.az/"},
    )

    assert author.status_code == outlet.status_code == 302
    assert Author.objects.get(name="Rauf Aliyev").user is None
    assert Source.objects.get(name="Qafqazinfo").url == "https://qafqazinfo.az/"


def test_translator_may_not_change_or_link_someone_elses_profile(
    translator, translator_client, make_staff
):
    other = make_staff("Editor")
    profile = services.author_get_or_create(name="Someone Else")
    assert translator_client.get(f"/admin/articles/author/{profile.pk}/change/").status_code in (
        200,
        403,
    )
    translator_client.post(
        f"/admin/articles/author/{profile.pk}/change/",
        {"name": "Hijacked", "slug": "someone-else", "kind": "person", "user": other.pk},
    )
    profile.refresh_from_db()
    assert profile.name == "Someone Else" and profile.user is None
    with pytest.raises(PermissionDenied, match="Only an editor links"):
        services.author_link_account(author=profile, account=other, user=translator)


def test_a_translator_with_a_profile_links_no_second_one(translator):
    services.author_create(name="Mine", user=translator, account=translator)
    with pytest.raises(PermissionDenied):
        services.author_create(name="Mine too", user=translator, account=translator)


def test_editor_links_an_author_profile_to_a_staff_account(editor_client, translator):
    profile = services.author_get_or_create(name="Leyla Quliyeva")
    page = editor_client.get(f"/admin/articles/author/{profile.pk}/change/").content.decode()
    assert f'<option value="{translator.pk}">{translator.username}</option>' in page

    response = editor_client.post(
        f"/admin/articles/author/{profile.pk}/change/",
        {"name": "Leyla Quliyeva", "slug": profile.slug, "kind": "person", "user": translator.pk},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.user == translator


def test_a_translators_new_piece_is_bylined_and_credited_by_default(
    translator, translator_client, make_category, article_form_data
):
    me = services.author_create(name="Leyla Quliyeva", user=translator, account=translator)
    form = translator_client.get("/admin/articles/article/add/")
    assert form.context["adminform"].form.initial["authors"] == [me.pk]
    provenance = form.context["inline_admin_formsets"][0].formset.forms[0]
    assert provenance.initial["translator"] == me.pk
    outlet = Source.objects.create(name="Qafqazinfo", slug="qafqazinfo")

    response = translator_client.post(
        "/admin/articles/article/add/",
        article_form_data(
            title="Translated by me",
            category=str(make_category("Opinion").pk),
            status="review",
            authors=[str(me.pk)],
            **{
                "translation-TOTAL_FORMS": "1",
                "translation-0-source": str(outlet.pk),
                "translation-0-source_language": "az",
                "translation-0-translator": str(me.pk),
            },
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(title="Translated by me")
    assert article.status == Article.Status.REVIEW
    assert list(article.authors.all()) == [me]
    assert article.translation.translator == me
    assert article.translation.source == outlet


def test_the_default_credit_alone_makes_no_provenance_for_an_original_piece(
    translator, translator_client, make_category, article_form_data
):
    me = services.author_create(name="Leyla Quliyeva", user=translator, account=translator)
    response = translator_client.post(
        "/admin/articles/article/add/",
        article_form_data(
            title="My own column",
            category=str(make_category("Opinion").pk),
            authors=[str(me.pk)],
            **{"translation-TOTAL_FORMS": "1", "translation-0-translator": str(me.pk)},
        ),
    )
    assert response.status_code == 302
    assert not Translation.objects.filter(article__title="My own column").exists()


def test_editor_merges_duplicate_authors_into_one(editor, editor_client, make_article):
    keep = services.author_get_or_create(name="Azer Aykhan")
    twin = services.author_get_or_create(name="Azer Ayxan")
    both = make_article(title="Both", authors=[keep, twin])
    only_twin = make_article(
        title="Twin only", authors=[twin], translation={"translator": twin, "source_url": ""}
    )
    only_twin_url = twin.get_absolute_url()

    response = editor_client.post(
        "/admin/articles/author/",
        {"action": "merge_authors", "_selected_action": [keep.pk, twin.pk]},
    )
    assert "These 2 authors will become one" in response.content.decode()
    editor_client.post(
        "/admin/articles/author/",
        {
            "action": "merge_authors",
            "_selected_action": [keep.pk, twin.pk],
            "apply": "1",
            "keep": keep.pk,
        },
    )

    assert not Author.objects.filter(pk=twin.pk).exists()
    assert list(both.authors.all()) == [keep]
    assert list(only_twin.authors.all()) == [keep]
    assert Translation.objects.get(article=only_twin).translator == keep
    assert Redirect.objects.get(old_path=only_twin_url).new_path == keep.get_absolute_url()


def test_editor_merges_duplicate_outlets(editor_client, make_article):
    keep = Source.objects.create(name="Report.az", slug="report-az")
    twin = Source.objects.create(name="Report AZ", slug="report-az-2", url="https://report.az/")
    article = make_article(translation={"source": twin})

    editor_client.post(
        "/admin/articles/source/",
        {
            "action": "merge_source_outlets",
            "_selected_action": [keep.pk, twin.pk],
            "apply": "1",
            "keep": keep.pk,
        },
    )

    assert list(Source.objects.values_list("name", flat=True)) == ["Report.az"]
    assert Translation.objects.get(article=article).source == keep
    keep.refresh_from_db()
    assert keep.url == "https://report.az/"


def test_translator_cannot_merge(translator, translator_client):
    one = services.author_get_or_create(name="One")
    two = services.author_get_or_create(name="Two")
    translator_client.post(
        "/admin/articles/author/",
        {"action": "merge_authors", "_selected_action": [one.pk, two.pk], "apply": "1",
         "keep": one.pk},
    )  # fmt: skip
    assert Author.objects.filter(pk__in=[one.pk, two.pk]).count() == 2
    with pytest.raises(PermissionDenied):
        services.author_merge(keep=one, duplicates=[two], user=translator)
