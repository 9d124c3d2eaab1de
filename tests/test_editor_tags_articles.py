"""Editors tag articles in the admin: suggestions from existing tags, new tags typed in, and
every tag saved through the same service as the rest of the article."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from articles import services
from articles.models import Article, Tag

AUTOCOMPLETE = "/admin/articles/tag/autocomplete/"


def change(client, article, data):
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def tag_names(article):
    return sorted(Article.objects.get(pk=article.pk).tags.values_list("name", flat=True))


def test_editor_keeps_adds_and_removes_tags_in_one_save(
    editor_client, make_article, article_form_data
):
    article = make_article(tags=["Baku", "Energy"])
    baku = Tag.objects.get(name="Baku")
    quoted = 'Peace, "at last"'
    response = change(
        editor_client, article, article_form_data(article, tags=["Baku", "Erdoğan", quoted])
    )
    assert response.status_code == 302
    assert tag_names(article) == sorted(["Baku", "Erdoğan", quoted])
    assert Tag.objects.get(name="Baku").pk == baku.pk  # kept, not made again
    assert Tag.objects.get(name="Erdoğan").slug == "erdogan"  # transliterated like every slug
    assert Tag.objects.get(name=quoted).slug == "peace-at-last"
    assert Tag.objects.filter(name="Energy").exists()  # removed from the article only
    article.refresh_from_db()
    assert article.version == 2

    # The names come back in the form as they were typed.
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert '<option value="Peace, &quot;at last&quot;" selected>' in page
    assert '<option value="Erdoğan" selected>' in page


def test_a_differently_cased_name_reuses_the_existing_tag(
    editor_client, make_article, article_form_data
):
    article = make_article(tags=["Energy"])
    Tag.objects.create(name="Baku")
    change(editor_client, article, article_form_data(article, tags=["energy", " baku ", "BAKU"]))
    assert tag_names(article) == ["Baku", "Energy"]
    assert Tag.objects.count() == 2


def test_new_article_gets_its_tags_and_removing_all_tags_works(
    editor_client, make_category, article_form_data
):
    category = make_category()
    data = article_form_data(title="Tagged story", category=str(category.pk), tags=["Şuşa"])
    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    article = Article.objects.get(title="Tagged story")
    assert tag_names(article) == ["Şuşa"]
    assert Tag.objects.get(name="Şuşa").slug == "shusha"
    change(editor_client, article, article_form_data(article, tags=""))
    assert tag_names(article) == []


def test_tags_are_saved_by_the_article_service(
    editor_client, make_article, article_form_data, monkeypatch
):
    calls = []
    real_save = services.article_save

    def spy(**kwargs):
        calls.append(kwargs.get("tags"))
        return real_save(**kwargs)

    monkeypatch.setattr(services, "article_save", spy)
    article = make_article(tags=["Baku"])
    calls.clear()
    change(editor_client, article, article_form_data(article, tags=["Baku", "Ganja"]))
    assert calls == [["Baku", "Ganja"]]
    assert tag_names(article) == ["Baku", "Ganja"]


def test_a_stale_form_keeps_the_typed_tags_and_creates_none(
    editor_client, make_article, article_form_data
):
    article = make_article(tags=["Baku"])
    data = article_form_data(article, tags=["Baku", "Brand new"])
    services.article_save(article=Article.objects.get(pk=article.pk), title="Someone else's")
    response = change(editor_client, article, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this article" in page
    assert '<option value="Brand new" selected>' in page
    assert not Tag.objects.filter(name="Brand new").exists()


def test_a_tag_name_longer_than_a_tag_can_hold_is_refused(
    editor_client, make_article, article_form_data
):
    article = make_article()
    response = change(editor_client, article, article_form_data(article, tags=["x" * 101]))
    assert response.status_code == 200
    assert "A tag has at most 100 characters" in response.content.decode()


def test_change_form_renders_only_the_articles_own_tags(
    editor_client, make_article, django_assert_max_num_queries
):
    Tag.objects.bulk_create([Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(2100)])
    article = make_article(tags=["Topic 7", "Topic 1999"])
    with django_assert_max_num_queries(30):
        response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    page = response.content.decode()
    assert page.count('<option value="Topic ') == 2
    assert 'data-autocomplete-url="/admin/articles/tag/autocomplete/"' in page
    assert "articles/admin/tag_autocomplete.js" in page
    assert "admin/js/vendor/select2/select2.full" in page


# --- The suggestions (JSON) ------------------------------------------------------------------


@pytest.fixture
def tags(db):
    names = ["Erdoğan", "Energy", "Green energy", "Ankara", "Baku"]
    return [Tag.objects.create(name=name) for name in names]


def test_suggestions_match_names_and_transliterations_starting_ones_first(editor_client, tags):
    data = editor_client.get(AUTOCOMPLETE, {"term": "er"}).json()
    assert [r["text"] for r in data["results"]] == ["Erdoğan", "Energy", "Green energy"]
    assert all(r["id"] == r["text"] for r in data["results"])  # names are the values
    assert data["pagination"] == {"more": False}
    ascii_spelling = editor_client.get(AUTOCOMPLETE, {"term": "erdog"}).json()
    assert [r["text"] for r in ascii_spelling["results"]] == ["Erdoğan"]
    assert editor_client.get(AUTOCOMPLETE, {"term": "zz"}).json()["results"] == []


def test_suggestions_come_a_page_at_a_time(editor_client, db):
    Tag.objects.bulk_create([Tag(name=f"Topic {i:02d}", slug=f"topic-{i}") for i in range(45)])
    first = editor_client.get(AUTOCOMPLETE, {"term": "top"}).json()
    assert len(first["results"]) == 20 and first["pagination"]["more"] is True
    third = editor_client.get(AUTOCOMPLETE, {"term": "top", "page": "3"}).json()
    assert [r["text"] for r in third["results"]] == [f"Topic {i}" for i in range(40, 45)]
    assert third["pagination"]["more"] is False


def test_translators_may_read_the_suggestions(translator_client, tags):
    response = translator_client.get(AUTOCOMPLETE, {"term": "ba"})
    assert [r["text"] for r in response.json()["results"]] == ["Baku"]


def test_suggestions_are_for_staff_with_a_right_to_see_tags(client, tags):
    anonymous = client.get(AUTOCOMPLETE, {"term": "ba"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    reader = User.objects.create_user("reader", password="x")
    client.force_login(reader)
    assert client.get(AUTOCOMPLETE, {"term": "ba"}).status_code == 302

    bare_staff = User.objects.create_user("bare", password="x", is_staff=True)
    staff = Client()
    staff.force_login(bare_staff)
    assert staff.get(AUTOCOMPLETE, {"term": "ba"}).status_code == 403
    view_tag = Permission.objects.get(codename="view_tag", content_type__app_label="articles")
    bare_staff.user_permissions.add(view_tag)
    staff.force_login(User.objects.get(pk=bare_staff.pk))
    assert staff.get(AUTOCOMPLETE, {"term": "ba"}).json()["results"][0]["text"] == "Baku"


# --- The change list ---------------------------------------------------------------------------


def test_change_list_filters_by_a_tag_linked_from_the_tag_list(editor_client, make_article):
    tagged = make_article(title="About Erdoğan", tags=["Erdoğan"])
    make_article(title="About Baku", tags=["Baku"])
    tag_list = editor_client.get("/admin/articles/tag/").content.decode()
    assert "/admin/articles/article/?tag=erdogan" in tag_list
    response = editor_client.get("/admin/articles/article/?tag=erdogan")
    assert [a.title for a in response.context["cl"].result_list] == [tagged.title]
    assert "Erdoğan" in response.content.decode()  # the filter shows what is applied
    # A tag that no longer exists (an old link) lists nothing, not every untagged article.
    make_article(title="Untagged")
    gone = editor_client.get("/admin/articles/article/?tag=no-such-tag")
    assert list(gone.context["cl"].result_list) == []
    # Without a tag chosen, no list of every tag is built.
    plain = editor_client.get("/admin/articles/article/")
    shown = [spec.title for spec in plain.context["cl"].filter_specs if spec.has_output()]
    assert "tag" not in shown


def test_without_the_right_to_make_tags_one_only_chooses_existing_ones(
    make_staff, make_article, article_form_data
):
    user = make_staff("Editor")
    user.groups.get().permissions.remove(
        Permission.objects.get(codename="add_tag", content_type__app_label="articles")
    )
    client = Client()
    client.force_login(user)
    article = make_article(tags=["Baku"])
    Tag.objects.create(name="Erdoğan")
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'data-allow-new="false"' in page

    response = change(client, article, article_form_data(article, tags=["Baku", "Brand new"]))
    assert response.status_code == 200
    assert "you may not make new ones (“Brand new”)" in response.content.decode()
    assert not Tag.objects.filter(name="Brand new").exists()
    change(client, article, article_form_data(article, tags=["baku", "erdoğan"]))
    assert tag_names(article) == ["Baku", "Erdoğan"]


def test_editors_may_make_tags(editor_client, make_article):
    article = make_article()
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "data-allow-new" not in page


def test_deleting_a_tag_removes_its_links_in_one_statement(editor_client, make_article):
    """A tag on 400,000 articles was loaded and signalled link by link; now its links go in
    one statement, the articles stay, and readers' pages drop the tag."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Tag, TaggedArticle

    articles = [make_article(title=f"Tagged story {n}", tags=["Doomed", "Kept"]) for n in range(30)]
    tag = Tag.objects.get(name="Doomed")
    assert "Doomed" in editor_client.get(articles[0].get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as queries:
        editor_client.post(f"/admin/articles/tag/{tag.pk}/delete/", {"post": "yes"})
    # Neither loaded nor looked at one by one: the request's queries do not grow with links.
    assert len(queries) < 30, [q["sql"][:80] for q in queries]
    assert not Tag.objects.filter(pk=tag.pk).exists()
    assert not TaggedArticle.objects.filter(tag_id=tag.pk).exists()
    assert Article.objects.filter(title__startswith="Tagged story").count() == 30
    assert TaggedArticle.objects.filter(tag__name="Kept").count() == 30
    editor_client.logout()
    page = editor_client.get(articles[0].get_absolute_url()).content.decode()
    assert "Doomed" not in page and "Kept" in page
