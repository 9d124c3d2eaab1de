"""Who may do what in the newsroom: editors do everything, translators draft their own."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from articles import services
from articles.models import Article, Category, SiteIdentity

CHANGELIST = "/admin/articles/article/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


@pytest.fixture
def own_draft(translator, make_article):
    return make_article(status=Article.Status.DRAFT, published_at=None, created_by=translator)


def test_migrations_create_the_editor_and_translator_groups(db):
    editor = Group.objects.get(name="Editor")
    translator = Group.objects.get(name="Translator")
    editor_perms = set(editor.permissions.values_list("codename", flat=True))
    translator_perms = set(translator.permissions.values_list("codename", flat=True))
    assert {"publish_article", "change_category", "change_siteidentity", "change_flatpage"} <= (
        editor_perms
    )
    assert {"add_article", "change_article", "view_category"} <= translator_perms
    assert "publish_article" not in translator_perms
    assert not translator_perms & {"change_category", "change_siteidentity", "change_flatpage"}


def test_translator_creates_a_draft_that_is_recorded_as_theirs(
    translator_client, translator, make_category, article_form_data
):
    category = make_category("Opinion")
    response = translator_client.post(
        "/admin/articles/article/add/",
        article_form_data(title="Baku notes", category=str(category.pk), status="review"),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Baku notes")
    assert article.created_by == translator
    assert article.status == Article.Status.REVIEW


def test_translator_sees_only_their_own_articles_in_the_change_list(
    translator_client, own_draft, make_article
):
    make_article(title="Someone else's scoop")
    page = translator_client.get(CHANGELIST).content.decode()
    assert own_draft.title in page
    assert "Someone else&#x27;s scoop" not in page and "Someone else's scoop" not in page


def test_translator_is_offered_only_draft_and_review_statuses(translator_client, own_draft):
    form = translator_client.get(change_url(own_draft)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review"]
    assert "is_featured" not in form.fields and "published_at" not in form.fields


def test_translator_posting_published_status_directly_is_refused(
    translator_client, own_draft, article_form_data
):
    response = translator_client.post(
        change_url(own_draft), article_form_data(own_draft, status="published")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT


def test_translator_posting_featured_flag_directly_changes_nothing(
    translator_client, own_draft, article_form_data
):
    translator_client.post(change_url(own_draft), article_form_data(own_draft, is_featured="on"))
    own_draft.refresh_from_db()
    assert own_draft.is_featured is False


def test_translator_cannot_change_someone_elses_article_by_direct_post(
    translator_client, make_article, article_form_data
):
    other = make_article(status=Article.Status.DRAFT, published_at=None, title="Not yours")
    response = translator_client.post(change_url(other), article_form_data(other, title="Mine"))
    assert response.status_code in {302, 403, 404}
    other.refresh_from_db()
    assert other.title == "Not yours"


def test_translator_cannot_edit_their_own_piece_once_published(
    translator_client, translator, make_article, article_form_data
):
    published = make_article(created_by=translator, title="Out already")
    response = translator_client.post(
        change_url(published), article_form_data(published, title="Changed")
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Out already"


@pytest.mark.parametrize("action", ["publish", "unpublish", "feature", "unfeature"])
def test_translator_bulk_actions_are_refused(translator_client, own_draft, action):
    response = translator_client.post(
        CHANGELIST, {"action": action, "_selected_action": [own_draft.pk]}
    )
    assert response.status_code in {200, 302}
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT and own_draft.is_featured is False


def test_translator_cannot_bulk_delete(translator_client, own_draft):
    translator_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [own_draft.pk], "post": "yes"}
    )
    assert Article.objects.filter(pk=own_draft.pk).exists()


def test_translator_deletes_own_draft_but_not_others_work(
    translator_client, own_draft, make_article
):
    other = make_article(status=Article.Status.DRAFT, published_at=None)
    translator_client.post(f"/admin/articles/article/{other.pk}/delete/", {"post": "yes"})
    assert Article.objects.filter(pk=other.pk).exists()
    translator_client.post(f"/admin/articles/article/{own_draft.pk}/delete/", {"post": "yes"})
    assert not Article.objects.filter(pk=own_draft.pk).exists()


def test_translator_cannot_change_menu_pages_or_site_identity(translator_client, make_category):
    category = make_category("Energy")
    response = translator_client.post(
        f"/admin/articles/category/{category.pk}/change/",
        {"name": "Hacked", "slug": "energy", "menu_order": "0"},
    )
    assert response.status_code == 403
    assert Category.objects.get(pk=category.pk).name == "Energy"
    assert translator_client.get("/admin/articles/siteidentity/").status_code == 403
    assert translator_client.get("/admin/flatpages/flatpage/add/").status_code == 403


def test_service_refuses_a_translator_publishing_whatever_the_caller(translator, own_draft):
    with pytest.raises(PermissionDenied):
        services.article_publish(article=own_draft, user=translator)
    with pytest.raises(PermissionDenied):
        services.article_feature(article=own_draft, user=translator)
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT


def test_service_refuses_a_translator_editing_others_work(translator, make_article):
    other = make_article(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_save(article=other, user=translator, title="Taken over")


def test_translator_submits_own_draft_for_review(translator_client, own_draft, article_form_data):
    response = translator_client.post(
        change_url(own_draft), article_form_data(own_draft, status="review")
    )
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.REVIEW


def test_editor_publishes_and_features_in_bulk(editor_client, make_article):
    drafts = [make_article(status=Article.Status.DRAFT, published_at=None) for _ in range(3)]
    ids = [a.pk for a in drafts]
    editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": ids})
    editor_client.post(CHANGELIST, {"action": "feature", "_selected_action": ids})
    assert Article.objects.published().filter(pk__in=ids, is_featured=True).count() == 3
    editor_client.post(CHANGELIST, {"action": "unfeature", "_selected_action": ids})
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": ids})
    assert not Article.objects.published().filter(pk__in=ids).exists()
    assert not Article.objects.filter(pk__in=ids, is_featured=True).exists()


def test_editor_moves_articles_to_a_category_through_a_confirmation_page(
    editor_client, make_article, make_category
):
    articles = [make_article(), make_article()]
    target = make_category("Climate and Ecology")
    ids = [a.pk for a in articles]
    page = editor_client.post(CHANGELIST, {"action": "move_to_category", "_selected_action": ids})
    assert page.status_code == 200
    assert "Move these 2 article(s)" in page.content.decode()
    editor_client.post(
        CHANGELIST,
        {
            "action": "move_to_category",
            "_selected_action": ids,
            "apply": "1",
            "category": target.pk,
        },
    )
    assert set(Article.objects.filter(pk__in=ids).values_list("category", flat=True)) == {target.pk}


def test_translator_cannot_move_articles_to_another_category(
    translator_client, own_draft, make_category
):
    target = make_category("Elsewhere")
    translator_client.post(
        CHANGELIST,
        {
            "action": "move_to_category",
            "_selected_action": [own_draft.pk],
            "apply": "1",
            "category": target.pk,
        },
    )
    own_draft.refresh_from_db()
    assert own_draft.category != target


def test_editor_edits_categories_pages_and_site_identity(editor_client, make_category):
    category = make_category("Culture")
    response = editor_client.post(
        "/admin/articles/category/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(category.pk),
            "form-0-menu_order": "7",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.menu_order == 7 and category.is_in_menu is False
    assert editor_client.get("/admin/flatpages/flatpage/add/").status_code == 200


def test_site_identity_is_a_singleton(editor_client, admin_client):
    SiteIdentity.objects.create(pk=1, name="Digest")
    assert admin_client.get("/admin/articles/siteidentity/add/").status_code == 403
    assert admin_client.get("/admin/articles/siteidentity/1/delete/").status_code == 403
    page = editor_client.get("/admin/articles/siteidentity/1/change/")
    assert page.status_code == 200 and "Site link" in page.content.decode()
