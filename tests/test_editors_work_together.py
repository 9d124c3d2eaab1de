"""Working together (issue 19): a private autosave (not a revision) restored on the next open,
a soft editing lock naming whoever else is editing, review notifications by e-mail through the
task queue, and the count of pieces waiting for review."""

import pytest
from django.core import mail
from django.test import Client
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleAutosave, EditingLock
from tests.newsletter_support import run_tasks


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def test_an_autosave_is_private_not_a_revision_and_restored_on_the_next_open(
    editor, editor_client, make_staff, make_article
):
    article = make_article(title="Stored headline", status=Article.Status.DRAFT, published_at=None)
    revisions = Version.objects.get_for_object(article).count()

    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/autosave/",
        {"title": "Typed headline", "body": "<p>Typed <script>x</script>text.</p>"},
    )

    assert response.status_code == 200 and "saved_at" in response.json()
    autosave = ArticleAutosave.objects.get(article=article, user=editor)
    assert "<script>" not in autosave.data["body"]
    assert Version.objects.get_for_object(article).count() == revisions  # not a revision
    article.refresh_from_db()
    assert article.title == "Stored headline"  # nothing saved for readers

    page = editor_client.get(change_url(article)).content.decode()
    assert "Restored what you typed and had not saved" in page
    assert 'value="Typed headline"' in page

    other = Client()
    other.force_login(make_staff("Editor"))
    assert 'value="Stored headline"' in other.get(change_url(article)).content.decode()


def test_saving_spends_the_autosave_and_discarding_drops_it(
    editor, editor_client, make_article, article_form_data
):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    url = f"/admin/articles/article/{article.pk}/autosave/"
    editor_client.post(url, {"title": "Typed"})
    editor_client.post(change_url(article), article_form_data(article, title="Typed"))
    assert not ArticleAutosave.objects.filter(article=article).exists()

    editor_client.post(url, {"title": "Again"})
    editor_client.post(url, {"discard": "1"})
    assert not ArticleAutosave.objects.filter(article=article).exists()


def test_the_add_form_autosaves_and_restores_a_new_article(editor, editor_client):
    editor_client.post("/admin/articles/article/autosave/", {"title": "Half-written scoop"})
    page = editor_client.get("/admin/articles/article/add/").content.decode()
    assert 'value="Half-written scoop"' in page and "Restored what you typed" in page


def test_autosaving_someone_elses_piece_is_refused(translator_client, make_article):
    other = make_article(status=Article.Status.DRAFT, published_at=None)
    response = translator_client.post(
        f"/admin/articles/article/{other.pk}/autosave/", {"title": "Mine now"}
    )
    assert response.status_code in (403, 404)
    assert not ArticleAutosave.objects.exists()


def test_an_autosave_invalidates_no_cached_page(client, editor_client, make_article, settings):
    from pagecache.state import content_token

    settings.PAGECACHE_ENABLED = True
    article = make_article()
    before = content_token()
    editor_client.post(f"/admin/articles/article/{article.pk}/autosave/", {"title": "Draft"})
    editor_client.post(f"/admin/articles/article/{article.pk}/presence/")
    assert content_token() == before


def test_a_second_editor_sees_who_is_editing_and_may_take_over(make_staff, make_article):
    article = make_article()
    aygun, murad = Client(), Client()
    aygun.force_login(make_staff("Editor", username="aygun", first_name="Aygün"))
    murad.force_login(make_staff("Editor", username="murad", first_name="Murad"))

    assert "is editing this" not in aygun.get(change_url(article)).content.decode()
    page = murad.get(change_url(article)).content.decode()

    lock = EditingLock.objects.get(article=article)
    assert f"Aygün is editing this (since {lock.since.astimezone().strftime('%H:%M')})" in page or (
        "Aygün is editing this (since " in page
    )
    assert "Take over" in page
    assert aygun.post(f"/admin/articles/article/{article.pk}/presence/").json()["you"] is True

    taken = murad.post(f"/admin/articles/article/{article.pk}/presence/", {"take_over": "1"})
    assert taken.json() == {"holder": "Murad", "since": taken.json()["since"], "you": True}
    beat = aygun.post(f"/admin/articles/article/{article.pk}/presence/").json()
    assert beat["holder"] == "Murad" and beat["you"] is False

    murad.post(f"/admin/articles/article/{article.pk}/presence/", {"release": "1"})
    assert not EditingLock.objects.filter(article=article).exists()


def test_a_silent_holder_loses_the_lock_to_the_next_editor(make_staff, make_article, settings):
    settings.DIGEST_PRESENCE_STALE_SECONDS = 0
    article = make_article()
    first, second = make_staff("Editor"), make_staff("Editor")
    services.lock_heartbeat(article=article, user=first)
    lock = services.lock_heartbeat(article=article, user=second)
    assert lock.user == second


# --- Review notifications ---------------------------------------------------------------------


@pytest.fixture
def newsroom(make_staff):
    return {
        "leyla": make_staff("Translator", username="leyla", email="leyla@example.org"),
        "aygun": make_staff("Editor", username="aygun", email="aygun@example.org"),
        "murad": make_staff("Editor", username="murad", email="murad@example.org"),
    }


def test_submitting_for_review_emails_the_editors_through_the_task_queue(
    newsroom, make_article, django_capture_on_commit_callbacks
):
    draft = make_article(
        status=Article.Status.DRAFT, published_at=None, created_by=newsroom["leyla"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=draft, user=newsroom["leyla"], status="review")
    assert mail.outbox == []  # queued: the worker sends it
    run_tasks()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["aygun@example.org", "murad@example.org"]
    assert message.subject == f"Waiting for review: {draft.title}"
    assert "leyla submitted" in message.body
    assert f"/admin/articles/article/{draft.pk}/change/" in message.body


def test_publishing_or_sending_back_emails_the_author(
    newsroom, make_article, django_capture_on_commit_callbacks
):
    piece = make_article(
        status=Article.Status.REVIEW, published_at=None, created_by=newsroom["leyla"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=piece, user=newsroom["aygun"], status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=piece, user=newsroom["aygun"])
    run_tasks()

    assert [m.subject for m in mail.outbox] == [
        f"Sent back to draft: {piece.title}",
        f"Published: {piece.title}",
    ]
    assert all(m.to == ["leyla@example.org"] for m in mail.outbox)


def test_an_import_or_an_unchanged_status_notifies_nobody(
    newsroom, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        piece = services.article_save(
            title="Imported", category=make_article().category, status="review"
        )
        services.article_save(article=piece, user=newsroom["aygun"], title="Retitled")
    run_tasks()
    assert mail.outbox == []


def test_the_admin_counts_the_pieces_waiting_for_review(
    editor_client, make_article, django_assert_max_num_queries
):
    for _ in range(3):
        make_article(status=Article.Status.REVIEW, published_at=None)
    with django_assert_max_num_queries(12):
        index = editor_client.get("/admin/").content.decode()
    assert "3 articles waiting for review" in index
    assert "/admin/articles/article/?status__exact=review" in index
